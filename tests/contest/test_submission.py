import datetime as dt
from decimal import Decimal
import re

import pytest
from PIL import Image
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from contest import services
from contest.models import Entry
from tests.factories.contest import ContestFactory
from tests.helpers import corpus_dir, drawings, stored_files
from tests.contest.test_imaging import PHONE_FORMATS, PHONE_SIZES, phone_photo

pytestmark = [pytest.mark.django_db]


def form_data(image_file, **overrides):
    data = {
        "child_first_name": "Timur",
        "child_last_name": "Secretlastname",
        "child_birth_date": "2015-09-10",
        "country": "KG",
        "region": "Osh",
        "school": "Secret School 12",
        "title": "The customs officer",
        "description": "She looks at the papers.",
        "image": image_file,
        "guardian_name": "Gulnara Secretlastname",
        "guardian_email": "gulnara@example.org",
        "guardian_relationship": "mother",
        "consent": "on",
        "publish_consent": "on",
    }
    data.update(overrides)
    return data


def test_age_on_counts_whole_years():
    assert services.age_on(birth_date=dt.date(2016, 6, 15), on=dt.date(2026, 6, 15)) == 10
    assert services.age_on(birth_date=dt.date(2016, 6, 16), on=dt.date(2026, 6, 15)) == 9
    assert services.age_on(birth_date=dt.date(2012, 2, 29), on=dt.date(2026, 2, 28)) == 13
    assert services.age_on(birth_date=dt.date(2012, 2, 29), on=dt.date(2026, 3, 1)) == 14


def test_age_bands_validate_refuses_overlap():
    services.age_bands_validate(bands=[(6, 9), (10, 13), (14, 17)])

    with pytest.raises(ValidationError) as exc:
        services.age_bands_validate(bands=[(6, 10), (10, 13)])

    assert exc.value.messages == ["Age categories 6–10 and 10–13 overlap."]


def test_reference_generate_format_and_spread():
    codes = {services.reference_generate() for _ in range(500)}

    assert len(codes) == 500
    assert all(re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", c) for c in codes)


def test_window_check_boundaries_are_half_open():
    opens = timezone.now().replace(microsecond=0)
    contest = ContestFactory(opens_at=opens, closes_at=opens + dt.timedelta(days=30))
    second = dt.timedelta(seconds=1)

    services.window_check(contest=contest, at=opens)
    services.window_check(contest=contest, at=contest.closes_at - second)
    with pytest.raises(ValidationError) as early:
        services.window_check(contest=contest, at=opens - second)
    with pytest.raises(ValidationError) as late:
        services.window_check(contest=contest, at=contest.closes_at)

    assert early.value.code == "not_open"
    assert late.value.code == "closed"
    local_close = formats.date_format(timezone.localtime(contest.closes_at, contest.tzinfo), "DATETIME_FORMAT")
    assert late.value.messages == [f"Submissions closed on {local_close} (Bishkek)."]


def test_submit_creates_entry_sends_receipt_and_queues_renditions(client, django_capture_on_commit_callbacks, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]

    with django_capture_on_commit_callbacks(execute=False) as callbacks, drawing.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", entry.reference)
    assert (entry.child_age, entry.age_category.name, entry.processing_status) == (10, "10-13", "received")
    assert entry.consent_version == contest.consent_version
    # The receipt e-mail, the renditions, and the cached ranking marked stale.
    assert len(callbacks) == 3
    receipt = client.get(response["Location"])
    assert entry.reference in receipt.content.decode()
    assert "Secretlastname" not in receipt.content.decode()
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["gulnara@example.org"]]
    assert entry.reference in mail.outbox[0].body
    entry.refresh_from_db()
    assert entry.processing_status == "ready"


def test_submit_refuses_age_outside_every_category_and_keeps_nothing(client, settings):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]

    with drawing.open("rb") as fh:
        response = client.post(
            reverse("contest:entry_submit", args=[contest.slug]), form_data(fh, child_birth_date="2022-01-01")
        )

    assert response.status_code == 400
    assert "this contest is for ages 6–9, 10–13, 14–17" in response.content.decode()
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert mail.outbox == []


