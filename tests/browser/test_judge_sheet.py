"""The judge's score sheet and queue in the browser: the drawing and every
criterion in view together on a laptop, thumbnails in the queue, the zoom
viewer, drafts kept in the browser, and an invited judge who scores three
drawings with the keyboard alone."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from judging.models import Score
from tests.browser.conftest import broken_images
from tests.helpers import judge_entry_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
FIRST_FIELD_FOCUSED = (
    "() => document.activeElement === document.querySelector('[data-score-sheet] input.points')")
FOCUSED_TEXT = "() => (document.activeElement && document.activeElement.textContent || '').trim()"


def visible_height(box, viewport):
    return max(0, min(box["y"] + box["height"], viewport["height"]) - max(box["y"], 0))


def inside(box, viewport):
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            and box["y"] + box["height"] <= viewport["height"])


def sheet_url(live_server, site, entry):
    return live_server.url + judge_entry_url("judging:entry_score", site.judged_contest, site.judge, entry)


@pytest.mark.parametrize("language", ["en", "ru", "uz-cyrl"])
def test_laptop_sheet_shows_the_drawing_and_every_criterion_together(open_page, live_server, site, language):
    page, problems = open_page("desktop", user=site.judge, language=language)
    page.set_viewport_size(LAPTOP)
    page.goto(sheet_url(live_server, site, site.entries[0]))

    drawing = page.locator("img.display-image").bounding_box()
    inputs = [page.locator("input.points").nth(i).bounding_box() for i in range(page.locator("input.points").count())]
    save = page.locator("button[name=then][value=next]")

    assert visible_height(drawing, LAPTOP) >= 560, drawing
    assert len(inputs) == 2
    assert [inside(box, LAPTOP) for box in inputs] == [True, True], inputs
    assert inside(save.bounding_box(), LAPTOP)
    # Side by side: the drawing left of the criteria; the page needs no scrolling to score.
    assert drawing["x"] + drawing["width"] <= min(box["x"] for box in inputs)
    assert page.evaluate("() => window.scrollY") == 0
    assert problems.console == [] and problems.requests == []


def test_phone_sheet_shows_the_drawing_first_then_the_fields_and_a_way_back(open_page, live_server, site):
    page, problems = open_page("phone", user=site.judge)
    page.goto(sheet_url(live_server, site, site.entries[0]))

    drawing = page.locator("img.display-image").bounding_box()
    first_field = page.locator("input.points").first.bounding_box()
    back = page.get_by_role("link", name="Back to the drawing")

    assert drawing["y"] + drawing["height"] <= first_field["y"]
    assert drawing["width"] >= 340
    back.scroll_into_view_if_needed()
    back.click()
    page.wait_for_function("() => location.hash === '#drawing'")
    assert page.locator("img.display-image").bounding_box()["y"] < 844
    assert problems.console == []


def test_queue_shows_a_thumbnail_per_entry_and_filters(open_page, live_server, site):
    page, problems = open_page("desktop", user=site.judge)
    page.goto(live_server.url + reverse("judging:entry_list", args=[site.judged_contest.slug]))

    cards = page.locator(".queue-grid .card")
    thumbnails = page.locator(".queue-grid .card img")
    sources = [thumbnails.nth(i).get_attribute("src") for i in range(thumbnails.count())]

    assert cards.count() == 3 and thumbnails.count() == 3
    assert broken_images(page) == []
    assert all("/images/" in src and src.endswith("/card.jpeg") for src in sources)
    assert [e for e in site.entries if any(str(e.public_id) in src for src in sources)] == []
    page.get_by_role("link", name="Scored (0)").click()
    assert page.url.endswith("?show=scored")
    assert page.locator(".queue-grid .card").count() == 0
    assert page.get_by_text("No drawings here.").is_visible()
    assert problems.console == [] and problems.requests == []


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_zoom_opens_and_escape_closes(open_page, live_server, site, size):
    page, problems = open_page(size, user=site.judge)
    page.goto(sheet_url(live_server, site, site.entries[0]))

    page.locator("[data-zoom]").click()
    viewer = page.locator("dialog.zoom-viewer")
    viewer.wait_for(state="visible")
    image = page.locator(".zoom-image")
    fitted = image.bounding_box()
    page.get_by_role("button", name="1:1").click()
    actual = image.evaluate("img => img.style.transform")
    page.keyboard.press("f")
    refitted = image.bounding_box()
    page.keyboard.press("Escape")

    assert fitted["width"] > 0 and viewer.evaluate("d => d.open") is False
    assert actual.endswith("scale(1)")
    assert round(refitted["width"]) == round(fitted["width"])
    assert page.evaluate("() => document.activeElement.hasAttribute('data-zoom')")
    assert problems.console == []


def test_wheel_zooms_and_drag_moves_the_drawing(open_page, live_server, site):
    page, _problems = open_page("desktop", user=site.judge)
    page.goto(sheet_url(live_server, site, site.entries[0]))
    page.keyboard.press("z")
    page.locator("dialog.zoom-viewer").wait_for(state="visible")
    image = page.locator(".zoom-image")
    before = image.bounding_box()
    page.mouse.move(640, 450)
    page.mouse.wheel(0, -400)
    zoomed = image.bounding_box()
    page.mouse.down()
    page.mouse.move(540, 400, steps=5)
    page.mouse.up()
    moved = image.bounding_box()

    assert zoomed["width"] > before["width"] * 1.5
    assert (round(moved["x"] - zoomed["x"]), round(moved["y"] - zoomed["y"])) == (-100, -50)


def test_unsaved_scores_are_kept_restored_and_cleared_after_saving(open_page, live_server, site):
    page, problems = open_page("desktop", user=site.judge)
    url = sheet_url(live_server, site, site.entries[0])
    page.goto(url)
    page.wait_for_function(FIRST_FIELD_FOCUSED)
    page.keyboard.type("6")
    key = page.locator("[data-score-sheet]").get_attribute("data-draft-key")

    page.goto(url)
    restored = page.locator("input.points").first.input_value()
    notice = page.locator("[data-draft-notice]").is_visible()
    stored = page.evaluate("(key) => localStorage.getItem(key)", key)
    page.locator("input.points").nth(1).fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and next").click()

    assert (restored, notice) == ("6", True)
    assert '"6"' in stored
    assert key.endswith(":" + judge_entry_url("judging:entry_score", site.judged_contest, site.judge,
                                              site.entries[0]).rstrip("/").rsplit("/", 1)[1])
    assert page.evaluate("(key) => localStorage.getItem(key)", key) is None
    assert sorted(Score.objects.filter(judge=site.judge).values_list("points", flat=True)) == [3, 6]
    assert problems.console == []


def test_a_digit_on_a_scored_sheet_replaces_the_saved_points(open_page, live_server, site):
    page, problems = open_page("desktop", user=site.judge)
    url = sheet_url(live_server, site, site.entries[0])
    page.goto(url)
    page.wait_for_function(FIRST_FIELD_FOCUSED)
    page.keyboard.type("63")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(url)  # scored: no field is focused
    page.keyboard.type("8")
    first = page.locator("input.points").first.input_value()
    page.keyboard.type("2")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert first == "8"
    assert sorted(Score.objects.filter(judge=site.judge).values_list("points", flat=True)) == [2, 8]
    assert problems.console == []


def test_help_overlay_lists_the_shortcuts(open_page, live_server, site):
    page, _problems = open_page("desktop", user=site.judge)
    page.goto(sheet_url(live_server, site, site.entries[0]))
    page.wait_for_function(FIRST_FIELD_FOCUSED)
    page.keyboard.press("?")
    dialog = page.locator("dialog#sheet-help")
    dialog.wait_for(state="visible")
    keys = dialog.locator("dt").all_inner_texts()
    page.keyboard.press("Escape")

    assert [k.replace("\n", " ") for k in keys] == [
        "0–9", "↑ ↓", "Tab, Shift+Tab", "Enter", "N, P", "Z", "?", "Esc"]
    assert dialog.evaluate("d => d.open") is False


def test_invited_judge_signs_in_and_scores_three_drawings_with_the_keyboard(open_page, live_server, site):
    contest = site.judged_contest
    organizer, _problems = open_page("desktop", user=site.organizer)
    organizer.goto(live_server.url + reverse("judging:judges", args=[contest.slug]))
    organizer.get_by_label("E-mail address").fill("dilnoza@example.org")
    organizer.get_by_label("Name").fill("Dilnoza")
    organizer.get_by_label("Language of the e-mail").select_option("en")
    with organizer.expect_navigation():
        organizer.get_by_role("button", name="Send the invitation").click()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    # The judge's own browser: set a password with the keyboard.
    page, problems = open_page("desktop")
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + path)
    page.get_by_label("New password", exact=True).focus()
    page.keyboard.type("a drawing of a horse 42")
    page.keyboard.press("Tab")
    page.keyboard.type("a drawing of a horse 42")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + reverse("judging:entry_list", args=[contest.slug])

    # Signed out, the judge signs in again with the new password.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login") + "?next=" + reverse("judging:entry_list", args=[contest.slug]))
    page.locator("input[name=username]").focus()
    page.keyboard.type("dilnoza@example.org")
    page.locator("input[name=password]").focus()
    page.keyboard.type("a drawing of a horse 42")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + reverse("judging:entry_list", args=[contest.slug])

    for _ in range(40):
        page.keyboard.press("Tab")
        if "Continue with the next unscored drawing" in page.evaluate(FOCUSED_TEXT):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for points in ("7", "3", "9"):
        page.wait_for_function(FIRST_FIELD_FOCUSED)
        page.keyboard.type(points)  # Idea (0–10): complete, the cursor moves on
        page.keyboard.press("ArrowUp")  # Colour (0–5): empty, so 0; ↑ again: 1
        page.keyboard.press("ArrowUp")
        assert page.evaluate("() => document.activeElement.value") == "1"
        with page.expect_navigation():
            page.keyboard.press("Enter")

    judge_scores = sorted(
        (s.criterion.name, int(s.points))
        for s in Score.objects.filter(judge__email="dilnoza@example.org").select_related("criterion")
    )
    assert judge_scores == [("Colour", 1)] * 3 + [("Idea", 3), ("Idea", 7), ("Idea", 9)]
    assert page.url == live_server.url + reverse("judging:entry_list", args=[contest.slug])
    assert page.get_by_text("Scored 3 of 3").first.is_visible()
    assert problems.console == []
