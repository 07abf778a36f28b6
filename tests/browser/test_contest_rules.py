"""A contest's rules and questions page in the browser: on a phone and a
1366 × 768 laptop, in Russian, Kazakh and Uzbek Cyrillic, with the demo's
content; every answer opens, nothing overflows the screen, and axe finds no
serious or critical violation. Screenshots go to $SCREENSHOT_DIR when set
(to look at them), to the test's temporary folder otherwise."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.management.commands.seed_demo import Command
from judging.management.demo_content import CATEGORIES, contest_texts
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def demo_contest(db):
    now = timezone.now()
    contest, _created = Command()._contest(
        slug="borders-2026", texts=contest_texts(year=2026), opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    return contest


@pytest.mark.parametrize("language", ["ru", "kk", "uz-cyrl"])
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_rules_page_reads_well_and_passes_axe(open_page, live_server, axe_source, demo_contest, tmp_path, language, size):
    page, problems = open_page("phone" if size == "phone" else "desktop", language=language)
    if size == "laptop":
        page.set_viewport_size(LAPTOP)
    url = live_server.url + reverse("contest:contest_rules", args=[demo_contest.slug])

    page.goto(url)
    page.locator(".faq summary").nth(1).click()
    page.evaluate("() => document.querySelectorAll('.faq details').forEach(d => { d.open = true; })")
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"contest-rules-{language}-{size}.png"), full_page=True)

    title = contest_texts(year=2026)[language]["title"]
    categories = [names[language] for names, _lo, _hi in CATEGORIES]
    assert page.locator("h1").inner_text() != ""
    assert page.locator("main p a").first.inner_text() == title
    assert [page.get_by_text(name, exact=False).count() >= 1 for name in categories] == [True, True, True]
    assert page.locator(".faq details[open]").count() == 7
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(f'a[href="{reverse("contest:guardian_link_request")}"]').count() == 1
    assert axe_violations(page, axe_source) == []
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def test_rules_link_on_the_contest_page_opens_the_rules(open_page, live_server, demo_contest):
    page, problems = open_page("phone", language="uz-cyrl")
    page.goto(live_server.url + reverse("contest:contest_detail", args=[demo_contest.slug]))

    with page.expect_navigation():
        page.locator(".rules-link a").click()

    assert page.url == live_server.url + reverse("contest:contest_rules", args=[demo_contest.slug])
    assert page.locator("main p a").first.inner_text() == "Чегара одамлари 2026"
    assert problems.console == []
