"""The guardian changes the entry before the contest's closing time (the
details; a new photo, rendered again, the old files gone), is refused after
it, and the receipt and the guardian's page show the drawing, the masked
e-mail address, the steps and what comes next."""

import datetime as dt
import hashlib
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contest import audit_sentences, idempotency, renditions, services
from contest.models import AuditLog, Entry, Rendition
from tests.factories.contest import ContestFactory, EntryFactory, RenditionFactory
from tests.factories.judging import CriterionFactory, ScoreFactory
from tests.helpers import csrf_token, guardian_token, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_files")]


def details(entry, **changes) -> dict:
    data = {
        "title": entry.title, "description": entry.description, "child_first_name": entry.child_first_name,
        "child_last_name": entry.child_last_name, "child_birth_date": entry.child_birth_date.isoformat(),
        "country": entry.country, "region": entry.region, "school": entry.school,
    }
    data.update(changes)
    return data


def photo(color=(30, 140, 60), size=(900, 700), fmt="JPEG") -> io.BytesIO:
    """A drawing's photo as an upload (a striped picture, so its hashes differ from a plain one's)."""
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 60):
        image.paste((250, 250, 250), (x, 0, x + 20, size[1]))
    buf = io.BytesIO()
    image.save(buf, fmt)
    buf.seek(0)
    buf.name = f"new.{fmt.lower()}"
    return buf


FIRST_PHOTO = photo((180, 60, 40)).getvalue()


@pytest.fixture
def rendered_entry(django_capture_on_commit_callbacks):
    """`rendered_entry(**fields)`: an entry whose upload (`FIRST_PHOTO`)
    the worker has rendered, with real files and nothing else stored."""

    def make(**kwargs) -> Entry:
        entry = EntryFactory(
            original__data=FIRST_PHOTO, original__filename="upload", original_sha256=hashlib.sha256(FIRST_PHOTO).hexdigest(),
            processing_status=Entry.Processing.RECEIVED, **kwargs,
        )
        with django_capture_on_commit_callbacks(execute=True):
            renditions.entry_renditions_generate(entry_id=entry.pk)
        entry.refresh_from_db()
        assert entry.processing_status == Entry.Processing.READY
        assert media() == in_use()
        return entry

    return make


def media() -> list[str]:
    return stored_files(settings.MEDIA_ROOT)


def in_use() -> list[str]:
    names = [n for n in Entry.objects.values_list("original", flat=True) if n]
    names += list(Rendition.objects.values_list("file", flat=True))
    return sorted(names)


# --- changing the details ---------------------------------------------------------


def test_guardian_changes_title_before_closing_and_it_is_audited(client):
    entry = EntryFactory(moderation_status="pending", title="Guard at the pass")
    token = guardian_token(entry)
    url = reverse("contest:guardian_edit", args=[token])

    page = client.get(url)
    response = client.post(url, details(entry, title="  The guard and the eagle "))

    entry.refresh_from_db()
    row = AuditLog.objects.get(action=AuditLog.Action.EDITED)
    assert page.status_code == 200
    assert 'value="Guard at the pass"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("contest:guardian_entry", args=[token])
    assert entry.title == "The guard and the eagle"
    assert (row.actor_label, row.entry_reference, row.detail) == ("guardian", entry.reference, {"fields": ["title"], "flagged": False})
    assert audit_sentences.sentence(row) == f"The guardian changed entry {entry.reference} (artwork title)."
    assert "eagle" not in str(row.detail)  # the log keeps which fields, never their words


def test_changing_an_approved_entrys_title_flags_it_and_keeps_the_approval(client):
    entry = EntryFactory(moderation_status="approved", flagged=False)

    client.post(reverse("contest:guardian_edit", args=[guardian_token(entry)]), details(entry, description="Two guards."))

    entry.refresh_from_db()
    row = AuditLog.objects.get(action=AuditLog.Action.EDITED)
    assert (entry.description, entry.moderation_status, entry.flagged) == ("Two guards.", "approved", True)
    assert audit_sentences.sentence(row) == (
        f"The guardian changed entry {entry.reference} (description by the child); it was flagged for a closer look."
    )


def test_changing_the_birth_date_moves_the_entry_to_its_age_category(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 1))
    entry = EntryFactory(contest=contest, child_birth_date=dt.date(2018, 1, 1), child_age=8)

    client.post(reverse("contest:guardian_edit", args=[guardian_token(entry)]), details(entry, child_birth_date="2014-01-01"))

    entry.refresh_from_db()
    assert (entry.child_age, entry.age_category.name) == (12, "10-13")
    assert AuditLog.objects.get(action="edited").detail["fields"] == ["child_birth_date"]


