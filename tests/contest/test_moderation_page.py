"""The moderation page made for looking at drawings: one card per entry
(card picture, card2x on wide screens, the display rendition large), the
facts, each entry's own approve / reject with a ready-made reason sent to
the guardian in their language, bulk decisions as before, the keyboard
help, and a constant number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contest.models import AuditLog, Entry
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


@pytest.fixture
def organizer(client, organizer_of_every_contest):
    user = organizer_of_every_contest(get_user_model().objects.create_user("dana"))
    client.force_login(user)
    return user


def with_renditions(entry):
    for kind in ("card", "card2x", "display"):
        RenditionFactory(entry=entry, kind=kind)
        RenditionFactory(entry=entry, kind=kind, format="webp")
    return entry


def queue_url(contest, **query):
    url = reverse("contest:moderation", args=[contest.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_each_entry_is_a_card_with_its_pictures_and_facts(client, organizer):
    contest = ContestFactory(timezone="Asia/Tashkent")
    entry = with_renditions(EntryFactory(
        contest=contest, moderation_status="pending", title="Night shift", description="Lights at the gate.",
        language="uz-cyrl", original_width=2400, original_height=1800,
    ))
    base = f"/images/{entry.public_id}/"

    html = client.get(queue_url(contest)).content.decode()

    assert f'id="entry-{entry.pk}"' in html and entry.reference in html
    assert f'src="{base}card.jpeg"' in html
    assert f'<source media="(min-width: 48em)" srcset="{base}card2x.jpeg">' in html
    assert f'href="{base}display.jpeg" data-open-large' in html
    assert "Lights at the gate." in html and "2400 × 1800 px" in html
    assert "(Asia/Tashkent)" in html
    assert "Reason for the rejection (sent to the guardian in Uzbek (Cyrillic))" in html
    assert '<option value="off_theme">The drawing is not about the contest&#x27;s theme.</option>' in html
    assert f'name="decide" value="approve-{entry.pk}"' in html and f'name="decide" value="reject-{entry.pk}"' in html
    assert "data-keys-help" in html and "<kbd>j</kbd>" in html
    assert reverse("contest:entry_text", args=[contest.slug, entry.reference]) in html


def test_approve_one_entry_goes_to_the_next(client, organizer):
    contest = ContestFactory()
    first = EntryFactory(contest=contest, moderation_status="pending")
    second = EntryFactory(contest=contest, moderation_status="pending")

    response = client.post(
        queue_url(contest, filter="new"), {"decide": f"approve-{first.pk}", f"next-{first.pk}": str(second.pk)}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"?filter=new#entry-{second.pk}")
    assert Entry.objects.get(pk=first.pk).moderation_status == "approved"
    assert Entry.objects.get(pk=second.pk).moderation_status == "pending"
    assert AuditLog.objects.get().action == "approved"


def test_reject_one_entry_sends_the_chosen_reason_in_the_guardians_language(
    client, organizer, django_capture_on_commit_callbacks
):
    contest = ContestFactory()
    entry = EntryFactory(contest=contest, moderation_status="pending", language="ru")
    other = EntryFactory(contest=contest, moderation_status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(queue_url(contest), {
            "decide": f"reject-{entry.pk}", f"reason-{entry.pk}": "off_theme", f"reason-{other.pk}": "",
        })

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.moderation_status, entry.rejection_reason) == ("rejected", "off_theme")
    assert Entry.objects.get(pk=other.pk).moderation_status == "pending"
    [message] = mail.outbox
    assert message.to == [entry.guardian_email]
    assert AuditLog.objects.get().detail == {"reason": "off_theme"}


def test_reject_without_a_reason_is_refused_and_nothing_changes(client, organizer):
    contest = ContestFactory()
    entry = EntryFactory(contest=contest, moderation_status="pending")

    response = client.post(queue_url(contest), {"decide": f"reject-{entry.pk}", f"reason-{entry.pk}": ""})

    assert response.status_code == 400
    assert "Choose a reason for the rejection." in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).moderation_status == "pending" and not mail.outbox


def test_a_decision_on_another_contests_entry_is_refused(client, organizer):
    contest = ContestFactory()
    stranger = EntryFactory(moderation_status="pending")

    response = client.post(queue_url(contest), {"decide": f"approve-{stranger.pk}"})

    assert response.status_code == 400
    assert Entry.objects.get(pk=stranger.pk).moderation_status == "pending"


def test_bulk_decisions_still_work(client, organizer):
    contest = ContestFactory()
    a, b = (EntryFactory(contest=contest, moderation_status="pending") for _ in range(2))

    response = client.post(queue_url(contest), {"entries": [a.pk, b.pk], "action": "approve"})

    assert response.status_code == 302
    assert set(Entry.objects.values_list("moderation_status", flat=True)) == {"approved"}


def test_the_page_works_without_entries(client, organizer):
    html = client.get(queue_url(ContestFactory())).content.decode()

    assert "Nothing here." in html and "Apply to the chosen entries" not in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_moderation_page_queries_do_not_grow_with_entries(client, organizer):
    contest = ContestFactory()
    near = with_renditions(EntryFactory(contest=contest, moderation_status="pending", text_flags=["school"]))
    one = count_queries(client, queue_url(contest))
    for _ in range(6):
        with_renditions(EntryFactory(contest=contest, moderation_status="pending", near_duplicate_of=near, flagged=True))

    many = count_queries(client, queue_url(contest))

    assert one == many
    assert one <= 8


def test_audit_page_queries_do_not_grow_with_rows(client, organizer):
    contest = ContestFactory()
    url = reverse("contest:audit_log", args=[contest.slug])
    AuditLog.objects.create(contest=contest, action="approved", actor=organizer, actor_label="dana", entry_reference="AAAA2222")
    one = count_queries(client, url)
    for i in range(20):
        AuditLog.objects.create(contest=contest, action="rejected", actor=organizer, actor_label="dana",
                                entry_reference=f"BBBB{i:04d}", detail={"reason": "off_theme"})

    assert count_queries(client, url) == one
