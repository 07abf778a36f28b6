"""The home page, the language switcher, the error page and the print
styles of the winners' pages in a real browser, on a phone and on a
1366×768 laptop."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, broken_images

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
DRAWING_LOADED = (
    "() => Array.from(document.querySelectorAll('.home-drawing img, .home-strip img'))"
    ".filter(i => i.complete && i.naturalWidth > 0).length"
)


def open_at(open_page, size, language=None):
    page, problems = open_page("phone" if size == "phone" else "desktop", language=language)
    if size == "laptop":
        page.set_viewport_size(LAPTOP)
    return page, problems


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_home_shows_a_winner_drawing_countdown_and_submit_action(open_page, live_server, site, size):
    page, problems = open_at(open_page, size)
    page.goto(live_server.url + reverse("contest:home"))

    page.wait_for_function(f"() => ({DRAWING_LOADED})() > 0")
    featured = page.locator(".home-drawing img")
    box = featured.bounding_box()
    natural = page.evaluate("() => { const i = document.querySelector('.home-drawing img'); return [i.naturalWidth, i.naturalHeight]; }")
    countdown = page.locator("[data-countdown]")
    days = int(page.locator('[data-unit="days"]').inner_text())
    submit = page.locator(".home-actions a.button")
    strip = page.locator(".home-strip li")

    assert featured.get_attribute("alt") == site.winner.title
    # Uncropped: the box has the drawing's own proportions.
    assert abs(box["width"] / box["height"] - natural[0] / natural[1]) < 0.02
    assert box["width"] >= (300 if size == "phone" else 400)
    assert countdown.is_visible()
    assert days in (19, 20)  # the site's open contest closes in 20 days
    assert submit.is_visible()
    assert submit.get_attribute("href") == reverse("contest:entry_submit", args=[site.open_contest.slug])
    assert strip.count() == 2
    assert broken_images(page) == []
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("language", ["ru", "kk", "uz-cyrl"])
def test_home_accessibility(open_page, live_server, site, axe_source, size, language):
    page, problems = open_at(open_page, size, language)
    page.goto(live_server.url + reverse("contest:home"))
    page.wait_for_function(f"() => ({DRAWING_LOADED})() > 0")

    violations = axe_violations(page, axe_source)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")

    assert page.evaluate("document.documentElement.lang") == language
    assert violations == []
    assert overflow == 0
    assert problems.console == []


def test_home_without_open_contest_or_winners_has_no_broken_image(open_page, live_server, db):
    page, problems = open_page("phone")
    page.goto(live_server.url + reverse("contest:home"))

    assert page.locator(".home-drawing-empty img").is_visible()
    assert broken_images(page) == []
    assert page.locator("[data-countdown]").count() == 0
    assert (problems.console, problems.requests) == ([], [])


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_language_switcher_keeps_the_page(open_page, live_server, site, size):
    page, problems = open_at(open_page, size)
    path = reverse("contest:gallery", args=[site.published_contest.slug]) + "?country=KG"
    page.goto(live_server.url + path)
    switcher = page.locator(".language-switcher")
    box = switcher.bounding_box()
    viewport = page.viewport_size

    visible = switcher.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    page.locator("#language-select").select_option("ru")
    with page.expect_navigation():
        page.locator(".language-switcher button").click()

    assert visible
    assert page.url == live_server.url + path
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.locator("h1").inner_text() == f"Победители конкурса «{site.published_contest.title}»"
    assert problems.console == []


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_404_page_accessibility(open_page, live_server, db, axe_source, language):
    page, _problems = open_page("phone", language=language)

    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator(".error-page a.button").get_attribute("href") == "/"
    assert axe_violations(page, axe_source) == []


@pytest.mark.parametrize("name", ["gallery", "entry"])
def test_winners_pages_print_without_navigation_and_in_black(open_page, live_server, site, name):
    page, _problems = open_page("desktop")
    url = (reverse("contest:gallery", args=[site.published_contest.slug]) if name == "gallery"
           else reverse("contest:entry_detail", args=[site.winner.public_id]))
    page.goto(live_server.url + url)

    page.emulate_media(media="print")
    hidden = page.evaluate(
        "() => ['.site-header', '.language-switcher', '.gallery-filters', '.site-footer nav']"
        ".map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"
    )
    images = page.evaluate(
        "() => Array.from(document.querySelectorAll('main img')).map(i => getComputedStyle(i.closest('li') || i).breakInside)"
    )
    colour = page.evaluate("() => getComputedStyle(document.querySelector('main h1')).color")

    assert set(hidden) == {"none"}
    assert len(hidden) == (4 if name == "gallery" else 3)
    assert images and set(images) == {"avoid"}
    assert colour == "rgb(0, 0, 0)"