def test_a_birth_date_outside_every_category_is_refused_and_nothing_changes(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 1))
    entry = EntryFactory(contest=contest, child_birth_date=dt.date(2018, 1, 1), child_age=8, title="Before")

    response = client.post(
        reverse("contest:guardian_edit", args=[guardian_token(entry)]),
        details(entry, child_birth_date="2024-01-01", title="After"),
    )

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "this contest is for ages 6–9, 10–13, 14–17" in response.content.decode()
    assert (entry.title, entry.child_age) == ("Before", 8)
    assert not AuditLog.objects.filter(action="edited").exists()


def test_the_title_naming_the_child_is_warned_about_once_then_saved_anyway(client):
    entry = EntryFactory(child_first_name="Aigerim", title="Guard")
    url = reverse("contest:guardian_edit", args=[guardian_token(entry)])
    data = details(entry, title="Aigerim and the guard")

    warned = client.post(url, data)
    entry.refresh_from_db()
    title_after_warning = entry.title
    saved = client.post(url, {**data, "text_confirmed": "1"})

    entry.refresh_from_db()
    assert warned.status_code == 200
    assert "The title or the description may tell who the child is" in warned.content.decode()
    assert "the child&#x27;s first name" in warned.content.decode()
    assert title_after_warning == "Guard"
    assert saved.status_code == 302
    assert (entry.title, entry.text_flags) == ("Aigerim and the guard", ["first_name"])


def test_saving_unchanged_details_writes_nothing(client):
    entry = EntryFactory()

    response = client.post(reverse("contest:guardian_edit", args=[guardian_token(entry)]), details(entry), follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert not AuditLog.objects.exists()


# --- after the closing time, rejected entries ---------------------------------------


@pytest.mark.parametrize("name", ["contest:guardian_edit", "contest:guardian_drawing"])
def test_after_the_closing_time_changes_are_refused_with_a_clear_page(client, name):
    entry = EntryFactory(title="Before")
    token = guardian_token(entry)
    url = reverse(name, args=[token])
    form_page = client.get(url)
    contest = entry.contest
    contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()

    shown = client.get(url)
    posted = client.post(url, {**details(entry, title="After"), "image": photo()})
    guardian_page = client.get(reverse("contest:guardian_entry", args=[token]))

    entry.refresh_from_db()
    assert form_page.status_code == 200
    assert (shown.status_code, posted.status_code) == (403, 403)
    for response in (shown, posted):
        text = response.content.decode()
        assert "The entry can no longer be changed" in text
        assert "The contest closed on" in text and "(Bishkek)" in text
        assert "no-store" in response["Cache-Control"]
    assert entry.title == "Before"
    assert not AuditLog.objects.exists()
    assert reverse(name, args=[token]) not in guardian_page.content.decode()
    assert "the drawing and its details can no longer be changed" in guardian_page.content.decode()


def test_a_rejected_entry_cannot_be_changed(client):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="off_theme", title="Before")
    url = reverse("contest:guardian_edit", args=[guardian_token(entry)])

    response = client.post(url, details(entry, title="After"))
    page = client.get(reverse("contest:guardian_entry", args=[guardian_token(entry)])).content.decode()

    entry.refresh_from_db()
    assert response.status_code == 403
    assert "The organizers did not accept this entry, so it can no longer be changed." in response.content.decode()
    assert entry.title == "Before"
    assert 'data-status="rejected"' in page
    assert "The drawing is not about the contest&#x27;s theme." in page
    assert 'class="steps"' not in page


def test_a_withdrawn_entrys_edit_link_says_it_no_longer_exists(client):
    entry = EntryFactory()
    token = guardian_token(entry)
    services.entry_withdraw(entry=entry)

    response = client.post(reverse("contest:guardian_edit", args=[token]), {"title": "After"})

    assert response.status_code == 404
    assert "This entry no longer exists" in response.content.decode()


# --- a new photo -------------------------------------------------------------------


def test_replacing_the_drawing_renders_it_again_and_deletes_the_old_files(client, django_capture_on_commit_callbacks, rendered_entry):
    entry = rendered_entry(moderation_status="approved")
    old_sha, old_files = entry.original_sha256, media()
    old_card = (settings.MEDIA_ROOT / f"renditions/{entry.public_id}/card.jpg").read_bytes()
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contest:guardian_drawing", args=[token]), {"image": photo((20, 60, 200))})

    entry.refresh_from_db()
    new_card = (settings.MEDIA_ROOT / f"renditions/{entry.public_id}/card.jpg").read_bytes()
    row = AuditLog.objects.get(action=AuditLog.Action.REPLACED)
    assert response.status_code == 302
    assert (entry.processing_status, entry.moderation_status) == ("ready", "pending")  # back to moderation
    assert entry.original_sha256 != old_sha
    assert new_card != old_card
    # Exactly the new set is stored: no file of the old photo, no orphan.
    assert media() == in_use()
    assert len(media()) == len(old_files)
    assert entry.original.name == f"originals/{entry.contest_id}/{entry.public_id}.jpg"
    assert row.detail == {"back_to_moderation": True}
    assert audit_sentences.sentence(row) == f"The guardian replaced the drawing of entry {entry.reference}; it went back to moderation."


