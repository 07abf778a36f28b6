"""The moderators' page "The drawing" in Chromium: drag a corner of the
sheet (and move one with the arrow keys), straighten, and the page comes
back with the new corners; draw a region to hide over the drawing and
save it; axe finds nothing at phone and laptop size; screenshots in
Russian and Uzbek (Cyrillic) (SCREENSHOT_DIR keeps them)."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from contest import imaging, renditions
from contest.models import Entry
from tests.browser.conftest import axe_violations, broken_images
from tests.factories.contest import EntryFactory, sheet_photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def drawing(site, monkeypatch):
    """A photo of a sheet on a table with a face found beside it, rendered
    as sent (the handles start at the photo's corners)."""
    monkeypatch.setattr("contest.imaging.rendering.find_faces", lambda image, sheet=None: [imaging.Box(0.02, 0.05, 0.12, 0.15)])
    entry = EntryFactory(
        contest=site.open_contest, original__data=sheet_photo_bytes(), original__filename="upload",
        processing_status=Entry.Processing.RECEIVED, moderation_status="pending", title="Mountain road",
        sheet_mode="photo",
    )
    renditions.entry_renditions_generate(entry_id=entry.pk)
    entry.refresh_from_db()
    assert (entry.processing_status, entry.privacy_review) == ("ready", "flagged")
    return entry


def url(live_server, entry):
    return live_server.url + reverse("contest:entry_drawing", args=[entry.contest.slug, entry.reference])


def drag(page, start, end):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def test_moderator_drags_a_corner_straightens_and_draws_a_region(open_page, live_server, site, drawing):
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(url(live_server, drawing))
    page.locator("[data-corner-frame] img").scroll_into_view_if_needed()
    photo = page.locator("[data-corner-frame] img").bounding_box()
    handle = page.locator("[data-corner-handle=tl]")
    box = handle.bounding_box()

    # The top-left handle (at the photo's corner) onto the sheet's corner, at 25 % / 25 %.
    drag(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2),
         (photo["x"] + photo["width"] * 0.25, photo["y"] + photo["height"] * 0.25))
    # The others with the keyboard: Shift+arrows move 5 % at a time.
    for key, moves in (("tr", ["ArrowLeft"] * 5 + ["ArrowDown"] * 5), ("br", ["ArrowLeft"] * 5 + ["ArrowUp"] * 5),
                       ("bl", ["ArrowRight"] * 5 + ["ArrowUp"] * 5)):
        page.locator(f"[data-corner-handle={key}]").focus()
        for move in moves:
            page.keyboard.press(f"Shift+{move}")
    assert abs(float(page.input_value("[name=tl_x]")) - 25) <= 1.5
    assert [page.input_value(f"[name={n}]") for n in ("tr_x", "tr_y", "br_x", "br_y", "bl_x", "bl_y")] == [
        "75", "25", "75", "75", "25", "75"
    ]
    with page.expect_navigation():
        page.get_by_role("button", name="Straighten along these corners").click()

    drawing.refresh_from_db()
    assert drawing.sheet_mode == "manual"
    assert abs(drawing.sheet_corners_set[0][0] - 0.25) <= 0.015 and drawing.sheet_corners_set[1] == [0.75, 0.25]
    assert drawing.processing_status == "ready"  # rendered again, eagerly, after the commit
    assert page.locator("ul.messages").inner_text().strip() == (
        "The drawing is being straightened along your corners; it will be ready in a minute."
    )
    assert page.input_value("[name=br_x]") == "75.0"
    assert abs(float(page.input_value("[name=tl_y]")) - 25) <= 1.5

    # A region dragged over the drawing, filled, saved.
    page.check("#mask-style-fill")
    page.locator("[data-mask-frame] img").scroll_into_view_if_needed()
    after = page.locator("[data-mask-frame] img").bounding_box()
    drag(page, (after["x"] + after["width"] * 0.1, after["y"] + after["height"] * 0.1),
         (after["x"] + after["width"] * 0.4, after["y"] + after["height"] * 0.3))
    assert page.locator("[data-mask-list] li").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Save the hidden regions").click()

    drawing.refresh_from_db()
    [mask] = drawing.image_masks
    assert mask["style"] == "fill"
    assert abs(mask["x"] - 0.1) < 0.02 and abs(mask["w"] - 0.3) < 0.02 and abs(mask["h"] - 0.2) < 0.02
    assert drawing.privacy_review == "cleared"
    assert page.locator("[data-mask-frame] .drawing-box-mask").count() == 1
    assert problems.console == [] and problems.requests == [] and problems.external == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_drawing_page_is_accessible(open_page, axe_source, live_server, site, drawing, size):
    page, problems = open_page(size, user=site.organizer)
    page.goto(url(live_server, drawing))

    assert axe_violations(page, axe_source) == []
    assert broken_images(page) == []
    assert problems.console == [] and problems.requests == [] and problems.external == []


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_the_drawing_page_screenshots(open_page, axe_source, live_server, site, drawing, tmp_path, size, language):
    page, problems = open_page("phone" if size == "phone" else "desktop", user=site.organizer, language=language)
    if size == "laptop":
        page.set_viewport_size(LAPTOP)
    page.goto(url(live_server, drawing))

    assert axe_violations(page, axe_source) == []
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / f"entry-drawing-{language}-{size}.png"), full_page=True)
    assert problems.console == [] and problems.requests == []
