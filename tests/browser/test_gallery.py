"""The winners' gallery in a real browser: the lightbox by keyboard alone,
and axe on a filtered gallery (with the lightbox closed and open)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SIZES, axe_violations, broken_images

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE_IN_DIALOG = "() => !!document.activeElement.closest('dialog.lightbox')"
DIALOG_OPEN = "() => !!document.querySelector('dialog.lightbox') && document.querySelector('dialog.lightbox').open"
IMAGE_LOADED = "() => document.querySelector('.lightbox-image').complete"
DIALOG_TITLE = "() => document.getElementById('lightbox-title').textContent"
ACTIVE_HREF = "() => document.activeElement.getAttribute('href')"


def gallery_url(live_server, site, **params):
    from urllib.parse import urlencode

    url = live_server.url + reverse("contest:gallery", args=[site.published_contest.slug])
    return f"{url}?{urlencode(params)}" if params else url


def press(page, key):
    """A key in the open lightbox; then wait for its image, as a person would."""
    page.keyboard.press(key)
    page.wait_for_function(IMAGE_LOADED)
    return page.evaluate(DIALOG_TITLE)


def tab_to(page, href, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_HREF) == href:
            return
    raise AssertionError(f"Tab never reached {href}")


def test_lightbox_by_keyboard(open_page, live_server, site):
    page, problems = open_page("desktop")
    page.goto(gallery_url(live_server, site))
    cards = page.eval_on_selector_all("a[data-lightbox-item]", "links => links.map(a => [a.getAttribute('href'), a.dataset.title])")
    first_href, first_title = cards[0]
    second_title = cards[1][1]

    tab_to(page, first_href)
    page.keyboard.press("Enter")
    page.wait_for_function(DIALOG_OPEN)
    opened = (page.url, page.evaluate(DIALOG_TITLE), page.evaluate(ACTIVE_IN_DIALOG))
    page.wait_for_function(IMAGE_LOADED)
    loaded = page.evaluate("() => document.querySelector('.lightbox-image').naturalWidth > 0")
    after_right = press(page, "ArrowRight")
    after_left = press(page, "ArrowLeft")
    wrapped = press(page, "ArrowLeft")  # round to the last entry
    trapped = []
    for key in ["Tab"] * 6 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        trapped.append(page.evaluate(ACTIVE_IN_DIALOG))
    page.keyboard.press("Escape")
    closed = page.evaluate(DIALOG_OPEN)
    focus_after = page.evaluate(ACTIVE_HREF)

    assert opened == (gallery_url(live_server, site), first_title, True)
    assert loaded
    assert (after_right, after_left, wrapped) == (second_title, first_title, cards[-1][1])
    assert all(trapped)
    assert closed is False
    assert focus_after == cards[-1][0]  # the card of the entry last shown
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def test_lightbox_buttons_have_names_and_return_focus(open_page, live_server, site):
    page, problems = open_page("phone")
    page.goto(gallery_url(live_server, site))
    first_href = page.eval_on_selector("a[data-lightbox-item]", "a => a.getAttribute('href')")

    tab_to(page, first_href)
    page.keyboard.press("Enter")
    page.wait_for_function(DIALOG_OPEN)
    names = page.eval_on_selector_all("dialog.lightbox button", "bs => bs.map(b => b.textContent.trim())")
    focused_first = page.evaluate("() => document.activeElement.className")
    page.keyboard.press("Enter")
    closed = page.evaluate(DIALOG_OPEN)

    assert names == ["Close ×", "← Previous drawing", "Next drawing →"]
    assert focused_first == "lightbox-close"
    assert closed is False
    assert page.evaluate(ACTIVE_HREF) == first_href
    assert problems.console == []


def test_card_opens_the_entry_page_without_javascript(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(gallery_url(live_server, site))

    page.click("a[data-lightbox-item]")
    page.wait_for_load_state()
    title = page.title()
    context.close()

    assert title == site.winner.title


@pytest.mark.parametrize("size", SIZES)
def test_filtered_gallery_accessible(open_page, axe_source, live_server, site, size):
    category = site.published_contest.age_categories.first()
    page, problems = open_page(size)
    page.goto(gallery_url(live_server, site, country="KG", category=category.pk))
    closed = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
    current = page.eval_on_selector_all("[aria-current]", "links => links.map(a => a.textContent.trim())")
    page.click("a[data-lightbox-item]")
    page.wait_for_function(DIALOG_OPEN)
    page.wait_for_function(IMAGE_LOADED)
    opened = axe_violations(page, axe_source)

    assert closed == []
    assert opened == []
    assert current == ["Kyrgyzstan", category.name]
    assert (problems.console, problems.requests, problems.external) == ([], [], [])
