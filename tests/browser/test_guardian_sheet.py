"""The straightened drawing and the request for a photo of the drawing
alone, in a real browser: at phone size the guardian sees the sentence and
the button beside the drawing and uses it; the pages at phone and laptop
size in Russian and Uzbek (Cyrillic) fit the screen and have no serious
accessibility violations (screenshots in var/screenshots/guardian-sheet)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
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
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "guardian-sheet"
CORNERS = [[0.1, 0.05], [0.92, 0.08], [0.9, 0.95], [0.08, 0.93]]


def straightened(site) -> Entry:
    entry = EntryFactory(contest=site.open_contest, moderation_status="approved", sheet_corners=CORNERS,
                         title="Таможенный пост")
    add_renditions(entry, jpeg=True)
    return entry


def asked(site) -> Entry:
    entry = EntryFactory(contest=site.open_contest, moderation_status="pending", sheet_corners=CORNERS,
                         privacy_review="flagged", photo_requested_at=timezone.now() - dt.timedelta(hours=3),
                         title="Пограничник и орёл")
    add_renditions(entry, jpeg=True)
    return entry


def test_at_phone_size_the_guardian_uses_the_photo_as_it_was(open_page, live_server, site):
    entry = straightened(site)
    page, problems = open_page("phone")

    page.goto(live_server.url + reverse("contest:guardian_entry", args=[guardian_token(entry, links.Purpose.MANAGE)]))
    told = page.locator("[data-sheet]").inner_text()
    button = page.get_by_role("button", name="Use my photo as it was")
    box = button.bounding_box()
    with page.expect_navigation():
        button.click()
    after = page.locator("main").inner_text()

    entry.refresh_from_db()
    assert "We found the sheet in your photo and straightened it" in told
    assert box["width"] >= 300 and box["height"] >= 44  # a full-width button, easy to hit on a phone
    assert entry.sheet_mode == "photo"
    assert AuditLog.objects.filter(action="sheet", actor_label="guardian").count() == 1
    assert "Your photo will be shown as you sent it. Its pictures are being prepared." in after
    # The tests' worker renders at once: the photo as sent, with the way back.
    assert "The drawing is shown as in the photo you sent." in after
    assert page.get_by_role("button", name="Straighten it again").count() == 1
    assert problems.console == [] and problems.requests == [] and problems.external == []


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_straightened_drawing_and_the_request_fit_and_are_accessible(open_page, axe_source, live_server, site,
                                                                         size, language):
    pages = [
        ("straightened", reverse("contest:guardian_entry", args=[guardian_token(straightened(site))])),
        ("asked", reverse("contest:guardian_entry", args=[guardian_token(asked(site))])),
    ]
    asked_entry = Entry.objects.get(title="Пограничник и орёл")
    pages.append(("asked-drawing", reverse("contest:guardian_drawing", args=[guardian_token(asked_entry)])))
    page, problems = open_page("phone" if size == "phone" else "desktop", language=language)
    viewport = PHONE if size == "phone" else LAPTOP
    page.set_viewport_size(viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflow, report, broken = {}, {}, {}
    for name, url in pages:
        assert page.goto(live_server.url + url).status == 200, name
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-{language}.png"), full_page=True)
        overflow[name] = page.evaluate("() => document.documentElement.scrollWidth") - viewport["width"]
        report[name] = axe_violations(page, axe_source)
        broken[name] = broken_images(page)

    assert overflow == dict.fromkeys(overflow, 0)
    assert report == dict.fromkeys(report, [])
    assert broken == dict.fromkeys(broken, [])
    assert problems.console == [] and problems.requests == [] and problems.external == []
