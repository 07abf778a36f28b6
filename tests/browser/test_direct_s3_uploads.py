"""With S3 (`UPLOAD_DIRECT_S3`), the parent's form and a teacher's batch
page send each photo's parts straight to the bucket (one shared script,
static/js/s3-parts.js): the entries take the objects as they are, and a
refused batch row's object is gone. Runs in the services run (moto's S3,
whose CORS lets the browser PUT)."""

import os

import pytest
from django.urls import reverse
from storages.backends.s3 import S3Storage

from contest.models import Entry, StagedUpload
from tests.browser.conftest import image_bytes
from tests.browser.test_upload import fill_form
from tests.factories.contest import ContestFactory, TeacherFactory
from tests.helpers import corpus_dir
from tests.services.support import s3_keys, s3_multipart_uploads

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def direct_s3(settings, monkeypatch):
    """Direct uploads on; the names of the files the portal itself wrote
    whole to S3 (none: the browser sent them)."""
    settings.UPLOAD_DIRECT_S3 = True
    # The worker is not asked here: the entry keeps the raw object.
    monkeypatch.setattr("contest.services.submission.renditions_enqueue", lambda **kw: None)
    written = []
    original = S3Storage._save
    monkeypatch.setattr(S3Storage, "_save", lambda self, name, content: written.append(name) or original(self, name, content))
    return written


def s3_allowed(page):
    """The bucket is the one place outside the portal the page may reach."""
    page.context.route(os.environ["S3_ENDPOINT_URL"] + "/**", lambda route: route.continue_())


def test_parent_sends_the_photo_straight_to_s3(open_page, live_server, site, direct_s3):
    page, problems = open_page("phone")
    s3_allowed(page)
    page.goto(live_server.url + reverse("contest:entry_submit", args=[site.open_contest.slug]))
    drawing = corpus_dir() / "drawings" / "drawing-240.jpg"

    fill_form(page, drawing)
    page.get_by_role("button", name="Send the drawing").click()
    page.wait_for_url("**/receipt/", timeout=60_000)

    entry = Entry.objects.get(contest=site.open_contest)
    assert page.locator("[data-reference]").inner_text() == entry.reference
    assert entry.original.read() == drawing.read_bytes()
    assert s3_keys(f"originals/{site.open_contest.pk}/") == [entry.original.name]
    assert StagedUpload.objects.count() == 0
    assert direct_s3 == []
    assert problems.console == []


def test_teacher_sends_photos_straight_to_s3_then_rows(open_page, live_server, tmp_path, direct_s3):
    contest = ContestFactory()
    teacher = TeacherFactory(language="en")
    files, data = [], {}
    for i, colour in enumerate([(200, 40, 40), (40, 200, 40)], start=1):
        path = tmp_path / f"photo{i}.jpg"
        data[path.name] = image_bytes(size=(800, 600), color=colour)
        path.write_bytes(data[path.name])
        files.append(str(path))
    page, problems = open_page("desktop", user=teacher.user)
    s3_allowed(page)
    page.goto(live_server.url + reverse("contest:teacher_batch", args=[contest.slug]))

    page.get_by_label("Photos of the drawings", exact=True).set_input_files(files)
    page.locator("#batch-progress li", has_text="✓").nth(1).wait_for(timeout=30_000)
    staged = dict(StagedUpload.objects.values_list("file_name", "name"))
    born = contest.age_reference_date.replace(year=contest.age_reference_date.year - 8).isoformat()
    for row, (first, photo, email) in enumerate(
        [("Aigerim", "photo1.jpg", "m1@example.org"), ("Bakyt", "photo2.jpg", "")], start=1
    ):
        for column, value in [("First name", first), ("Last name", "Tokonova"), ("Date of birth", born),
                              ("Title of the drawing", "Mountains"), ("Guardian's e-mail", email),
                              ("Photo file", photo)]:
            page.get_by_label(f"{column}, Row {row}", exact=True).fill(value)
    page.get_by_role("button", name="Send the drawings").click()
    page.get_by_text("1 drawing saved").wait_for()

    entry = Entry.objects.get()
    assert (entry.child_first_name, entry.teacher_id) == ("Aigerim", teacher.pk)
    assert entry.original.name == staged["photo1.jpg"] and entry.original.read() == data["photo1.jpg"]
    assert "Give the guardian's e-mail address or the scan of the signed consent form." in page.content()
    assert StagedUpload.objects.count() == 0
    assert s3_keys(f"originals/{contest.pk}/") == [staged["photo1.jpg"]]
    assert s3_multipart_uploads(f"originals/{contest.pk}/") == []
    assert direct_s3 == []
    assert problems.console == []
