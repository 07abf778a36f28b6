"""The guardian's choice between the straightened drawing and the photo as
it was sent, on the guardian's page and on the receipt: the mode changes,
it is audited and rendered again, and it is refused with a clear message
once the contest closed, once judges scored the entry, while rendering and
after a moderator hid parts of the picture."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from contest import idempotency, phrases
from contest.models import AuditLog, Entry
from contest.services.policy import window_words
from tests.factories.contest import EntryFactory, RenditionFactory
from tests.factories.judging import CriterionFactory, ScoreFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

CORNERS = [[0.1, 0.05], [0.92, 0.08], [0.9, 0.95], [0.08, 0.93]]
STRAIGHTENED = "We found the sheet in your photo and straightened it"


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The entry ids the sheet services queue for rendering."""
    ids: list[int] = []
    monkeypatch.setattr("contest.services.sheet_review.renditions_enqueue", lambda *, entry_id: ids.append(entry_id) or True)
    return ids


def straightened_entry(**fields) -> Entry:
    entry = EntryFactory(sheet_corners=CORNERS, **fields)
    RenditionFactory(entry=entry, kind="card")
    return entry


def page(response) -> str:
    return html.unescape(response.content.decode())


def sheet_rows() -> list[tuple]:
    return list(AuditLog.objects.filter(action="sheet").values_list("actor_label", "entry_reference", "detail"))


def test_the_guardian_page_says_the_drawing_was_straightened_and_offers_the_photo_as_it_was(client):
    entry = straightened_entry()
    token = guardian_token(entry)

    text = page(client.get(reverse("contest:guardian_entry", args=[token])))

    assert STRAIGHTENED in text
    assert 'data-sheet="straightened"' in text
    assert f'action="{reverse("contest:guardian_sheet", args=[token])}"' in text
    assert 'name="as_sent" value="1"' in text and "Use my photo as it was" in text


def test_using_the_photo_as_it_was_changes_the_mode_audits_and_renders_again(client, queued, django_capture_on_commit_callbacks):
    entry = straightened_entry(moderation_status="approved")
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contest:guardian_sheet", args=[token]), {"as_sent": "1"})

    entry.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse("contest:guardian_entry", args=[token])
    assert (entry.sheet_mode, entry.sheet_corners_set, entry.processing_status) == ("photo", None, "received")
    assert entry.moderation_status == "approved"  # the same photo: the approval stays
    assert queued == [entry.pk]
    assert sheet_rows() == [("guardian", entry.reference, {"mode": "photo"})]
    after = page(client.get(response["Location"]))
    assert "Your photo will be shown as you sent it. Its pictures are being prepared." in after
    assert "Your drawing is being prepared. It will appear here in a minute." in after and "data-pending" in after


def test_a_photo_shown_as_sent_can_be_straightened_again(client, queued, django_capture_on_commit_callbacks):
    entry = EntryFactory(sheet_mode="photo", sheet_corners=None)
    RenditionFactory(entry=entry, kind="card")
    token = guardian_token(entry)
    shown = page(client.get(reverse("contest:guardian_entry", args=[token])))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contest:guardian_sheet", args=[token]), {"as_sent": "0"})

    entry.refresh_from_db()
    assert "The drawing is shown as in the photo you sent." in shown
    assert 'name="as_sent" value="0"' in shown and "Straighten it again" in shown
    assert (entry.sheet_mode, entry.processing_status) == ("auto", "received")
    assert queued == [entry.pk]
    assert sheet_rows() == [("guardian", entry.reference, {"mode": "auto"})]


def test_a_moderators_corners_give_way_to_the_guardians_photo_as_it_was_and_the_log_tells(client, queued):
    entry = straightened_entry(sheet_mode="manual", sheet_corners_set=CORNERS)

    client.post(reverse("contest:guardian_sheet", args=[guardian_token(entry)]), {"as_sent": "1"})

    entry.refresh_from_db()
    assert (entry.sheet_mode, entry.sheet_corners_set) == ("photo", None)
    assert sheet_rows() == [("guardian", entry.reference, {"mode": "photo"})]


def test_a_drawing_not_straightened_shows_no_choice(client):
    entry = EntryFactory(sheet_corners=None)
    RenditionFactory(entry=entry, kind="card")

    text = page(client.get(reverse("contest:guardian_entry", args=[guardian_token(entry)])))

    assert "data-sheet" not in text and "Use my photo as it was" not in text


