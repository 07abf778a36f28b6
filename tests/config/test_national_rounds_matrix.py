"""The national coordinators' boundary, role by URL: a country's
coordinator organizes its own round (moderation, judges, results, exports,
images, the families' e-mails in them) and gets 404 on every page and file
of another country's round; the regional final's organizer and a
superuser see every round. Never 403."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest.models import Entry
from judging.models import Export, JudgeAssignment
from tests.factories.contest import EntryFactory, RenditionFactory, regional_contest
from tests.factories.judging import ModeratorFactory, OrganizerFactory
from tests.helpers import organizer_room_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

ROLES = ("kg_coordinator", "tj_coordinator", "regional", "superuser", "tj_moderator", "kg_judge")
SETTINGS_PAGES = (
    "organize:settings", "organize:settings_basics", "organize:settings_ages", "organize:settings_rubric",
    "organize:settings_texts", "organize:settings_uploads", "organize:settings_judges",
    "organize:settings_rounds",
)


@pytest.fixture
def world():
    User = get_user_model()
    final, rounds = regional_contest(countries=("KG", "TJ"))
    data = {}
    for code, round_ in rounds.items():
        entry = EntryFactory(contest=round_, country=code)
        RenditionFactory(entry=entry, kind="card", format="jpeg")
        export = Export.objects.create(
            contest=round_, kind=Export.Kind.ENTRIES_CSV, status=Export.Status.READY, progress=100,
            finished_at=timezone.now(), file=ContentFile(b"guardian e-mail\r\n", name="entries.csv"),
        )
        data[code] = (round_, entry, export)
    kg_judge = User.objects.create_user("kg-judge")
    JudgeAssignment.objects.create(contest=rounds["KG"], judge=kg_judge)
    users = {
        "kg_coordinator": OrganizerFactory(username="kg-coordinator", contests=[rounds["KG"]]),
        "tj_coordinator": OrganizerFactory(username="tj-coordinator", contests=[rounds["TJ"]]),
        "regional": OrganizerFactory(username="regional-organizer", contests=[final]),
        "superuser": User.objects.create_superuser("rounds-root", "root@example.org", "x"),
        "tj_moderator": ModeratorFactory(username="tj-moderator", contests=[rounds["TJ"]]),
        "kg_judge": kg_judge,
    }
    return final, data, users


def rooms(round_, entry, export):
    urls = organizer_room_urls(round_, entry, export.pk)
    urls.update({name: reverse(name, args=[round_.slug]) for name in SETTINGS_PAGES})
    urls["contest:entry_text"] = reverse("contest:entry_text", args=[round_.slug, entry.reference])
    urls["contest:entry_drawing"] = reverse("contest:entry_drawing", args=[round_.slug, entry.reference])
    urls["contest:rendition_photo"] = reverse("contest:rendition", args=[entry.public_id, "photo", "jpeg"])
    return urls


# Who organizes which round (200 on every room), by role.
ORGANIZES = {
    "kg_coordinator": {"KG"}, "tj_coordinator": {"TJ"}, "regional": {"KG", "TJ"}, "superuser": {"KG", "TJ"},
    "tj_moderator": set(), "kg_judge": set(),
}
# A moderator's rooms in its own round.
MODERATOR_ROOMS = {"contest:moderation", "contest:rendition", "contest:entry_text", "contest:entry_drawing",
                   "contest:rendition_photo"}


@pytest.mark.parametrize("role", ROLES)
def test_role_by_url_matrix_of_the_national_rounds(world, role):
    final, data, users = world
    for code, (round_, entry, _export) in data.items():
        RenditionFactory(entry=entry, kind="photo", format="jpeg")
    client = Client()
    client.force_login(users[role])

    actual, expected = {}, {}
    for code, (round_, entry, export) in data.items():
        for name, url in rooms(round_, entry, export).items():
            actual[(code, name)] = client.get(url).status_code
            if code in ORGANIZES[role]:
                allowed = True
            elif role == "tj_moderator" and code == "TJ":
                allowed = name in MODERATOR_ROOMS
            elif role == "kg_judge" and code == "KG":
                allowed = name == "contest:rendition"  # an entry of its own queue, while its round is open
            else:
                allowed = False
            status = 200
            if name == "judging:results_csv":
                status = 302  # to the exports page
            expected[(code, name)] = status if allowed else 404

    assert actual == expected
    assert 403 not in actual.values()


def test_a_kyrgyz_coordinator_changes_nothing_in_tajikistans_round(world):
    final, data, users = world
    tj_round, tj_entry, _export = data["TJ"]
    Entry.objects.filter(pk=tj_entry.pk).update(moderation_status="pending")
    client = Client()
    client.force_login(users["kg_coordinator"])
    slug = tj_round.slug

    posted = {
        name: client.post(reverse(name, args=[slug]), body).status_code for name, body in (
            ("contest:moderation", {"entries": [tj_entry.pk], "action": "approve"}),
            ("contest:team", {"person": "kg-coordinator", "role": "organizer"}),
            ("judging:results_publish", {"confirm": "on", "override": "on", "reason": "Let me in please"}),
            ("judging:results_promote", {"category": tj_entry.age_category_id, "quota": 1}),
            ("judging:judges", {"email": "new@example.org", "name": "New", "language": "en"}),
            ("exports:exports", {"kind": "entries_csv"}),
        )
    }

    assert posted == dict.fromkeys(posted, 404)
    tj_entry.refresh_from_db()
    tj_round.refresh_from_db()
    assert (tj_entry.moderation_status, tj_round.results_published_at) == ("pending", None)
    assert not tj_round.roles.filter(user=users["kg_coordinator"]).exists()
    assert Export.objects.filter(contest=tj_round).count() == 1
    assert not Entry.objects.filter(contest=final).exists()


def test_a_coordinator_does_not_organize_the_final_and_the_organizers_home_lists_own_rounds(world):
    final, data, users = world
    client = Client()
    client.force_login(users["kg_coordinator"])
    regional = Client()
    regional.force_login(users["regional"])

    final_rooms = [client.get(reverse(name, args=[final.slug])).status_code
                   for name in ("contest:moderation", "contest:dashboard", "judging:results", "exports:exports")]
    home = client.get(reverse("organize:home"))
    regional_home = regional.get(reverse("organize:home"))

    assert final_rooms == [404] * 4
    assert [item.contest.pk for item, _role in home.context["rows"]] == [data["KG"][0].pk]
    assert {item.contest.pk for item, _role in regional_home.context["rows"]} == {
        final.pk, data["KG"][0].pk, data["TJ"][0].pk}