def test_the_new_photo_is_pending_until_the_worker_has_rendered_it(client, django_capture_on_commit_callbacks, rendered_entry):
    entry = rendered_entry(moderation_status="pending")
    token = guardian_token(entry)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("contest:guardian_drawing", args=[token]), {"image": photo((20, 60, 200))})
    page = client.get(reverse("contest:guardian_entry", args=[token])).content.decode()

    entry.refresh_from_db()
    assert len(callbacks) == 2  # delete the old files, then queue the renditions
    assert (entry.processing_status, entry.renditions.count(), entry.moderation_status) == ("received", 0, "pending")
    assert "data-pending" in page
    assert "Your drawing is being prepared." in page


def test_the_same_image_as_another_entry_is_refused_and_nothing_is_stored(client, rendered_entry):
    other = rendered_entry()
    entry = EntryFactory(contest=other.contest, guardian_email=other.guardian_email)
    before = media()
    same = io.BytesIO(FIRST_PHOTO)
    same.name = "same.jpg"

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": same})

    assert response.status_code == 400
    assert f"This image was already sent to this contest (reference {other.reference})." in response.content.decode()
    assert media() == before
    assert not AuditLog.objects.exists()


def test_a_file_that_is_not_a_drawing_photo_is_refused_as_on_the_submit_form(client, rendered_entry):
    entry = rendered_entry()
    before = media()

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": photo(fmt="GIF")})

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "This type of file is not accepted (GIF, TIFF, BMP, SVG, PDF…)." in response.content.decode()
    assert (media(), entry.processing_status) == (before, "ready")


def test_a_new_photo_is_refused_while_the_previous_one_is_being_rendered(client):
    entry = EntryFactory(moderation_status="pending")
    Entry.objects.filter(pk=entry.pk).update(
        processing_status="processing", render_lease_until=timezone.now() + dt.timedelta(minutes=2)
    )
    before = media()

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": photo()})

    assert response.status_code == 400
    assert "being prepared right now. Please try again in a minute." in response.content.decode()
    assert media() == before


def test_a_scored_drawing_cannot_be_replaced(client):
    entry = EntryFactory()
    ScoreFactory(entry=entry, criterion=CriterionFactory(contest=entry.contest))

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": photo()})

    assert response.status_code == 400
    assert "The judges have already scored this drawing, so it can no longer be replaced." in response.content.decode()


# --- what the pages show ---------------------------------------------------------------


def test_guardian_page_shows_the_drawing_masked_email_steps_and_next(client):
    entry = EntryFactory(guardian_email="aigerim.s@gmail.com", moderation_status="approved")
    RenditionFactory(entry=entry, kind="card")
    token = guardian_token(entry)

    page = client.get(reverse("contest:guardian_entry", args=[token])).content.decode()

    assert "We write to a***@g***.com" in page
    assert "aigerim.s@gmail.com" not in page
    assert reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"]) in page
    assert 'data-stage="approved"' in page
    assert 'aria-current="step">Accepted</li>' in page
    assert "the judges look at the drawings and give points" in page
    assert reverse("contest:guardian_edit", args=[token]) in page


def test_receipt_shows_placeholder_then_picture_and_serves_it_to_the_submitting_session(client):
    entry = EntryFactory(guardian_email="saule@mail.ru", processing_status="received", guardian_confirmed_at=None,
                         moderation_status="pending")
    session = client.session
    idempotency.receipt_show(session, reference=entry.reference)
    session.save()
    receipt = reverse("contest:entry_receipt", args=[entry.contest.slug])
    image = reverse("contest:rendition", args=[entry.public_id, "card", "jpeg"])

    waiting = client.get(receipt).content.decode()
    RenditionFactory(entry=entry, kind="card")
    Entry.objects.filter(pk=entry.pk).update(processing_status="ready")
    ready = client.get(receipt).content.decode()

    assert "data-pending" in waiting and "Your drawing is being prepared." in waiting
    assert "data-pending" not in ready and image in ready
    assert "We write to s***@m***.ru" in ready
    assert 'data-stage="received"' in ready
    assert (client.get(image).status_code, Client().get(image).status_code) == (200, 404)