def test_after_the_closing_time_the_choice_is_refused_in_the_guardians_language(client, queued):
    entry = straightened_entry()
    token = guardian_token(entry)
    entry.contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    entry.contest.save()
    client.cookies["django_language"] = "ru"

    response = client.post(reverse("contest:guardian_sheet", args=[token]), {"as_sent": "1"})
    shown = page(client.get(response["Location"]))

    entry.refresh_from_db()
    with translation.override("ru"):
        expected = phrases.EDIT_CLOSED % window_words(contest=entry.contest)
        straightened = translation.gettext(STRAIGHTENED + ", so that only the drawing is shown.")
    assert response.status_code == 302
    assert expected in shown and '<html lang="ru"' in shown
    assert straightened != STRAIGHTENED + ", so that only the drawing is shown."
    assert straightened in shown and 'name="as_sent"' not in shown  # told, no longer offered
    assert (entry.sheet_mode, entry.processing_status, queued, sheet_rows()) == ("auto", "ready", [], [])


def test_a_scored_drawing_keeps_its_picture(client, queued):
    entry = straightened_entry()
    ScoreFactory(entry=entry, criterion=CriterionFactory(contest=entry.contest))
    token = guardian_token(entry)

    response = client.post(reverse("contest:guardian_sheet", args=[token]), {"as_sent": "1"}, follow=True)

    entry.refresh_from_db()
    assert "The judges have already scored this drawing, so its picture can no longer be changed." in page(response)
    assert (entry.sheet_mode, queued, sheet_rows()) == ("auto", [], [])


def test_the_choice_waits_while_the_worker_renders_the_drawing(client, queued):
    entry = straightened_entry()
    Entry.objects.filter(pk=entry.pk).update(
        processing_status="processing", render_lease_until=timezone.now() + dt.timedelta(minutes=2)
    )

    response = client.post(reverse("contest:guardian_sheet", args=[guardian_token(entry)]), {"as_sent": "1"}, follow=True)

    entry.refresh_from_db()
    assert "The drawing's images are being made right now. Please try again in a minute." in page(response)
    assert (entry.sheet_mode, queued, sheet_rows()) == ("auto", [], [])


def test_after_a_moderator_hid_parts_of_the_picture_there_is_no_choice(client, queued):
    entry = straightened_entry(image_masks=[{"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.1, "style": "fill"}])
    token = guardian_token(entry)

    shown = page(client.get(reverse("contest:guardian_entry", args=[token])))
    response = client.post(reverse("contest:guardian_sheet", args=[token]), {"as_sent": "1"}, follow=True)

    entry.refresh_from_db()
    assert STRAIGHTENED in shown and 'name="as_sent"' not in shown
    assert "The organizers have hidden part of this picture, so it stays as it is." in page(response)
    assert (entry.sheet_mode, queued) == ("auto", [])


def test_a_post_without_a_choice_is_refused(client, queued):
    entry = straightened_entry()

    response = client.post(reverse("contest:guardian_sheet", args=[guardian_token(entry)]), {"as_sent": "yes"})

    entry.refresh_from_db()
    assert (response.status_code, entry.sheet_mode, queued) == (400, "auto", [])


def receipt_client(entry) -> Client:
    client = Client()
    session = client.session
    idempotency.receipt_show(session, reference=entry.reference)
    session.save()
    return client


def test_the_receipt_offers_the_photo_as_it_was_to_the_session_that_sent_it(queued):
    entry = straightened_entry(guardian_confirmed_at=None, moderation_status="pending")
    client = receipt_client(entry)
    receipt = reverse("contest:entry_receipt", args=[entry.contest.slug])
    action = reverse("contest:entry_receipt_sheet", args=[entry.contest.slug])

    shown = page(client.get(receipt))
    stranger = Client().post(action, {"as_sent": "1"})
    response = client.post(action, {"as_sent": "1"})

    entry.refresh_from_db()
    assert STRAIGHTENED in shown and f'action="{action}"' in shown
    assert stranger.status_code == 404
    assert (response.status_code, response["Location"]) == (302, receipt)
    assert entry.sheet_mode == "photo"
    assert sheet_rows() == [("guardian", entry.reference, {"mode": "photo"})]


def test_the_pages_with_the_choice_issue_as_many_queries_as_without(django_assert_num_queries):
    plain = EntryFactory(sheet_corners=None)
    RenditionFactory(entry=plain, kind="card")
    straight = straightened_entry(contest=plain.contest)
    client = Client()
    urls = [reverse("contest:guardian_entry", args=[guardian_token(e)]) for e in (plain, straight)]
    client.get(urls[0])  # the session exists from now on
    receipts = [(receipt_client(e), reverse("contest:entry_receipt", args=[e.contest.slug])) for e in (plain, straight)]

    for url in urls:
        with django_assert_num_queries(QUERIES_GUARDIAN_PAGE):
            assert client.get(url).status_code == 200
    for receipt_session, url in receipts:
        with django_assert_num_queries(QUERIES_RECEIPT):
            assert receipt_session.get(url).status_code == 200


# As in test_guardian_edit: the choice adds no query to either page.
QUERIES_GUARDIAN_PAGE = 9
QUERIES_RECEIPT = 9
