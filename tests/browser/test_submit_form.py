"""The parent's form in a browser: the drawing first with its preview (or
its file name when the browser cannot show it), "take a photo" on phones,
a layout that fits a phone and a laptop in Russian and Uzbek Cyrillic
(checkboxes beside their labels, no monospace), no serious axe violation
in ru, kk and uz-cyrl, and "Submit another drawing" from the receipt."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from contest.models import Entry
from tests.browser.conftest import axe_violations, broken_images
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
SIZES = ["phone", "laptop"]


def open_form(open_page, live_server, site, size="phone", language=None, query=""):
    page, problems = open_page("phone" if size == "phone" else "desktop", language=language)
    if size == "laptop":
        page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + reverse("contest:entry_submit", args=[site.open_contest.slug]) + query)
    return page, problems


def fill_child_and_guardian(page, *, first_name="Aigerim", guardian=True):
    for field, value in [("title", "The customs officer"), ("child_first_name", first_name),
                         ("child_last_name", "Sadykova"), ("child_birth_date", "2015-09-10"), ("region", "Osh")]:
        page.fill(f"#id_{field}", value)
    page.select_option("#id_country", "KG")
    if guardian:
        page.fill("#id_guardian_name", "Gulnara Sadykova")
        page.fill("#id_guardian_email", "gulnara@example.org")
        page.select_option("#id_guardian_relationship", "mother")
    page.check("#id_consent")


def screenshot_dir(tmp_path) -> Path:
    """Where the screenshots go: $SCREENSHOT_DIR to keep them, else the test's own folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_choosing_a_file_shows_its_preview_and_name(open_page, live_server, site):
    page, problems = open_form(open_page, live_server, site)
    drawing = corpus_dir() / "drawings" / "drawing-240.jpg"

    page.set_input_files("#id_image", str(drawing))
    page.locator("[data-upload-preview-image]").wait_for()

    preview = page.locator("[data-upload-preview]")
    assert preview.is_visible()
    assert page.locator("[data-upload-preview-name]").inner_text() == "drawing-240.jpg"
    assert page.eval_on_selector("[data-upload-preview-image]", "img => img.naturalWidth") > 0
    assert page.eval_on_selector("[data-upload-preview-image]", "img => img.src.startsWith('blob:')")
    assert (problems.console, problems.external) == ([], [])


def test_photo_the_browser_cannot_show_gets_its_name_instead(open_page, live_server, site):
    page, problems = open_form(open_page, live_server, site)

    # Chromium decodes no HEIC: the preview falls back to the name.
    page.set_input_files("#id_image", files=[{"name": "IMG_0042.HEIC", "mimeType": "image/heic",
                                              "buffer": b"\x00\x00\x00\x18ftypheic" + bytes(2000)}])
    name = page.locator("[data-upload-preview-name]")
    name.filter(has_text="cannot be shown").wait_for()

    assert name.inner_text() == "IMG_0042.HEIC — This photo cannot be shown here, but it can be sent: the judges will see it."
    assert page.locator("[data-upload-preview] img").count() == 0
    assert page.locator("[data-upload-status]").inner_text() == ""


def test_take_a_photo_is_offered_on_a_phone_only(open_page, live_server, site):
    phone, _ = open_form(open_page, live_server, site, "phone")
    laptop, _ = open_form(open_page, live_server, site, "laptop")

    assert phone.get_by_text("Take a photo", exact=True).is_visible()
    assert laptop.get_by_text("Take a photo", exact=True).is_hidden()
    assert phone.get_attribute("#id_image_camera", "capture") == "environment"


