"""The moderators' page "The drawing" in Chromium: drag a corner of the
sheet (and move one with the arrow keys), straighten, and the page comes
back with the new corners; draw a region to hide over the drawing and
save it; a handle is a ring the photo shows through, 44 px to touch; a
saved region is listed once; the photo is at least 640 px wide on a
laptop and the window's width on a phone; axe finds nothing at phone and
laptop size; screenshots in Russian and Uzbek (Cyrillic) (SCREENSHOT_DIR
keeps them)."""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

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


def listed_regions(page):
    """The hidden regions the page lists where they can be seen, by name."""
    items = page.locator("section[aria-labelledby=masks-heading] li:visible", has_text="Region")
    return [item.locator("span").first.inner_text().strip() for item in items.all()]


def pixels(page, clip):
    """The page's pixels in `clip` (CSS px at scale 1) as an RGB image."""
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


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
    assert listed_regions(page) == ["Region 1 · filled"]
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
    photo = page.locator("[data-corner-frame] img").bounding_box()
    if size == "laptop":
        # The photo being edited is large, and whole in the window's height.
        assert photo["width"] >= 640 and photo["height"] <= LAPTOP["height"]
    else:
        # The window's width less one handle (half of one on each side), and nothing wider than the window.
        assert photo["width"] >= 390 - 44 - 1
        assert page.evaluate("() => document.documentElement.scrollWidth") == 390
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    page.screenshot(path=str(shots / f"entry-drawing-{language}-{size}.png"), full_page=True)
    assert problems.console == [] and problems.requests == []


def test_a_corner_handle_is_a_ring_the_photo_shows_through(open_page, live_server, site, drawing):
    """The handle covers a 44 px square to touch, but only a ring and a thin
    crosshair are drawn: around the corner's point the photo is as it is
    without the handle."""
    page, problems = open_page("desktop", user=site.organizer)
    page.set_viewport_size(LAPTOP)
    page.goto(url(live_server, drawing))
    handle = page.locator("[data-corner-handle=br]")
    handle.scroll_into_view_if_needed()
    style = handle.evaluate("""h => { const s = getComputedStyle(h), ring = getComputedStyle(h, '::before');
        return [s.backgroundColor, s.borderTopWidth, ring.backgroundColor, ring.borderTopWidth, ring.borderRadius]; }""")
    assert style == ["rgba(0, 0, 0, 0)", "0px", "rgba(0, 0, 0, 0)", "3px", "50%"]
    box = handle.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Every part of the square answers a touch, its corners too.
    hits = page.evaluate("""([cx, cy]) => [[-21, -21], [21, -21], [21, 21], [-21, 21], [0, 0]].map(
        ([dx, dy]) => document.elementFromPoint(cx + dx, cy + dy).getAttribute('data-corner-handle'))""", [cx, cy])
    assert hits == ["br"] * 5

    clip = {"x": cx - 22, "y": cy - 22, "width": 44, "height": 44}
    shown = pixels(page, clip)
    handle.evaluate("h => { h.style.visibility = 'hidden'; }")
    bare = pixels(page, clip)
    # Inside the ring, off the crosshair's arms: the photo (and the page beside it) unchanged.
    for dx, dy in ((-5, -5), (5, -5), (5, 5), (-5, 5), (-7, -4), (4, 7)):
        point = (22 + dx, 22 + dy)
        assert max(abs(a - b) for a, b in zip(shown.getpixel(point), bare.getpixel(point), strict=True)) <= 6, point
    # The ring itself is drawn (amber, 12 px from the point).
    assert shown.getpixel((22 + 12, 22)) != bare.getpixel((22 + 12, 22))
    assert problems.console == [] and problems.requests == []


def test_a_saved_region_is_listed_once(open_page, live_server, site, drawing):
    """The script's list (saved and new regions) takes the place of the
    page's own; without the script the page's own, with a form a region."""
    drawing.image_masks = [{"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2, "style": "fill"}]
    drawing.save(update_fields=["image_masks"])
    page, problems = open_page("phone", user=site.organizer)
    page.goto(url(live_server, drawing))

    assert listed_regions(page) == ["Region 1 · filled"]
    assert page.get_by_text("Nothing is hidden.").filter(visible=True).count() == 0
    page.get_by_role("button", name="Remove").click()
    assert listed_regions(page) == []
    assert page.get_by_text("Nothing is hidden.").filter(visible=True).count() == 1
    assert problems.console == [] and problems.requests == []

    plain, _ = open_page("phone", user=site.organizer, javascript=False)
    plain.goto(url(live_server, drawing))
    assert listed_regions(plain) == ["Region 1 · filled"]
    assert plain.get_by_role("button", name="Show it again").count() == 1
