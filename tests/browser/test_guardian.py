"""The guardian's own pages in a real browser: the forms reached from the
e-mail's links post and succeed (the browser's Origin header passes the
CSRF check under the pages' referrer policy); the guardian changes the
title before the closing time and is refused after it; the receipt and the
guardian's pages at phone and laptop sizes, in Russian, Kazakh and Uzbek
(Cyrillic), without serious accessibility violations."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from contest import links
from contest.models import AuditLog, Entry
from tests.browser.conftest import add_renditions, axe_violations, broken_images
from tests.factories.contest import EntryFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "guardian"


def test_guardian_confirms_then_changes_publication_answers(open_page, live_server, site):
    entry = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending",
                         publish_consent=True)
    confirm = guardian_token(entry, links.Purpose.CONFIRM)
    manage = guardian_token(entry, links.Purpose.MANAGE)
    page, problems = open_page("phone")

    page.goto(live_server.url + reverse("contest:guardian_confirm", args=[confirm]))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    landed = page.url
    confirmed_text = page.locator("main").inner_text()
    page.goto(live_server.url + reverse("contest:guardian_entry", args=[manage]))
    page.get_by_label("If the drawing wins, it may be published with the child's first name, age and country.").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()

    entry = Entry.objects.get(pk=entry.pk)
    # The confirmation link confirms and nothing else: it stays on its own page.
    assert landed.endswith(reverse("contest:guardian_confirm", args=[confirm]))
    assert "Thank you: the entry is confirmed and goes on to the organizers' check." in confirmed_text
    assert entry.guardian_confirmed_at is not None
    assert entry.publish_consent is False
    assert problems.console == []


def test_guardian_changes_the_title_before_closing_and_is_refused_after(open_page, live_server, site):
    entry = EntryFactory(contest=site.open_contest, title="Guard at the pass", moderation_status="pending")
    add_renditions(entry, jpeg=True)
    manage = guardian_token(entry, links.Purpose.MANAGE)
    page, problems = open_page("phone")

    page.goto(live_server.url + reverse("contest:guardian_entry", args=[manage]))
    with page.expect_navigation():
        page.get_by_role("link", name="Change the title or the child's details").click()
    page.get_by_label("Title of the drawing").fill("The guard and the eagle")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the changes").click()
    saved_page = page.locator("main").inner_text()
    contest = site.open_contest
    contest.closes_at = timezone.now() - dt.timedelta(minutes=1)
    contest.save()
    refused = page.goto(live_server.url + reverse("contest:guardian_edit", args=[manage]))
    refused_text = page.locator("main").inner_text()
    page.goto(live_server.url + reverse("contest:guardian_entry", args=[manage]))
    closed_page = page.locator("main").inner_text()

    entry.refresh_from_db()
    assert entry.title == "The guard and the eagle"
    assert "Your changes are saved." in saved_page
    assert "“The guard and the eagle”" in saved_page
    assert AuditLog.objects.filter(action="edited", entry_reference=entry.reference).count() == 1
    assert refused.status == 403
    assert "The entry can no longer be changed" in refused_text
    assert "the drawing and its details can no longer be changed" in closed_page
    assert page.get_by_role("link", name="Change the title or the child's details").count() == 0
    # The refused page answers 403 by design (the browser logs it once).
    assert [line for line in problems.console if "403" not in line] == []


def receipt_session(entry) -> str:
    """A session that has just submitted `entry` (its receipt page opens)."""
    session = SessionStore()
    session["receipt"] = entry.reference
    session.create()
    return session.session_key


def guardian_pages(live_server, site):
    """(name, URL, prepare) of the receipt (the picture still being prepared)
    and the guardian's pages of an approved entry with its picture."""
    waiting = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending",
                           processing_status="received", guardian_email="aigerim.s@gmail.com",
                           title="Пограничник и орёл")
    ready = EntryFactory(contest=site.open_contest, moderation_status="approved", guardian_email="saule@mail.ru",
                         title="Таможенный пост")
    add_renditions(ready, jpeg=True)
    manage = guardian_token(ready, links.Purpose.MANAGE)
    return waiting, [
        ("receipt", live_server.url + reverse("contest:entry_receipt", args=[site.open_contest.slug])),
        ("entry", live_server.url + reverse("contest:guardian_entry", args=[manage])),
        ("edit", live_server.url + reverse("contest:guardian_edit", args=[manage])),
        ("drawing", live_server.url + reverse("contest:guardian_drawing", args=[manage])),
    ]


def open_with_receipt(open_page, live_server, size, language, entry):
    page, problems = open_page(size, language=language)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": receipt_session(entry),
                               "url": live_server.url}])
    return page, problems


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_receipt_and_guardian_pages_fit_phone_and_laptop(open_page, live_server, site, size, language):
    waiting, pages = guardian_pages(live_server, site)
    page, problems = open_with_receipt(open_page, live_server, "phone" if size == "phone" else "desktop", language, waiting)
    viewport = PHONE if size == "phone" else LAPTOP
    page.set_viewport_size(viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflow, broken = {}, {}
    for name, url in pages:
        assert page.goto(url).status == 200, name
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-{language}.png"), full_page=True)
        overflow[name] = page.evaluate("() => document.documentElement.scrollWidth") - viewport["width"]
        broken[name] = broken_images(page)
    receipt_text = page.goto(pages[0][1]) and page.locator("main").inner_text()

    assert overflow == dict.fromkeys(overflow, 0)  # nothing wider than the screen
    assert broken == dict.fromkeys(broken, [])
    assert "a***@g***.com" in receipt_text and waiting.reference in receipt_text
    assert page.locator("[data-drawing][data-pending]").count() == 1
    assert problems.console == [] and problems.requests == [] and problems.external == []


@pytest.mark.parametrize("language", ["ru", "kk", "uz-cyrl"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_receipt_and_guardian_pages_accessible(open_page, axe_source, live_server, site, size, language):
    waiting, pages = guardian_pages(live_server, site)
    page, problems = open_with_receipt(open_page, live_server, size, language, waiting)

    report = {}
    for name, url in pages:
        assert page.goto(url).status == 200, name
        report[name] = axe_violations(page, axe_source)
    # The edit form with the warning about the child's name in the title.
    page.goto(pages[2][1])
    page.locator("#id_title").fill(f"{Entry.objects.get(title='Таможенный пост').child_first_name} и пограничник")
    with page.expect_navigation():
        page.locator("form[data-guardian-edit] .form-actions button[type=submit]").click()
    page.locator("#text-warning").wait_for()
    report["edit warning"] = axe_violations(page, axe_source)

    assert report == dict.fromkeys(report, [])
    assert problems.console == [] and problems.requests == [] and problems.external == []


def test_receipt_shows_the_picture_once_the_worker_has_made_it(open_page, live_server, site):
    entry = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending",
                         processing_status="received")
    page, problems = open_with_receipt(open_page, live_server, "phone", None, entry)
    page.goto(live_server.url + reverse("contest:entry_receipt", args=[site.open_contest.slug]))
    placeholder = page.locator("[data-drawing][data-pending]").count()

    add_renditions(entry, jpeg=True)
    Entry.objects.filter(pk=entry.pk).update(processing_status="ready")
    # The page asks again every five seconds and puts the picture in place.
    page.locator("[data-drawing] img").wait_for(timeout=15_000)

    assert placeholder == 1
    assert page.locator("[data-drawing][data-pending]").count() == 0
    assert broken_images(page) == []
    assert problems.console == [] and problems.requests == []
