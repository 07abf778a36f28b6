"""A moderator asked the guardian for a photo of the drawing alone: the
e-mail in the guardian's language leads straight to the page where the new
photo is sent, the guardian's page says why, the photo may be sent even
after the closing time, and a new photo is checked afresh."""

import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest import links, services
from contest.models import AuditLog, Entry
from tests.factories.contest import EntryFactory, RenditionFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]

CORNERS = [[0.1, 0.05], [0.92, 0.08], [0.9, 0.95], [0.08, 0.93]]
ASKED = "Please send a photo of the drawing alone"


def photo() -> io.BytesIO:
    """A new photo of the drawing, as an upload."""
    image = Image.new("RGB", (900, 700), (40, 90, 160))
    for x in range(0, 900, 45):
        image.paste((250, 240, 220), (x, 0, x + 15, 700))
    buf = io.BytesIO()
    image.save(buf, "JPEG")
    buf.seek(0)
    buf.name = "new.jpg"
    return buf


def asked_entry(**fields) -> Entry:
    """An entry flagged for a face or a name, with a new photo asked for."""
    values = {
        "moderation_status": "pending", "sheet_mode": "manual", "sheet_corners_set": CORNERS, "sheet_corners": CORNERS,
        "image_masks": [{"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.1, "style": "blur"}], "privacy_review": "flagged",
        "privacy_findings": {"faces": [{"x": 0.5, "y": 0.1, "w": 0.2, "h": 0.2}], "names": []},
        "photo_requested_at": timezone.now() - dt.timedelta(hours=2), **fields,
    }
    entry = EntryFactory(**values)
    RenditionFactory(entry=entry, kind="card")
    return entry


def close(entry) -> None:
    entry.contest.closes_at = timezone.now() - dt.timedelta(hours=1)
    entry.contest.save()


@pytest.mark.parametrize(("language", "hello"), [("ru", "Здравствуйте"), ("uz", "Assalomu alaykum"), ("uz-cyrl", "Ассалому алайкум")])
def test_the_mail_greets_in_the_guardians_language_and_links_to_the_new_photo_page(client, language, hello):
    entry = asked_entry(guardian_name="Dilnoza", language=language)
    secret = "photo-request-secret"
    Entry.objects.filter(pk=entry.pk).update(link_secret_hash=links.secret_hash(secret))

    subject, body = services.guardian_mail_render(entry=entry, kind="photo_ask", language=language, secret=secret)

    assert body.startswith(f"{hello}, Dilnoza!")
    assert entry.reference in subject and entry.reference in body
    found = re.findall(r"https?://\S+", body)
    assert len(found) == 1 and re.search(r"/guardian/entry/[^/\s]+/drawing/$", found[0])
    token = found[0].rstrip("/").split("/")[-2]
    assert found[0].endswith(reverse("contest:guardian_drawing", args=[token]))
    assert links.token_read(token=token, purpose=links.Purpose.MANAGE).public_id == entry.public_id
    opened = client.get(reverse("contest:guardian_drawing", args=[token]))
    assert opened.status_code == 200 and "data-guardian-drawing" in opened.content.decode()


def test_the_english_mail_reads_as_a_plain_request():
    entry = asked_entry(guardian_name="Aigerim", language="en")

    _subject, body = services.guardian_mail_render(entry=entry, kind="photo_ask", language="en", secret="s")

    assert "a person's face, or the child's name written on the sheet" in body
    assert "- nobody in the picture;" in body
    assert "This link opens the page where you send the new photo, even after the contest has closed:" in body
    assert "&#x27;" not in body and "{%" not in body


def test_after_the_closing_time_the_guardian_page_says_why_and_offers_the_new_photo(client):
    entry = asked_entry()
    close(entry)
    token = guardian_token(entry)

    text = html.unescape(client.get(reverse("contest:guardian_entry", args=[token])).content.decode())
    form = client.get(reverse("contest:guardian_drawing", args=[token]))

    assert ASKED in text and "a person's face, or the child's name written on the sheet" in text
    assert reverse("contest:guardian_drawing", args=[token]) in text
    assert "the drawing and its details can no longer be changed" in text  # everything else stays closed
    assert form.status_code == 200
    assert "You can send it even after the contest has closed." in html.unescape(form.content.decode())


def test_a_new_photo_after_the_closing_time_answers_the_request_and_is_checked_afresh(client, django_capture_on_commit_callbacks):
    entry = asked_entry()
    close(entry)
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("contest:guardian_drawing", args=[token]), {"image": photo()})

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.sheet_mode, entry.sheet_corners_set, entry.sheet_corners, entry.image_masks) == ("auto", None, None, [])
    assert (entry.privacy_review, entry.privacy_findings, entry.photo_requested_at) == ("none", {}, None)
    assert entry.processing_status == "received"
    assert AuditLog.objects.filter(action="replaced", actor_label="guardian", entry_reference=entry.reference).count() == 1
    # The request is answered: the contest is closed again for this entry.
    again = client.post(reverse("contest:guardian_drawing", args=[token]), {"image": photo()})
    assert again.status_code == 403
    assert ASKED not in html.unescape(client.get(reverse("contest:guardian_entry", args=[token])).content.decode())


def test_a_new_photo_before_the_closing_time_resets_the_sheet_and_the_check(client, django_capture_on_commit_callbacks):
    entry = asked_entry(privacy_review="cleared", photo_requested_at=None, sheet_mode="photo", sheet_corners_set=None)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": photo()})

    entry.refresh_from_db()
    assert response.status_code == 302
    assert (entry.sheet_mode, entry.sheet_corners_set, entry.sheet_corners, entry.image_masks) == ("auto", None, None, [])
    assert (entry.privacy_review, entry.privacy_findings, entry.photo_requested_at) == ("none", {}, None)


def test_once_a_moderator_dealt_with_the_photo_it_can_no_longer_be_replaced_after_closing(client):
    entry = asked_entry(privacy_review="cleared")
    close(entry)
    token = guardian_token(entry)

    page = html.unescape(client.get(reverse("contest:guardian_entry", args=[token])).content.decode())
    response = client.post(reverse("contest:guardian_drawing", args=[token]), {"image": photo()})

    entry.refresh_from_db()
    assert ASKED not in page
    assert response.status_code == 403
    assert entry.image_masks != []


def test_a_rejected_entry_gets_no_new_photo_even_when_one_was_asked_for(client):
    entry = asked_entry(moderation_status="rejected", privacy_review="none")

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": photo()})

    assert response.status_code == 403


def test_while_a_new_photo_is_asked_for_the_page_asks_for_it_instead_of_offering_the_photo_as_it_was(client):
    entry = asked_entry(sheet_mode="auto", sheet_corners_set=None, image_masks=[])

    text = html.unescape(client.get(reverse("contest:guardian_entry", args=[guardian_token(entry)])).content.decode())

    assert ASKED in text
    assert "We found the sheet in your photo and straightened it" not in text and 'name="as_sent"' not in text
