"""The parent's form as a page: the drawing first, then the child, then the
guardian and the consents; errors beside their fields and in a summary in
the same order; "Submit another drawing" prefills the guardian's details
from the session, never from the URL."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest import sibling
from contest.models import Entry
from contest.uploads import discard_max_bytes
from tests.contest.test_submission import form_data, page_field_order
from tests.factories.contest import ContestFactory
from tests.helpers import drawings, stored_files

pytestmark = [pytest.mark.django_db]

# The fields a parent fills in, in the order of the page.
PAGE_ORDER = [
    "image", "title", "description",
    "child_first_name", "child_last_name", "child_birth_date", "country", "region", "school",
    "guardian_name", "guardian_email", "guardian_relationship",
    "consent", "publish_consent", "publish_region_consent",
]
GUARDIAN = {"guardian_name": "Gulnara Secretlastname", "guardian_email": "gulnara@example.org",
            "guardian_relationship": "mother"}


def submit_url(contest):
    return reverse("contest:entry_submit", args=[contest.slug])


def visible_fields(html):
    hidden = {"csrfmiddlewaretoken", "submission_token", "upload_id", "website"}
    return [name for name in page_field_order(html) if name not in hidden]


def submitted(client, contest, **overrides):
    """Send one valid entry (the first corpus drawing) and return the response."""
    with drawings(1)[0].open("rb") as fh:
        return client.post(submit_url(contest), form_data(fh, **overrides))


def test_submit_form_asks_for_the_drawing_then_the_child_then_the_guardian(client):
    contest = ContestFactory()

    page = client.get(submit_url(contest)).content.decode()

    assert visible_fields(page) == PAGE_ORDER
    assert re.findall(r"<legend>([^<]+)</legend>", page) == ["The drawing", "The child", "Parent or guardian", "Consent"]


def test_submit_form_offers_a_file_and_on_phones_the_camera_for_the_same_field(client):
    contest = ContestFactory()

    page = client.get(submit_url(contest)).content.decode()

    inputs = re.findall(r'<input type="file"[^>]*>', page)
    assert len(inputs) == 2
    assert 'name="image"' in inputs[0] and 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif"' in inputs[0]
    assert re.search(r'name="image" accept="image/\*" capture="environment"', inputs[1])
    assert re.search(r'<label for="id_image_camera"[^>]*>Take a photo</label>', page)


def test_submit_form_shows_how_to_photograph_with_both_example_pictures(client):
    contest = ContestFactory()

    page = client.get(submit_url(contest)).content.decode()

    help_box = re.search(r'<details class="photo-help".*?</details>', page, re.S).group(0)
    assert "How to photograph a drawing" in help_box
    assert re.findall(r'src="/static/img/photo-help/(\w+)\.svg"', help_box) == ["good", "bad"]
    assert len(re.findall(r'<img [^>]*alt="[^"]{20,}"', help_box)) == 2
    assert [t.strip() for t in re.findall(r"<li>([^<]+)</li>", help_box)] == [
        "Take the photo in daylight, near a window, out of direct sun.",
        "Lay the drawing flat and hold the phone straight above it.",
        "Fit the whole sheet in the frame, with a little space around it.",
        "Turn the flash off, and keep hands and shadows off the sheet.",
    ]


def test_refused_form_lists_errors_in_page_order_and_shows_each_beside_its_field(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    data = form_data("", child_first_name="", guardian_name="")
    del data["image"]

    response = client.post(submit_url(contest), data)

    page = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert response.status_code == 400
    assert re.findall(r'<a href="#(\w+)">', summary) == ["id_image", "id_child_first_name", "id_guardian_name"]
    assert page.index(summary) < page.index("<form method=\"post\" enctype=\"multipart/form-data\"")
    for field in ("image", "child_first_name", "guardian_name"):
        beside = re.search(rf'id="id_{field}".*?<ul class="errorlist" id="id_{field}_errors"><li>([^<]+)</li>', page, re.S)
        assert beside.group(1) == "This field is required."
    # What was typed stays.
    assert 'value="gulnara@example.org"' in page
    assert 'value="The customs officer"' in page


def test_oversized_upload_over_the_reading_cap_stops_and_says_too_large(client, settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    huge = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + bytes(discard_max_bytes()), content_type="image/jpeg")

    response = client.post(submit_url(contest), form_data(huge))

    assert response.status_code == 400
    assert response.wsgi_request.upload_too_large is True
    assert response.context["form"].errors["image"] == ["The image is too large (maximum 40 megapixels or 0.1 MB)."]
    # Not read on: the fields after the photo never arrived.
    assert "gulnara@example.org" not in response.content.decode()
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_submission_keeps_only_the_guardians_details_for_another_drawing(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))

    response = submitted(client, contest)

    assert response.status_code == 302
    assert client.session[sibling.SESSION_KEY]["fields"] == GUARDIAN


def test_receipt_offers_another_drawing_without_personal_data_in_the_link(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    submitted(client, contest)

    page = client.get(reverse("contest:entry_receipt", args=[contest.slug])).content.decode()

    block = re.search(r"<section class=\"another-entry\".*?</section>", page, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', block) == [f"{submit_url(contest)}?another=1"]
    assert "Submit another drawing" in block


def test_another_drawing_prefills_the_guardian_once_and_never_the_child_or_consents(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    submitted(client, contest)

    response = client.get(f"{submit_url(contest)}?another=1")
    again = client.get(f"{submit_url(contest)}?another=1").content.decode()

    page = response.content.decode()
    form = response.context["form"]
    assert {name: form[name].value() for name in GUARDIAN} == GUARDIAN
    assert 'value="Gulnara Secretlastname"' in page and 'value="gulnara@example.org"' in page
    assert re.search(r'<option value="mother" selected>', page)
    for child_field in ("child_first_name", "child_last_name", "child_birth_date", "region", "school", "title"):
        assert form[child_field].value() is None
    assert "Timur" not in page and "Secret School" not in page
    assert re.findall(r'<input type="checkbox"[^>]*>', page) == [
        f'<input type="checkbox" name="{name}"{" required" if name == "consent" else ""} id="id_{name}">'
        for name in ("consent", "publish_consent", "publish_region_consent")
    ]
    assert "give the consents again for this child" in page
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    # Used once: opened again, the form is empty.
    assert "gulnara@example.org" not in again and "data-prefilled" not in again
    assert sibling.SESSION_KEY not in client.session


def test_submit_form_without_another_is_not_prefilled_and_keeps_the_details(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    submitted(client, contest)

    page = client.get(submit_url(contest)).content.decode()

    assert "gulnara@example.org" not in page
    assert client.session[sibling.SESSION_KEY]["fields"] == GUARDIAN


def test_another_drawing_in_a_new_session_is_an_empty_form(client):
    contest = ContestFactory()

    response = client.get(f"{submit_url(contest)}?another=1")

    assert response.status_code == 200
    assert {name: response.context["form"][name].value() for name in GUARDIAN} == dict.fromkeys(GUARDIAN)
    assert "data-prefilled" not in response.content.decode()


def test_the_second_childs_entry_is_made_with_the_prefilled_guardian(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    submitted(client, contest)
    client.get(f"{submit_url(contest)}?another=1")

    with drawings(2)[1].open("rb") as fh:
        response = client.post(submit_url(contest), form_data(fh, child_first_name="Aliya", child_birth_date="2013-04-02"))

    assert response.status_code == 302
    assert sorted(Entry.objects.values_list("child_first_name", "guardian_email")) == [
        ("Aliya", "gulnara@example.org"), ("Timur", "gulnara@example.org")
    ]
    assert client.session[sibling.SESSION_KEY]["fields"] == GUARDIAN


def test_guardian_recall_forgets_details_older_than_the_prefill_time():
    session = {}
    sibling.guardian_remember(session, cleaned_data={**GUARDIAN, "child_first_name": "Timur"}, now=1_000.0)
    fresh = dict(session)

    stale = sibling.guardian_recall(session, now=1_000.0 + sibling.PREFILL_SECONDS + 1)
    recalled = sibling.guardian_recall(fresh, now=1_000.0 + sibling.PREFILL_SECONDS)

    assert (stale, session) == ({}, {})
    assert (recalled, fresh) == (GUARDIAN, {})


def test_form_sent_without_javascript_with_the_camera_input_left_empty_makes_the_entry(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    fields = form_data(None)
    del fields["image"]
    # As a browser sends it: both file inputs named "image", the chosen
    # file first and the unused camera input empty, with no file name.
    parts = [
        (f'name="image"; filename="{drawing.name}"', "image/jpeg", drawing.read_bytes()),
        ('name="image"; filename=""', "application/octet-stream", b""),
    ] + [(f'name="{name}"', None, value.encode()) for name, value in fields.items()]
    body = b"".join(
        b"--BOUNDARY\r\nContent-Disposition: form-data; " + disposition.encode() + b"\r\n"
        + (f"Content-Type: {kind}\r\n".encode() if kind else b"") + b"\r\n" + value + b"\r\n"
        for disposition, kind, value in parts
    ) + b"--BOUNDARY--\r\n"

    response = client.post(submit_url(contest), body, content_type="multipart/form-data; boundary=BOUNDARY")

    assert response.status_code == 302
    assert Entry.objects.get().original.read() == drawing.read_bytes()
