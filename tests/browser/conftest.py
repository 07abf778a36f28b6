"""Browser tests: the running portal (pytest-django's live server) driven by
Playwright in Debian's Chromium, with axe-core injected into each page.

They fail, never skip, when Chromium or axe-core is missing: run
`scripts/browser_setup.sh` first.
"""

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API keeps an event loop in this thread; the ORM calls that
# set up data between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run scripts/browser_setup.sh", pytrace=False)
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/browser_setup.sh", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The playwright package is missing: pip install -r requirements-dev.txt", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Problems:
    """What a page did wrong while it was open: console errors, failed or
    refused requests."""

    console: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    external: list = field(default_factory=list)


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(size="phone", user=None, language=None, javascript=True)`
    → (page, problems).

    Every request that leaves the live server is refused and recorded: the
    portal must make no external request at all."""
    contexts = []

    def _open(size="phone", user=None, language=None, javascript=True):
        context = browser.new_context(viewport=SIZES[size], locale="en-US", has_touch=size == "phone",
                                      is_mobile=size == "phone", java_script_enabled=javascript)
        contexts.append(context)
        problems = Problems()
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                  "url": live_server.url}])
        if language is not None:
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])

        def route(route_):
            if route_.request.url.startswith(live_server.url) or route_.request.url.startswith("data:"):
                route_.continue_()
            else:
                problems.external.append(route_.request.url)
                route_.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and problems.console.append(msg.text))
        page.on("pageerror", lambda exc: problems.console.append(str(exc)))
        # A request the browser cancels itself because the page moved on
        # (net::ERR_ABORTED: an image still loading on slow storage) is
        # not a failure; every other failed request is.
        page.on("requestfailed", lambda req: req.failure != "net::ERR_ABORTED"
                and problems.requests.append(f"{req.url} {req.failure}"))
        page.on("response", lambda res: res.status >= 400 and problems.requests.append(f"{res.url} {res.status}"))
        return page, problems

    yield _open
    for context in contexts:
        context.close()


def axe_violations(page, axe_source, *, impacts=("serious", "critical")):
    """axe-core's violations of the WCAG 2.2 AA rules with one of `impacts`,
    as readable strings."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the debugging protocol: the page's CSP (no inline
        # scripts) stays on and is not weakened for the scan.
        page.evaluate(axe_source)
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + json.dumps([n["target"] for n in v["nodes"]][:5])
        for v in result
        if v["impact"] in impacts
    ]


def broken_images(page):
    """Images that finished loading without pixels (after scrolling every
    lazy image into view)."""
    page.evaluate("() => document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=10_000)
    return page.evaluate("() => Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.currentSrc || i.src)")


@dataclass
class Site:
    """A portal with one contest of each kind: open for entries, being
    judged, and with published winners."""

    open_contest: object
    judged_contest: object
    published_contest: object
    judge: object
    organizer: object
    entries: list
    winner: object


def image_bytes(fmt="JPEG", size=(400, 300), color=(40, 120, 200)):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def add_renditions(entry, jpeg=False):
    """The entry's card and display images (WebP, and JPEG when asked)."""
    from django.core.files.base import ContentFile

    from tests.factories.contest import RenditionFactory

    for kind in ("card", "card2x", "display", "display2x"):
        if jpeg:
            RenditionFactory(entry=entry, kind=kind)
        RenditionFactory(entry=entry, kind=kind, format="webp",
                         file=ContentFile(image_bytes("WEBP"), name=f"{kind}.webp"))


@pytest.fixture
def site(db):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tests.factories.contest import ContestFactory, EntryFactory, published_winner
    from tests.factories.judging import CriterionFactory, JudgeAssignmentFactory, OrganizerFactory, ScoreFactory

    now = timezone.now()
    open_contest = ContestFactory(title="People of the border 2026", slug="borders-2026")
    judged = ContestFactory(title="People of the border 2025", slug="borders-2025",
                            opens_at=now - dt.timedelta(days=40), closes_at=now - dt.timedelta(days=2))
    criteria = [CriterionFactory(contest=judged, name="Idea", weight=Decimal(2), max_points=10, order=1),
                CriterionFactory(contest=judged, name="Colour", weight=Decimal(1), max_points=5, order=2)]
    judge = JudgeAssignmentFactory(contest=judged).judge
    entries = []
    for i in range(3):
        entry = EntryFactory(contest=judged, title=f"Customs post {i + 1}", description="A guard with a dog.")
        add_renditions(entry, jpeg=True)
        entries.append(entry)
    # Two other judges have scored every entry (so the results page shows its
    # ranking, charts and agreement); `judge` has scored nothing yet.
    for points in ([8, 6, 3], [7, 5, 4]):
        other = JudgeAssignmentFactory(contest=judged).judge
        for entry, p in zip(entries, points, strict=True):
            for criterion in criteria:
                ScoreFactory(judge=other, entry=entry, criterion=criterion,
                             points=Decimal(min(p, criterion.max_points)))
    published = ContestFactory(title="People of the border 2024", slug="borders-2024",
                               opens_at=now - dt.timedelta(days=400), closes_at=now - dt.timedelta(days=300))
    winner = published_winner(published, place=1, title="The guard and the camel")
    add_renditions(winner)
    add_renditions(published_winner(published, place=2, title="Passports", category=published.age_categories.last()))
    published.results_published_at = now
    published.save()
    organizer = OrganizerFactory(contests=[open_contest, judged, published])
    return Site(open_contest, judged, published, judge, organizer, entries, winner)
