"""Children's privacy through HTTP: consent, confirmation by the link in the
e-mail file, the guardian's page (status, publication answers, data
download, withdrawal), the deletion rules, the moderation queue, and the
abuse controls (caps, honeypot, rate limits)."""

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contest import imaging
from contest import links, services
from contest.models import AnonymousCount, AuditLog, ConsentText, Entry, PurgeRun, Rendition
from judging.models import JudgeAssignment, Score
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory, published_winner
from tests.factories.judging import OrganizerFactory
from tests.helpers import drawings, guardian_token, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


CHILD = "Zarinaprivate"


def form_data(image_file, **overrides):
    data = {
        "child_first_name": "Aisha",
        "child_last_name": CHILD,
        "child_birth_date": "2015-09-10",
        "country": "KG",
        "region": "Naryn",
        "school": "Privateschool 7",
        "title": "The guard and the eagle",
        "description": "He watches the mountains.",
        "image": image_file,
        "guardian_name": "Guldana Guardianprivate",
        "guardian_email": "guldana@example.org",
        "guardian_relationship": "mother",
        "consent": "on",
        "publish_consent": "on",
        "publish_region_consent": "on",
    }
    data.update(overrides)
    return data


def personal_rows(value: str) -> list:
    """Every row of every contest or judging table that mentions `value`."""
    from django.apps import apps

    found = []
    for model in [*apps.get_app_config("contest").get_models(), *apps.get_app_config("judging").get_models()]:
        for row in model.objects.all().values():
            if value.lower() in json.dumps(row, default=str).lower():
                found.append((model.__name__, row))
    return found


