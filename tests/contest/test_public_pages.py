import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory, published_winner
from tests.factories.judging import OrganizerFactory

# These tests cover the view's local-files branch (200 + bytes).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def publish(contest):
    contest.results_published_at = timezone.now()
    contest.save()


def gallery_queries(client, n, **params):
    contest = ContestFactory()
    categories = list(contest.age_categories.all())
    for i in range(n):
        published_winner(
            contest, place=None if i >= 3 * len(categories) else i // len(categories) + 1, category=categories[i % 3],
            country="KZ" if i % 2 else "KG",
        )
    publish(contest)
    if params.get("category") == "middle":
        params["category"] = categories[1].pk
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("contest:gallery", args=[contest.slug]), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_gallery_queries_do_not_grow_with_entries(client):
    few, _ = gallery_queries(client, 5)
    many, _ = gallery_queries(client, 50)

    assert few == many


@pytest.mark.parametrize("params", [{"country": "KZ"}, {"category": "middle"}, {"country": "KG", "category": "middle"}])
def test_gallery_queries_do_not_grow_with_entries_when_filtered(client, params):
    few, few_response = gallery_queries(client, 5, **params)
    many, _ = gallery_queries(client, 50, **params)

    assert few == many
    assert "aria-current" in few_response.content.decode()


def test_gallery_shows_only_consented_winners_of_published_contest(client):
    contest = ContestFactory()
    shown = published_winner(contest, place=1, title="Shown winner")
    published_winner(contest, place=2, title="Hidden winner", publish_consent=False)
    EntryFactory(contest=contest, title="Not a winner")

    before = client.get(reverse("contest:gallery", args=[contest.slug]))
    publish(contest)
    after = client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()

    assert before.status_code == 404
    assert "Shown winner" in after
    assert "Hidden winner" not in after
    assert "Not a winner" not in after
    assert shown.child_last_name not in after
    assert shown.school not in after
    assert reverse("contest:rendition", args=[shown.public_id, "card", "jpeg"]) in after


def test_rendition_access_matrix(client):
    contest = ContestFactory()
    winner = published_winner(contest, place=1)
    other = EntryFactory(contest=contest)
    RenditionFactory(entry=other, kind="display")
    winner_url = reverse("contest:rendition", args=[winner.public_id, "display", "jpeg"])
    other_url = reverse("contest:rendition", args=[other.public_id, "display", "jpeg"])
    staff = OrganizerFactory(username="org", contests=[contest])
    stranger_staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)

    anonymous_before = client.get(winner_url).status_code
    publish(contest)
    anonymous_after = client.get(winner_url)
    anonymous_other = client.get(other_url).status_code
    client.force_login(stranger_staff)
    stranger_other = client.get(other_url).status_code
    client.force_login(staff)
    staff_other = client.get(other_url)

    assert anonymous_before == 404
    assert anonymous_after.status_code == 200
    assert anonymous_after["Content-Type"] == "image/jpeg"
    assert anonymous_after["X-Content-Type-Options"] == "nosniff"
    assert "public" in anonymous_after["Cache-Control"]
    assert anonymous_other == 404
    assert stranger_other == 404  # staff status alone organizes nothing
    assert staff_other.status_code == 200
    assert "no-store" in staff_other["Cache-Control"]


def test_entry_page_is_404_until_published_and_shows_no_private_data(client):
    contest = ContestFactory()
    winner = published_winner(contest, place=1)
    url = reverse("contest:entry_detail", args=[winner.public_id])

    before = client.get(url).status_code
    publish(contest)
    page = client.get(url).content.decode()

    assert before == 404
    assert winner.title in page
    assert winner.child_first_name in page
    for private in (winner.child_last_name, winner.school, winner.guardian_email, winner.guardian_name, winner.region):
        assert private not in page


def test_original_file_has_no_public_url(client, settings):
    contest = ContestFactory()
    winner = published_winner(contest, place=1)
    publish(contest)

    response = client.get(settings.MEDIA_URL + winner.original.name)
    page = client.get(reverse("contest:entry_detail", args=[winner.public_id])).content.decode()

    assert response.status_code == 404
    assert winner.original.name not in page


def test_judge_sees_images_of_own_queue_only(client):
    from judging.models import Conflict, JudgeAssignment

    contest = ContestFactory()
    young, older = list(contest.age_categories.all())[:2]
    mine = EntryFactory(contest=contest, age_category=young)
    other_category = EntryFactory(contest=contest, age_category=older)
    conflicted = EntryFactory(contest=contest, age_category=young)
    for entry in (mine, other_category, conflicted):
        RenditionFactory(entry=entry, kind="display")
    judge = get_user_model().objects.create_user("judge", password="x")
    outsider = get_user_model().objects.create_user("outsider", password="x")
    assignment = JudgeAssignment.objects.create(contest=contest, judge=judge)
    assignment.categories.add(young)
    Conflict.objects.create(judge=judge, entry=conflicted)

    def status(user, entry):
        client.force_login(user)
        return client.get(reverse("contest:rendition", args=[entry.public_id, "display", "jpeg"])).status_code

    assert [status(judge, e) for e in (mine, other_category, conflicted)] == [200, 404, 404]
    assert status(outsider, mine) == 404


def test_public_pages_show_the_contest_title_in_the_visitor_language(client):
    from contest.models import ContestTranslation

    contest = ContestFactory(title="People of the border")
    ContestTranslation.objects.create(contest=contest, language="ru", title="Люди границы", theme="Тема", rules="Правила")
    winner = published_winner(contest, place=1)
    publish(contest)

    client.cookies["django_language"] = "ru"
    gallery = client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()
    entry_page = client.get(reverse("contest:entry_detail", args=[winner.public_id])).content.decode()
    client.cookies["django_language"] = "kk"
    fallback = client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()

    assert "Люди границы" in gallery and "People of the border" not in gallery
    assert "Люди границы" in entry_page
    assert "People of the border" in fallback
