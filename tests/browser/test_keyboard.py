"""Keyboard use: a judge scores with the keyboard alone; focus is never
hidden behind a sticky or fixed element; the help link is in the same
place on every page."""

import pytest
from django.conf import settings
from django.urls import reverse

from judging.models import Score
from tests.browser.conftest import SIZES
from tests.browser.test_accessibility import guardian_urls, judge_urls, organizer_urls, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_FIELD_FOCUSED = (
    "() => document.activeElement === document.querySelector('[data-score-sheet] input.points')")
FOCUSED_TEXT = "() => (document.activeElement && document.activeElement.textContent || '').trim()"


def tab_to(page, text, limit=60):
    """Press Tab until the focused element's text contains `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in page.evaluate(FOCUSED_TEXT):
            return
    pytest.fail(f"{text!r} not reached with Tab")


def test_judge_scores_three_entries_with_the_keyboard_alone(open_page, live_server, site):
    page, problems = open_page("desktop", user=site.judge)
    import time
    def slow(route):
        time.sleep(1.5); route.continue_()
    page.route("**/judging-score*.js", slow)
    page.goto(live_server.url + reverse("judging:entry_list", args=[site.judged_contest.slug]))
    tab_to(page, "Continue with the next unscored drawing")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for _ in range(3):
        # The score sheet's script (deferred) puts the focus in the first
        # points field; a judge types once it is there, and so does the test.
        page.wait_for_function(FIRST_FIELD_FOCUSED)
        # The first points field has the focus: "7" completes Idea (0-10) and
        # moves on, "4" completes Colour (0-5) and moves to "Save and next".
        page.keyboard.type("7")
        page.keyboard.type("4")
        assert page.evaluate(FOCUSED_TEXT) == "Save and next"
        with page.expect_navigation():
            page.keyboard.press("Enter")

    scores = sorted(
        (s.entry.title, s.criterion.name, int(s.points))
        for s in Score.objects.filter(judge=site.judge).select_related("entry", "criterion")
    )
    assert scores == sorted(
        (e.title, name, points) for e in site.entries for name, points in (("Idea", 7), ("Colour", 4))
    )
    assert page.url.endswith(reverse("judging:entry_list", args=[site.judged_contest.slug]))
    assert problems.console == []


# For the focused element: every element with position sticky or fixed
# (other than the element itself, its ancestors and descendants) that
# overlaps it. An empty list on a page without such elements is the honest
# answer, and stays right if a sticky header is added later.
COVERED_BY = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const r = el.getBoundingClientRect();
  const found = [];
  for (const other of document.querySelectorAll('*')) {
    const position = getComputedStyle(other).position;
    if (position !== 'sticky' && position !== 'fixed') { continue; }
    if (other.contains(el) || el.contains(other)) { continue; }
    const o = other.getBoundingClientRect();
    const w = Math.min(r.right, o.right) - Math.max(r.left, o.left);
    const h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
    if (w > 0 && h > 0) { found.push(other.tagName + '.' + other.className); }
  }
  return {element: el.outerHTML.slice(0, 80), covered_by: found};
}"""


@pytest.mark.parametrize("size", SIZES)
def test_focus_never_hidden_behind_sticky_or_fixed_elements(open_page, live_server, site, size):
    page, _problems = open_page(size, user=site.organizer)
    urls = public_urls(site)[:4] + [reverse("contest:dashboard", args=[site.judged_contest.slug]),
                                    reverse("contest:moderation", args=[site.judged_contest.slug]) + "?filter=approved"]
    hidden, focused = [], 0
    for url in urls:
        page.goto(live_server.url + url)
        for _ in range(40):
            page.keyboard.press("Tab")
            state = page.evaluate(COVERED_BY)
            if state is None:
                continue
            focused += 1
            if state["covered_by"]:
                hidden.append((url, state))

    assert hidden == []
    assert focused > 100  # the walk really moved the focus


# The help link: how many there are, the landmark and navigation region it
# sits in, its place among that region's links, and whether the page's
# main content comes before it.
HELP_PLACE = """() => {
  const found = Array.from(document.querySelectorAll('a.help-link'));
  if (found.length !== 1) { return {count: found.length}; }
  const link = found[0];
  const landmark = link.closest('header, nav, main, aside, footer');
  const region = link.closest('footer, header, main, aside');
  const links = Array.from(region.querySelectorAll('a, button'));
  const main = document.querySelector('main');
  return {
    count: 1,
    region: region.tagName,
    landmark: landmark.tagName + ':' + (landmark.getAttribute('aria-label') || ''),
    index: links.indexOf(link),
    after_main: !!(main && (main.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING)),
    href: link.getAttribute('href'),
  };
}"""


def test_help_link_in_the_same_place_on_every_page(open_page, live_server, site):
    pages = {
        None: public_urls(site) + guardian_urls(site),
        site.judge: judge_urls(site),
        site.organizer: organizer_urls(site),
    }
    places = {}
    for user, urls in pages.items():
        page, _problems = open_page("phone", user=user)
        for url in urls:
            page.goto(live_server.url + url)
            places[url] = page.evaluate(HELP_PLACE)

    expected = {"count": 1, "region": "FOOTER", "landmark": "NAV:Help", "index": 0, "after_main": True,
                "href": f"mailto:{settings.CONTACT_EMAIL}"}
    assert {url: place for url, place in places.items() if place != expected} == {}