@pytest.fixture
def file_mail(settings, tmp_path):
    """E-mail as the run command sends it: one file per message under a folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return settings.EMAIL_FILE_PATH


def link_from_mail(folder: Path, kind: str, to: str) -> str:
    """The path of the newest `kind` link (confirm or entry) in the mail files to `to`."""
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        text = path.read_text()
        if f"To: {to}" in text:
            found = re.findall(rf"https?://[^/\s]+(/guardian/{kind}/[^\s]+/)", text)
            if found:
                return found[-1]
    raise AssertionError(f"no {kind} link to {to} in {folder}")


def submit(client, contest, drawing, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True), drawing.open("rb") as fh:
        return client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh, **overrides))


def test_guardian_flow_end_to_end_through_http(client, file_mail, settings, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    ConsentText.objects.create(contest=contest, language="en", version="2026-2", text="Full consent text, version two.")
    form_page = client.get(reverse("contest:entry_submit", args=[contest.slug])).content.decode()
    assert "Full consent text, version two." in form_page

    # Submit: the receipt says plainly that the entry waits for confirmation.
    response = submit(client, contest, drawings(1)[0], django_capture_on_commit_callbacks)
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    entry = Entry.objects.get()
    assert "One more step: please confirm by e-mail." in receipt
    assert "takes part only after the parent or guardian confirms it" in receipt
    assert (entry.consent_version, entry.consent_language, entry.guardian_relationship) == ("2026-2", "en", "mother")
    assert (entry.publish_consent, entry.publish_region_consent, entry.guardian_confirmed_at) == (True, True, None)
    assert entry.renditions.count() == len(imaging.DEFAULT_SPECS) + len(imaging.PHOTO_SPECS)
    assert not entry.is_judgeable

    # "Send the link again" writes a second message.
    first_count = len(list(file_mail.glob("*.log")))
    with django_capture_on_commit_callbacks(execute=True):
        resend = client.post(reverse("contest:entry_receipt_resend", args=[contest.slug]))
    assert resend.status_code == 302
    # One message at submission (the confirmation), one more for the resend.
    assert (first_count, len(list(file_mail.glob("*.log")))) == (1, 2)

    # Confirm by the link from the e-mail file: GET shows a button, POST confirms.
    confirm = link_from_mail(file_mail, "confirm", "guldana@example.org")
    assert "Confirm" in client.get(confirm).content.decode()
    entry.refresh_from_db()
    assert entry.guardian_confirmed_at is None
    response = client.post(confirm)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.guardian_confirmed_at is not None

    # The status page, in a child's words.
    manage = link_from_mail(file_mail, "entry", "guldana@example.org")
    page = client.get(manage)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert 'data-stage="confirmed"' in page.content.decode()
    assert "Now the organizers check that everything is all right." in page.content.decode()

    # Change the publication answers: no to the region, then no to publication.
    client.post(manage + "publication/", {"publish_consent": "on"})
    entry.refresh_from_db()
    assert (entry.publish_consent, entry.publish_region_consent) == (True, False)
    client.post(manage + "publication/", {})
    entry.refresh_from_db()
    assert (entry.publish_consent, entry.publish_region_consent) == (False, False)

    # Download everything: JSON and the image.
    download = client.post(manage + "data.zip")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="entry-{entry.reference}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    data = json.loads(archive.read("entry.json"))
    assert (data["child_last_name"], data["guardian_email"], data["consent_text"]) == (
        CHILD, "guldana@example.org", "Full consent text, version two."
    )
    assert any(name.startswith("original.") for name in archive.namelist())

    # Withdraw: nothing of the child is left.
    assert stored_files(settings.MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage + "withdraw/", {"confirm": "on"})
    assert response.status_code == 200
    assert Entry.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert personal_rows(CHILD) == []
    assert personal_rows("guldana") == []
    assert personal_rows("Privateschool") == []
    assert list(AnonymousCount.objects.values_list("country", "age_category__name", "reason", "count")) == [
        ("KG", "10-13", "withdrawn", 1)
    ]
    assert list(AuditLog.objects.order_by("id").values_list("action", "actor_label")) == [
        ("confirmed", "guardian"), ("publication", "guardian"), ("publication", "guardian"),
        ("exported", "guardian"), ("withdrawn", "guardian"),
    ]
    # The old links now say the entry is gone.
    gone = client.get(manage)
    assert gone.status_code == 404
    assert "This entry no longer exists" in gone.content.decode()


def test_expired_and_tampered_links_are_refused_with_a_clear_page(client, settings):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status=Entry.Moderation.PENDING)
    confirm = guardian_token(entry, links.Purpose.CONFIRM)
    manage = guardian_token(entry, links.Purpose.MANAGE)

    tampered = client.get(reverse("contest:guardian_entry", args=[manage[:-2] + ("A" if manage[-2] != "A" else "B") + manage[-1]]))
    wrong_purpose = client.get(reverse("contest:guardian_entry", args=[confirm]))
    settings.GUARDIAN_CONFIRM_DAYS = 0
    expired = client.post(reverse("contest:guardian_confirm", args=[confirm]))

    assert tampered.status_code == 404
    assert "This link is not valid" in tampered.content.decode()
    assert wrong_purpose.status_code == 404
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    assert reverse("contest:guardian_link_request") in expired.content.decode()
    entry.refresh_from_db()
    assert entry.guardian_confirmed_at is None


def test_link_request_sends_links_only_when_code_and_email_match(client, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_email="aida@example.org")
    url = reverse("contest:guardian_link_request")

    with django_capture_on_commit_callbacks(execute=True):
        wrong = client.post(url, {"reference": entry.reference, "guardian_email": "other@example.org"})
        right = client.post(url, {"reference": entry.reference.lower().replace("-", " "), "guardian_email": "AIDA@example.org"})

    assert wrong.status_code == right.status_code == 200
    assert "If the reference code and the e-mail address match an entry" in wrong.content.decode()
    assert "If the reference code and the e-mail address match an entry" in right.content.decode()
    assert [m.to for m in mail.outbox] == [["aida@example.org"]]
    assert "/guardian/entry/" in mail.outbox[0].body


def test_unconfirmed_entries_purged_after_link_expiry_with_dry_run(settings, django_capture_on_commit_callbacks):
    old = EntryFactory(guardian_confirmed_at=None, moderation_status=Entry.Moderation.PENDING, child_last_name="Oldunconfirmed")
    RenditionFactory(entry=old)
    fresh = EntryFactory(guardian_confirmed_at=None, moderation_status=Entry.Moderation.PENDING)
    confirmed = EntryFactory()
    Entry.objects.filter(pk__in=[old.pk, confirmed.pk]).update(created_at=timezone.now() - dt.timedelta(days=8))
    files_before = stored_files(settings.MEDIA_ROOT)

    out = io.StringIO()
    call_command("purge_personal_data", "--rule", "unconfirmed", "--dry-run", stdout=out)
    assert "would delete or anonymize 1 entries" in out.getvalue()
    assert Entry.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data", "--rule", "unconfirmed", stdout=io.StringIO())

    assert sorted(Entry.objects.values_list("pk", flat=True)) == sorted([fresh.pk, confirmed.pk])
    assert personal_rows("Oldunconfirmed") == []
    assert len(stored_files(settings.MEDIA_ROOT)) == len(files_before) - 2
    assert list(PurgeRun.objects.order_by("id").values_list("rule", "entries", "dry_run")) == [
        ("unconfirmed", 1, True), ("unconfirmed", 1, False)
    ]


def test_retention_purge_deletes_losers_and_strips_winners_to_their_answers(client, settings, django_capture_on_commit_callbacks):
    contest = ContestFactory(retention_days=90)
    shown = published_winner(contest, place=1, child_last_name="Winnerlast", region="Osh", publish_region_consent=False)
    hidden = published_winner(contest, place=2, publish_consent=False, child_last_name="Hiddenlast", title="Hidden")
    loser = EntryFactory(contest=contest, child_last_name="Loserlast")
    RenditionFactory(entry=loser)
    contest.results_published_at = timezone.now() - dt.timedelta(days=89)
    contest.save()

    assert services.entries_purge_retention() == 0
    contest.results_published_at = timezone.now() - dt.timedelta(days=91)
    contest.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_retention() == 3

    assert sorted(Entry.objects.values_list("pk", flat=True)) == sorted([shown.pk, hidden.pk])
    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert (shown.child_last_name, shown.school, shown.guardian_email, shown.guardian_name, shown.child_birth_date) == ("", "", "", "", None)
    assert (shown.region, shown.original.name, shown.renditions.count()) == ("", "", 3)
    assert shown.child_first_name != ""
    assert (hidden.child_first_name, hidden.renditions.count(), hidden.original.name) == ("", 0, "")
    for name in ("Winnerlast", "Hiddenlast", "Loserlast", "School No."):
        assert personal_rows(name) == [], name
    remaining = {f for f in stored_files(settings.MEDIA_ROOT)}
    assert remaining == {r.file.name for r in shown.renditions.all()}
    assert list(AnonymousCount.objects.values_list("reason", "count")) == [("retention", 1)]
    assert PurgeRun.objects.filter(rule="retention", dry_run=False).values_list("entries", flat=True)[0] == 3
    gallery = client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()
    assert shown.title in gallery and "Hidden" not in gallery


def test_rejected_entries_deleted_after_grace_period(settings, django_capture_on_commit_callbacks):
    entry = EntryFactory(moderation_status=Entry.Moderation.REJECTED, child_last_name="Rejectedlast")
    Entry.objects.filter(pk=entry.pk).update(moderated_at=timezone.now() - dt.timedelta(days=31))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entries_purge_rejected() == 1

    assert personal_rows("Rejectedlast") == []
    assert stored_files(settings.MEDIA_ROOT) == []


def test_revoking_publication_unpublishes_gallery_page_and_images_at_once(client, django_capture_on_commit_callbacks):
    contest = ContestFactory()
    winner = published_winner(contest, place=1, title="Revoked drawing")
    contest.results_published_at = timezone.now()
    contest.save()
    image = reverse("contest:rendition", args=[winner.public_id, "card", "jpeg"])
    assert "Revoked drawing" in client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()
    assert client.get(image).status_code == 200
    manage = reverse("contest:guardian_entry", args=[guardian_token(winner, links.Purpose.MANAGE)])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage + "publication/", {})

    assert "Revoked drawing" not in client.get(reverse("contest:gallery", args=[contest.slug])).content.decode()
    assert client.get(reverse("contest:entry_detail", args=[winner.public_id])).status_code == 404
    assert client.get(image).status_code == 404


def test_withdrawing_a_published_winner_removes_it_from_cached_gallery_and_entry_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 3600
    contest = ContestFactory()
    winner = published_winner(contest, place=1, title="Cached drawing")
    contest.results_published_at = timezone.now()
    contest.save()
    gallery = reverse("contest:gallery", args=[contest.slug])
    detail = reverse("contest:entry_detail", args=[winner.public_id])
    image = reverse("contest:rendition", args=[winner.public_id, "card", "jpeg"])
    # Rendered once, so the gallery's winners are in the cache.
    assert "Cached drawing" in client.get(gallery).content.decode()
    assert "Cached drawing" in client.get(detail).content.decode()
    assert client.get(image).status_code == 200
    manage = reverse("contest:guardian_entry", args=[guardian_token(winner, links.Purpose.MANAGE)])

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(manage + "withdraw/", {"confirm": "on"}).status_code == 200

    after = client.get(gallery)
    assert after.status_code == 200
    assert "Cached drawing" not in after.content.decode()
    assert str(winner.public_id) not in after.content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(image).status_code == 404
    assert stored_files(settings.MEDIA_ROOT) == []


def test_only_confirmed_entries_reach_judging_and_approval(client):
    contest = ContestFactory()
    judge = get_user_model().objects.create_user("judgeprivacy")
    JudgeAssignment.objects.create(contest=contest, judge=judge)
    confirmed = EntryFactory(contest=contest, moderation_status=Entry.Moderation.PENDING, title="Confirmed one")
    unconfirmed = EntryFactory(contest=contest, moderation_status=Entry.Moderation.PENDING, guardian_confirmed_at=None, title="Unconfirmed one")

    n = services.entries_moderate(entries=Entry.objects.filter(contest=contest), approve=True)
    client.force_login(judge)
    listing = client.get(reverse("judging:entry_list", args=[contest.slug])).content.decode()

    assert n == 1
    assert dict(Entry.objects.values_list("pk", "moderation_status")) == {
        confirmed.pk: "approved", unconfirmed.pk: "pending"
    }
    assert "Confirmed one" in listing and "Unconfirmed one" not in listing
    with pytest.raises(Exception):
        Entry.objects.filter(pk=unconfirmed.pk).update(moderation_status="approved")


def test_moderation_queue_filters_bulk_reject_emails_reason_in_guardian_language(client, django_capture_on_commit_callbacks):
    contest = ContestFactory()
    organizer = OrganizerFactory(username="org", contests=[contest])
    low = EntryFactory(contest=contest, moderation_status="pending", low_resolution=True, title="Small photo", language="ru")
    dup = EntryFactory(contest=contest, moderation_status="pending", near_duplicate_of=low, title="Lookalike")
    EntryFactory(contest=contest, moderation_status="pending", guardian_confirmed_at=None, title="Not confirmed")
    client.force_login(organizer)
    url = reverse("contest:moderation", args=[contest.slug])

    new = client.get(url).content.decode()
    low_page = client.get(url + "?filter=low_resolution").content.decode()
    dup_page = client.get(url + "?filter=near_duplicate").content.decode()
    missing_reason = client.post(url + "?filter=new", {"entries": [low.pk, dup.pk], "action": "reject"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "?filter=new", {"entries": [low.pk, dup.pk], "action": "reject", "reason": "unreadable"})

    assert "Small photo" in new and "Lookalike" in new and "Not confirmed" not in new
    assert "Small photo" in low_page and "Lookalike" not in low_page
    assert "Lookalike" in dup_page and "Small photo" not in dup_page
    assert "30 days after the rejection" in new
    assert missing_reason.status_code == 400
    assert response.status_code == 302
    assert set(Entry.objects.filter(pk__in=[low.pk, dup.pk]).values_list("moderation_status", "rejection_reason")) == {
        ("rejected", "unreadable")
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([low.guardian_email, dup.guardian_email])
    english = next(m for m in mail.outbox if m.to == [dup.guardian_email])
    assert "The photo is too blurred or dark to judge the drawing." in english.body
    assert "30 days" in english.body and "/guardian/entry/" in english.body
    assert AuditLog.objects.filter(action="rejected", actor=organizer).count() == 2
    audit = client.get(reverse("contest:audit_log", args=[contest.slug])).content.decode()
    assert low.reference in audit


def test_moderation_and_audit_pages_are_404_to_judges_and_anonymous(client):
    contest = ContestFactory()
    judge = get_user_model().objects.create_user("judge-m")
    JudgeAssignment.objects.create(contest=contest, judge=judge)
    urls = [reverse("contest:moderation", args=[contest.slug]), reverse("contest:audit_log", args=[contest.slug])]

    anonymous = [client.get(u).status_code for u in urls]
    client.force_login(judge)
    as_judge = [client.get(u).status_code for u in urls]

    assert anonymous == [404, 404]
    assert as_judge == [404, 404]


# --- abuse controls ----------------------------------------------------------


def test_entry_cap_per_child_counts_the_same_normalized_child(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    first, second, third = drawings(3)
    assert submit(client, contest, first, django_capture_on_commit_callbacks).status_code == 302

    again = submit(client, contest, second, django_capture_on_commit_callbacks, child_first_name="  aisha ", child_last_name=CHILD.upper(), guardian_email="GULDANA@example.org")
    sibling = submit(client, contest, third, django_capture_on_commit_callbacks, child_first_name="Timur", child_birth_date="2013-01-05")

    assert again.status_code == 400
    assert "This child has already sent 1 drawing(s) to this contest" in again.content.decode()
    assert sibling.status_code == 302
    assert Entry.objects.count() == 2


def test_entry_cap_per_guardian_address(client, django_capture_on_commit_callbacks):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15), max_entries_per_guardian=2)
    files = drawings(4)
    codes = [
        submit(client, contest, files[i], django_capture_on_commit_callbacks, child_first_name=f"Child{i}").status_code
        for i in range(3)
    ]
    other = submit(client, contest, files[3], django_capture_on_commit_callbacks, child_first_name="Child3", guardian_email="other@example.org")

    assert codes == [302, 302, 400]
    assert other.status_code == 302
    assert Entry.objects.count() == 3


def test_honeypot_refuses_and_keeps_nothing(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))

    with drawings(1)[0].open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh, website="http://spam"))
    form = client.get(reverse("contest:entry_submit", args=[contest.slug])).content.decode()

    assert response.status_code == 400
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert mail.outbox == []
    assert 'class="hp" aria-hidden="true"' in form


def test_submission_rate_limit_per_ip_and_per_guardian(client, settings):
    settings.RATELIMIT_SUBMIT_IP = "2/h"
    settings.RATELIMIT_SUBMIT_GUARDIAN = "4/h"
    contest = ContestFactory()
    url = reverse("contest:entry_submit", args=[contest.slug])
    # Refused by the form (no image): only the limiter decides between 400 and 429.
    posts = [client.post(url, {"guardian_email": "a@example.org"}).status_code for _ in range(3)]
    other_ip = client.post(url, {"guardian_email": "a@example.org"}, REMOTE_ADDR="10.0.0.2").status_code
    guardian_limited = client.post(url, {"guardian_email": "A@example.org"}, REMOTE_ADDR="10.0.0.3").status_code
    other_guardian = client.post(url, {"guardian_email": "b@example.org"}, REMOTE_ADDR="10.0.0.4").status_code
    page = client.get(url).status_code

    assert posts == [400, 400, 429]
    assert other_ip == 400
    assert guardian_limited == 429
    assert other_guardian == 400
    assert page == 200


def test_link_request_rate_limit_per_guardian_address(client, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_LINKS_GUARDIAN = "2/h"
    entry = EntryFactory(guardian_email="lim@example.org")
    url = reverse("contest:guardian_link_request")
    data = {"reference": entry.reference, "guardian_email": "lim@example.org"}

    with django_capture_on_commit_callbacks(execute=True):
        codes = [client.post(url, data, REMOTE_ADDR=f"10.1.0.{i}").status_code for i in range(3)]
        other = client.post(url, {"reference": "AAAA-AAAA", "guardian_email": "x@example.org"}).status_code

    assert codes == [200, 200, 429]
    assert other == 200
    assert len(mail.outbox) == 2


def test_withdrawal_removes_scores_and_judging_rows():
    entry = EntryFactory()
    from tests.factories.judging import ScoreFactory

    ScoreFactory(entry=entry, criterion__contest=entry.contest)

    services.entry_withdraw(entry=entry)

    assert Score.objects.count() == 0
    assert Entry.objects.count() == 0


def test_guardian_page_image_served_only_to_the_session_that_opened_the_link(client):
    from django.test import Client

    from contest import links
    from tests.factories.contest import EntryFactory, RenditionFactory

    entry = EntryFactory()
    RenditionFactory(entry=entry, kind="card", format="jpeg")
    image = reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])
    before = client.get(image).status_code
    token = guardian_token(entry, links.Purpose.MANAGE)

    client.get(reverse("contest:guardian_entry", args=[token]))

    assert (before, client.get(image).status_code, Client().get(image).status_code) == (404, 200, 404)