def test_submit_refuses_file_that_is_not_an_image(client, settings):
    contest = ContestFactory()

    with (corpus_dir() / "crafted" / "plain_text_named.jpg").open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 400
    assert "This file is not an image." in response.content.decode()
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_submit_one_second_after_close_is_refused(client, settings):
    contest = ContestFactory(closes_at=timezone.now() - dt.timedelta(seconds=1))
    drawing = drawings(1)[0]

    with drawing.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 403
    assert "Submissions closed on" in response.content.decode()
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_contest_page_shows_submit_button_only_while_open(client):
    open_contest = ContestFactory()
    closed = ContestFactory(closes_at=timezone.now() - dt.timedelta(days=1), opens_at=timezone.now() - dt.timedelta(days=9))

    open_page = client.get(reverse("contest:contest_detail", args=[open_contest.slug])).content.decode()
    closed_page = client.get(reverse("contest:contest_detail", args=[closed.slug])).content.decode()

    assert reverse("contest:entry_submit", args=[open_contest.slug]) in open_page
    assert reverse("contest:entry_submit", args=[closed.slug]) not in closed_page


def test_double_click_on_submit_creates_one_entry(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    url = reverse("contest:entry_submit", args=[contest.slug])
    token = re.search(r'name="submission_token" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)

    responses = []
    for _ in range(2):
        with drawing.open("rb") as fh:
            responses.append(client.post(url, form_data(fh, submission_token=token)))

    assert [r.status_code for r in responses] == [302, 302]
    assert Entry.objects.count() == 1


def test_same_image_twice_names_the_earlier_reference(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    url = reverse("contest:entry_submit", args=[contest.slug])
    with drawing.open("rb") as fh:
        client.post(url, form_data(fh))
    first = Entry.objects.get()

    with drawing.open("rb") as fh:
        response = client.post(url, form_data(fh, child_first_name="Other"))

    assert response.status_code == 400
    assert f"This image was already sent to this contest (reference {first.reference})." in response.content.decode()
    assert Entry.objects.count() == 1


def test_oversized_upload_is_refused_without_reading_it_whole(client, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    big = max(drawings(30), key=lambda p: p.stat().st_size)
    assert big.stat().st_size > 3 * settings.UPLOAD_MAX_BYTES

    with big.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 400
    assert "The image is too large (maximum 40 megapixels or 0.05 MB)." in response.content.decode()
    assert response.wsgi_request.upload_too_large is True
    assert Entry.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_small_photo_is_accepted_with_a_visible_warning_and_flagged(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    small = next(p for p in drawings(40) if min(Image.open(p).size) < 600)

    with small.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh), follow=True)

    entry = Entry.objects.get()
    assert response.status_code == 200
    assert entry.low_resolution is True
    assert min(entry.original_width, entry.original_height) < 600
    assert "judges see more detail in a larger photo" in response.content.decode()


def test_same_image_from_another_guardian_does_not_reveal_the_reference(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    url = reverse("contest:entry_submit", args=[contest.slug])
    with drawing.open("rb") as fh:
        client.post(url, form_data(fh))
    first = Entry.objects.get()

    with drawing.open("rb") as fh:
        response = client.post(url, form_data(fh, child_first_name="Other", guardian_email="someone@example.org"))

    page = response.content.decode()
    assert response.status_code == 400
    assert "This image was already sent to this contest." in page
    assert first.reference not in page
    assert Entry.objects.count() == 1


def test_contest_limits_can_only_tighten_the_site_policy(settings):
    strict = ContestFactory(upload_max_megabytes=2, upload_max_megapixels=1, upload_min_side=300,
                            upload_max_aspect=Decimal("4.5"))
    loose = ContestFactory(upload_max_megabytes=500, upload_max_megapixels=900, upload_min_side=1,
                           upload_max_aspect=Decimal("50"))

    assert services.upload_policy(contest=strict) == services.upload_policy().__class__(
        max_bytes=2_000_000, max_pixels=1_000_000, min_side=300, max_aspect=4.5, low_res_side=600
    )
    assert services.upload_policy(contest=loose) == services.upload_policy()


def test_contest_pixel_limit_refuses_a_larger_drawing_with_its_own_figure(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15), upload_max_megapixels=1)
    big = next(p for p in drawings(60) if Image.open(p).size[0] * Image.open(p).size[1] > 1_000_000)

    with big.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(fh))

    assert response.status_code == 400
    assert "The image is too large (maximum 1 megapixels or 25 MB)." in response.content.decode()
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("fmt", PHONE_FORMATS)
@pytest.mark.parametrize("size", PHONE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_phone_size_photo_in_every_format_is_accepted_through_the_form(client, fmt, size):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    upload = SimpleUploadedFile(f"photo.{fmt.lower()}", phone_photo(fmt, *size), content_type="application/octet-stream")

    response = client.post(reverse("contest:entry_submit", args=[contest.slug]), form_data(upload))

    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("contest:entry_receipt", args=[contest.slug])
    entry = Entry.objects.get()
    assert (entry.original_width, entry.original_height, entry.low_resolution) == (*size, False)


def page_field_order(html: str) -> list[str]:
    """The names of the submit form's fields in page order: the order a
    browser sends them in."""
    form = re.search(r'<form method="post" enctype="multipart/form-data".*?</form>', html, re.S).group(0)
    return list(dict.fromkeys(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form)))


@pytest.mark.parametrize("extra_bytes", [1_000, 100_000], ids=["stopped-in-the-file", "stopped-by-length"])
def test_oversized_upload_without_javascript_keeps_what_the_parent_typed(client, settings, extra_bytes):
    settings.UPLOAD_MAX_BYTES = 200_000
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    url = reverse("contest:entry_submit", args=[contest.slug])
    order = page_field_order(client.get(url).content.decode())
    typed = form_data(
        SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + bytes(200_000 + extra_bytes), content_type="image/jpeg"),
        submission_token="", upload_id="", website="",
    )
    # The photo comes first, before the fields the parent types.
    assert [name for name in order if name in typed and name not in ("submission_token", "upload_id")][0] == "image"
    # An unticked checkbox is not sent at all.
    assert sorted(set(order) - set(typed)) == ["csrfmiddlewaretoken", "publish_region_consent"]

    response = client.post(url, {name: typed[name] for name in order if name in typed})

    page = response.content.decode()
    assert response.status_code == 400
    assert response.wsgi_request.upload_too_large is True
    assert {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()} == {
        "image": ["The image is too large (maximum 40 megapixels or 0.2 MB)."]
    }
    assert "This field is required." not in page
    for value in ("Gulnara Secretlastname", "gulnara@example.org", "The customs officer", "2015-09-10"):
        assert f'value="{value}"' in page
    assert re.search(r'<option value="mother" selected>', page)
    assert re.search(r'name="consent"[^>]*checked', page)
    assert Entry.objects.count() == 0


def test_simultaneous_double_click_lands_both_posts_on_the_same_receipt(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    url = reverse("contest:entry_submit", args=[contest.slug])
    token = re.search(r'name="submission_token" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    before = dict(client.session.items())
    with drawing.open("rb") as fh:
        first = client.post(url, form_data(fh, submission_token=token))
    # The twin post read the session before the first one saved the token in it.
    session = client.session
    session.clear()
    session.update(before)
    session.save()
    with drawing.open("rb") as fh:
        second = client.post(url, form_data(fh, submission_token=token))

    entry = Entry.objects.get()
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"] == reverse("contest:entry_receipt", args=[contest.slug])
    assert entry.reference in client.get(second["Location"]).content.decode()
    assert entry.submission_token == token


def test_same_image_with_a_token_of_another_form_is_still_refused(client):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    drawing = drawings(1)[0]
    url = reverse("contest:entry_submit", args=[contest.slug])
    with drawing.open("rb") as fh:
        client.post(url, form_data(fh, submission_token="a" * 32))
    first = Entry.objects.get()

    with drawing.open("rb") as fh:
        response = Client().post(url, form_data(fh, submission_token="b" * 32, child_first_name="Other"))

    assert response.status_code == 400
    assert f"This image was already sent to this contest (reference {first.reference})." in response.content.decode()


def test_every_described_by_reference_on_the_form_names_an_element_of_the_page(client):
    contest = ContestFactory()

    page = client.get(reverse("contest:entry_submit", args=[contest.slug])).content.decode()

    ids = set(re.findall(r'\bid="([^"]+)"', page))
    referenced = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', page) for ref in refs.split()}
    assert "id_image_helptext" in referenced
    assert referenced - ids == set()
