"""A photo the worker cannot read (its full decode fails: the file damaged,
or cut short on its way, as a direct upload to S3 can be, where the portal
reads only the head): the family gets one e-mail, in the entry's language,
after the failure is committed, saying the photo could not be read and how
to send it again."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from contest import links, renditions, services
from contest.models import Entry, GuardianMail
from tests.factories.contest import EntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.usefixtures("local_files")]

TRUNCATED = Path(settings.CORPUS_DIR) / "crafted" / "truncated_half.jpg"


def unreadable_entry(**fields) -> Entry:
    if not TRUNCATED.is_file():
        pytest.fail(f"the image corpus is missing: {TRUNCATED} (set CORPUS_DIR or check out shared/corpus)")
    return EntryFactory(original__data=TRUNCATED.read_bytes(), original__filename="upload",
                        processing_status=Entry.Processing.RECEIVED, guardian_email="dilnoza@example.org",
                        guardian_name="Dilnoza", **fields)


def render(entry, capture) -> None:
    with capture(execute=True):
        renditions.entry_renditions_generate(entry_id=entry.pk)


def test_the_family_is_told_in_the_entrys_language_with_the_link_to_send_it_again(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    entry = unreadable_entry(language="ru", title="Горы")

    render(entry, django_capture_on_commit_callbacks)

    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.FAILED
    mail = GuardianMail.objects.get(entry=entry, kind="unreadable")
    assert (mail.language, mail.attempts, mail.link_secret) == ("ru", 1, "")
    assert mail.photo_name == entry.original.name and mail.photo_name.startswith("originals/")
    assert mail.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["dilnoza@example.org"]
    with translation.override("ru"):
        assert message.body.startswith(translation.gettext("Hello %(name)s,") % {"name": "Dilnoza"})
    assert message.body.startswith("Здравствуйте, Dilnoza!")
    assert entry.reference in message.subject and entry.reference in message.body
    assert "«Горы»" in message.body or "“Горы”" in message.body
    found = re.findall(r"https?://\S+", message.body)
    assert len(found) == 1 and re.search(r"/guardian/entry/[^/\s]+/drawing/$", found[0])
    token = found[0].rstrip("/").split("/")[-2]
    assert links.token_read(token=token, purpose=links.Purpose.MANAGE).public_id == entry.public_id
    opened = client.get(reverse("contest:guardian_drawing", args=[token]))
    assert opened.status_code == 200 and "data-guardian-drawing" in opened.content.decode()


def test_the_english_mail_says_the_photo_could_not_be_read_and_how_to_send_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    entry = unreadable_entry(language="en", title="Mountains")

    render(entry, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.subject == f"We could not read the photo of your drawing {entry.reference}: please send it again"
    assert message.body.startswith("Hello Dilnoza,")
    assert f"Thank you for the drawing “Mountains” ({entry.reference}). We received its photo, but we could not read it" in message.body
    assert "Please send the photo again on the entry's page (the link below), before the contest closes:" in message.body
    assert "choose the original photo from the phone's gallery" in message.body
    assert "Your entry, its reference code and everything else you sent stay as they are." in message.body


def test_the_mail_is_queued_only_once_the_failure_is_committed(mailoutbox, django_capture_on_commit_callbacks):
    entry = unreadable_entry(language="kk")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        renditions.entry_renditions_generate(entry_id=entry.pk)

    assert mailoutbox == []
    assert GuardianMail.objects.filter(entry=entry, kind="unreadable", sent_at__isnull=True).count() == 1
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mailoutbox] == [["dilnoza@example.org"]]
    assert GuardianMail.objects.get(entry=entry, kind="unreadable").language == "kk"


def test_the_same_photo_failing_again_sends_no_second_mail(mailoutbox, django_capture_on_commit_callbacks):
    entry = unreadable_entry(language="en")
    render(entry, django_capture_on_commit_callbacks)

    render(entry, django_capture_on_commit_callbacks)  # a redelivered task
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.entries_retry_failed(entries=Entry.objects.filter(pk=entry.pk))  # an organizer's retry (eager)

    assert retried == 1
    assert GuardianMail.objects.filter(entry=entry, kind="unreadable").count() == 1
    assert len(mailoutbox) == 1
    entry.refresh_from_db()
    assert entry.processing_status == Entry.Processing.FAILED


def test_after_the_closing_time_the_mail_asks_to_write_to_the_organizers(mailoutbox, django_capture_on_commit_callbacks):
    entry = unreadable_entry(language="en")
    entry.contest.closes_at = timezone.now() - dt.timedelta(hours=1)
    entry.contest.save()

    render(entry, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert "The contest has closed, so a new photo can no longer be sent on the entry's page." in message.body
    assert "quote your reference code" in message.body
    assert re.findall(r"https?://\S+", message.body) == []