def test_guardian_page_issues_a_constant_number_of_queries(client, django_assert_num_queries):
    small = EntryFactory()
    RenditionFactory(entry=small, kind="card")
    large = EntryFactory(contest=small.contest)
    for kind in ("card", "card2x", "display"):
        for fmt in ("jpeg", "webp"):
            RenditionFactory(entry=large, kind=kind, format=fmt)
    urls = [reverse("contest:guardian_entry", args=[guardian_token(e)]) for e in (small, large)]
    client.get(urls[0])  # the session exists from now on, as for a returning guardian

    for url in urls:
        with django_assert_num_queries(QUERIES_GUARDIAN_PAGE):
            assert client.get(url).status_code == 200


QUERIES_GUARDIAN_PAGE = 9


def test_edit_form_is_csrf_protected():
    entry = EntryFactory(title="Before")
    client = Client(enforce_csrf_checks=True)
    url = reverse("contest:guardian_edit", args=[guardian_token(entry)])

    refused = client.post(url, details(entry, title="After"))
    accepted = client.post(url, {**details(entry, title="After"), "csrfmiddlewaretoken": csrf_token(client, url)})

    assert (refused.status_code, accepted.status_code) == (403, 302)
    entry.refresh_from_db()
    assert entry.title == "After"


def receipt_client(entry) -> Client:
    client = Client()
    session = client.session
    idempotency.receipt_show(session, reference=entry.reference)
    session.save()
    return client


def test_receipt_issues_a_constant_number_of_queries(django_assert_num_queries):
    small = EntryFactory()
    RenditionFactory(entry=small, kind="card")
    large = EntryFactory(contest=small.contest)
    for kind in ("card", "card2x", "display"):
        for fmt in ("jpeg", "webp"):
            RenditionFactory(entry=large, kind=kind, format=fmt)
    clients = [receipt_client(e) for e in (small, large)]
    url = reverse("contest:entry_receipt", args=[small.contest.slug])

    for client in clients:
        with django_assert_num_queries(QUERIES_RECEIPT):
            assert client.get(url).status_code == 200


QUERIES_RECEIPT = 9


def test_the_receipt_of_a_withdrawn_entry_says_so_plainly():
    entry = EntryFactory()
    client = receipt_client(entry)
    services.entry_withdraw(entry=entry)

    response = client.get(reverse("contest:entry_receipt", args=[entry.contest.slug]))

    assert response.status_code == 404
    assert "This entry no longer exists" in response.content.decode()
    assert "It was withdrawn or deleted, together with everything about the child." in response.content.decode()


def test_a_render_of_the_old_photo_finishing_after_a_new_one_came_in_writes_no_rows(monkeypatch, rendered_entry):
    entry = rendered_entry()
    Entry.objects.filter(pk=entry.pk).update(processing_status="received")
    render = renditions.imaging.render

    def render_then_replaced(*args, **kwargs):
        result = render(*args, **kwargs)
        # Meanwhile (the run's lease had run out) the guardian sent a new photo.
        Entry.objects.filter(pk=entry.pk).update(
            original="originals/new-photo", processing_status="received", render_lease_until=None, render_attempts=0
        )
        return result

    monkeypatch.setattr(renditions.imaging, "render", render_then_replaced)

    renditions.entry_renditions_generate(entry_id=entry.pk)

    entry.refresh_from_db()
    # Left for the new photo's own run: nothing of the old one is recorded.
    assert (entry.original.name, entry.processing_status, entry.render_attempts) == ("originals/new-photo", "received", 0)
    assert entry.renditions.count() == 7  # the rows of the first rendering (six and the photo), which the new run replaces


def test_an_oversized_new_photo_is_refused_with_the_size_message_and_nothing_stored(client, settings, rendered_entry):
    entry = rendered_entry()
    settings.UPLOAD_MAX_BYTES = 50_000
    big = photo(size=(2400, 1800))
    before = media()

    response = client.post(reverse("contest:guardian_drawing", args=[guardian_token(entry)]), {"image": big})

    entry.refresh_from_db()
    assert response.status_code == 400
    assert response.wsgi_request.upload_too_large is True
    assert "The image is too large (maximum 40 megapixels or 0.05 MB)." in response.content.decode()
    assert (media(), entry.original_sha256) == (before, hashlib.sha256(FIRST_PHOTO).hexdigest())


def test_an_empty_title_is_refused_with_the_error_summary(client):
    entry = EntryFactory(title="Before")

    response = client.post(reverse("contest:guardian_edit", args=[guardian_token(entry)]), details(entry, title=""))

    entry.refresh_from_db()
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert '<a href="#id_title">Title of the drawing: This field is required.</a>' in response.content.decode()
    assert entry.title == "Before"