def test_photo_from_the_camera_is_sent_and_another_drawing_prefills_the_guardian(open_page, live_server, site):
    page, problems = open_form(open_page, live_server, site)
    drawing = corpus_dir() / "drawings" / "drawing-240.jpg"
    page.set_input_files("#id_image", str(corpus_dir() / "drawings" / "drawing-241.jpg"))
    page.locator("[data-upload-preview-image]").wait_for()

    # The camera's picture replaces the file chosen before.
    page.set_input_files("#id_image_camera", str(drawing))
    page.locator("[data-upload-preview-name]", has_text="drawing-240.jpg").wait_for()
    assert page.eval_on_selector("#id_image", "input => input.files.length") == 0
    fill_child_and_guardian(page)
    page.get_by_role("button", name="Send the drawing").click()
    page.wait_for_url("**/receipt/", timeout=60_000)
    entry = Entry.objects.get(contest=site.open_contest)
    assert entry.original.read() == drawing.read_bytes()

    page.get_by_role("link", name="Submit another drawing").click()
    page.wait_for_url("**/submit/?another=1")
    assert [page.input_value(f"#id_{f}") for f in ("guardian_name", "guardian_email", "guardian_relationship")] == [
        "Gulnara Sadykova", "gulnara@example.org", "mother"]
    assert [page.input_value(f"#id_{f}") for f in ("child_first_name", "title", "region")] == ["", "", ""]
    assert [page.is_checked(f"#id_{f}") for f in ("consent", "publish_consent", "publish_region_consent")] == [
        False, False, False]
    page.set_input_files("#id_image", str(corpus_dir() / "drawings" / "drawing-241.jpg"))
    fill_child_and_guardian(page, first_name="Aliya", guardian=False)
    page.get_by_role("button", name="Send the drawing").click()
    page.wait_for_url("**/receipt/", timeout=60_000)
    assert sorted(Entry.objects.filter(contest=site.open_contest).values_list("child_first_name", "guardian_email")) == [
        ("Aigerim", "gulnara@example.org"), ("Aliya", "gulnara@example.org")]
    assert (problems.console, problems.external) == ([], [])


# The page as a parent sees it: boxes of the fields from top to bottom, the
# checkboxes' and their labels' boxes, the textarea's font, the overflow.
LAYOUT = """() => {
  const top = (sel) => document.querySelector(sel).getBoundingClientRect().top + window.scrollY;
  const boxes = ['consent', 'publish_consent', 'publish_region_consent'].map((name) => {
    const box = document.getElementById('id_' + name).getBoundingClientRect();
    const label = document.querySelector('label[for=id_' + name + ']').getBoundingClientRect();
    return {boxTop: box.top, boxLeft: box.left, boxRight: box.right, labelTop: label.top, labelLeft: label.left,
            labelHeight: label.height};
  });
  const fonts = ['textarea', 'input[type=text]', 'select', 'button'].map(
    (sel) => getComputedStyle(document.querySelector('form[data-entry-upload] ' + sel)).fontFamily);
  return {
    order: ['#id_image', '#id_title', '#id_child_first_name', '#id_guardian_name', '#id_consent'].map(top),
    boxes, fonts, body: getComputedStyle(document.body).fontFamily,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_submit_form_fits_and_aligns_at_phone_and_laptop_size(open_page, live_server, site, tmp_path, size, language):
    page, problems = open_form(open_page, live_server, site, size, language)
    page.set_input_files("#id_image", str(corpus_dir() / "drawings" / "drawing-240.jpg"))
    page.locator("[data-upload-preview-image]").wait_for()

    layout = page.evaluate(LAYOUT)
    page.screenshot(path=str(screenshot_dir(tmp_path) / f"submit-{size}-{language}.png"), full_page=True)

    assert layout["order"] == sorted(layout["order"])
    assert layout["overflow"] <= 0
    for box in layout["boxes"]:
        # The box before its label, on the label's first line.
        assert box["boxRight"] < box["labelLeft"]
        assert abs(box["boxTop"] - box["labelTop"]) <= 2
    # The consent labels are long: at phone size they wrap under themselves.
    if size == "phone":
        assert layout["boxes"][0]["labelHeight"] > 30
    assert set(layout["fonts"]) == {layout["body"]}
    assert "monospace" not in layout["body"]
    assert broken_images(page) == []
    assert (problems.console, problems.external) == ([], [])


@pytest.mark.parametrize("language", ["ru", "kk", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_submit_form_receipt_and_prefilled_form_accessible(open_page, axe_source, live_server, site, tmp_path,
                                                           size, language):
    page, problems = open_form(open_page, live_server, site, size, language)
    found = {"form": axe_violations(page, axe_source)}
    page.set_input_files("#id_image", str(corpus_dir() / "drawings" / "drawing-240.jpg"))
    fill_child_and_guardian(page)
    page.locator("[data-submit]").click()
    page.wait_for_url("**/receipt/", timeout=60_000)
    found["receipt"] = axe_violations(page, axe_source)
    page.screenshot(path=str(screenshot_dir(tmp_path) / f"receipt-{size}-{language}.png"), full_page=True)
    page.locator("[data-another-entry] a").click()
    page.wait_for_url("**/submit/?another=1")
    found["prefilled form"] = axe_violations(page, axe_source)
    page.screenshot(path=str(screenshot_dir(tmp_path) / f"another-{size}-{language}.png"), full_page=True)

    assert page.input_value("#id_guardian_email") == "gulnara@example.org"
    assert found == {"form": [], "receipt": [], "prefilled form": []}
    assert (problems.console, problems.external) == ([], [])
