"""A teacher picks several photos at once on the batch page: each is sent
in parts with its own progress bar, then the table's rows name them; the
good row is saved, the bad one refused with its reason, and the parts of
both are gone."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from contest.models import Entry
from tests.browser.conftest import axe_violations, image_bytes
from tests.factories.contest import ContestFactory, EntryFactory, TeacherFactory
from tests.helpers import stored_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_sends_photos_in_parts_then_rows(open_page, live_server, axe_source, tmp_path):
    contest = ContestFactory()
    teacher = TeacherFactory(language="en")
    files = []
    for i, colour in enumerate([(200, 40, 40), (40, 200, 40), (40, 40, 200)], start=1):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(image_bytes(size=(800, 600), color=colour))
        files.append(str(path))
    page, problems = open_page("desktop", user=teacher.user)
    page.goto(live_server.url + reverse("contest:teacher_batch", args=[contest.slug]))
    assert axe_violations(page, axe_source) == []

    page.get_by_label("Photos of the drawings", exact=True).set_input_files(files)
    page.locator("#batch-progress li", has_text="✓").nth(2).wait_for(timeout=30_000)
    bars = page.locator("#batch-progress progress").evaluate_all("bars => bars.map(b => b.value)")
    born = contest.age_reference_date.replace(year=contest.age_reference_date.year - 8).isoformat()
    for column, value in [("First name", "Aigerim"), ("Last name", "Tokonova"), ("Date of birth", born),
                          ("Title of the drawing", "Mountains"), ("Guardian's e-mail", "m1@example.org"),
                          ("Photo file", "photo1.jpg")]:
        page.get_by_label(f"{column}, Row 1", exact=True).fill(value)
    for column, value in [("First name", "Bakyt"), ("Last name", "Usenov"), ("Date of birth", born),
                          ("Title of the drawing", "Cat"), ("Photo file", "photo2.jpg")]:
        page.get_by_label(f"{column}, Row 2", exact=True).fill(value)
    page.get_by_role("button", name="Send the drawings").click()
    page.get_by_text("1 drawing saved").wait_for()

    assert bars == [1, 1, 1]
    assert list(Entry.objects.values_list("child_first_name", "teacher_id")) == [("Aigerim", teacher.pk)]
    assert "Give the guardian's e-mail address or the scan of the signed consent form." in page.content()
    assert len(stored_files(settings.CHUNKED_UPLOAD_DIR)) == 2  # photo3: not named by any row, kept for a day
    assert (problems.console, problems.external) == ([], [])


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_teacher_home_class_and_consent_pages_pass_axe(open_page, live_server, axe_source, size, language):
    contest = ContestFactory()
    teacher = TeacherFactory(language=language)
    EntryFactory(contest=contest, teacher=teacher, moderation_status="pending")
    page, problems = open_page(size, user=teacher.user, language=language)
    folder = os.environ.get("SCREENSHOT_DIR")

    for name, url in [("home", reverse("contest:teacher_home")),
                      ("class", reverse("contest:teacher_class", args=[contest.slug])),
                      ("consent-form", reverse("contest:consent_form"))]:
        page.goto(live_server.url + url)
        if folder:
            page.screenshot(path=f"{folder}/teacher-{name}-{language}-{size}.png", full_page=True)
        assert axe_violations(page, axe_source) == [], name
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.goto(live_server.url + reverse("contest:teacher_home"))
    assert page.locator(f"a[href='{reverse('contest:teacher_batch', args=[contest.slug])}']").count() == 1
    assert (problems.console, problems.external) == ([], [])
