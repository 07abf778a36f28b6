"""Awards by clicking the drawings: the organizer adds a special award,
gives a drawing 4th place and another the special award from their cards,
publishes (with the override the open score sheets need), and the public
gallery shows both badges."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from contest.models import Entry, SpecialAwardHolder
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The third judge fell ill; the jury agreed to publish."


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_organizer_gives_fourth_place_and_a_special_award_then_the_gallery_shows_them(
    open_page, axe_source, live_server, site, size
):
    contest = site.judged_contest
    fourth, honoured = site.entries[2], site.entries[1]
    page, problems = open_page(size, user=site.organizer)
    page.goto(live_server.url + reverse("judging:results", args=[contest.slug]))

    page.get_by_label("Name in the contest's default language").fill("Jury prize")
    with page.expect_navigation():
        page.get_by_role("button", name="Add special award").click()
    assert "The special award “Jury prize” is added." in page.locator(".messages").inner_text()

    # Clicking a drawing takes the organizer to its place.
    page.locator(f"#entry-{fourth.pk} .result-picture").click()
    place = page.locator(f"#place-{fourth.pk}")
    assert place.evaluate("el => el === document.activeElement")
    place.fill("4")
    results_url = page.url
    # The card saves in place (the script); the card and message come back.
    page.locator(f"#entry-{fourth.pk}").get_by_role("button", name="Save").click()
    expect(page.locator(f"#entry-{fourth.pk} .badge-place")).to_have_text("4th place")
    expect(page.locator(".messages")).to_have_text("The awards of this drawing are saved.")
    assert page.url == results_url

    card = page.locator(f"#entry-{honoured.pk}")
    card.locator(".result-picture").click()
    card.get_by_label("Jury prize").check()
    card.get_by_role("button", name="Save").click()
    expect(page.locator(f"#entry-{honoured.pk} .badge-special")).to_have_text("Jury prize")
    assert page.url == results_url
    assert axe_violations(page, axe_source) == []

    page.goto(live_server.url + reverse("judging:results_publish", args=[contest.slug]))
    page.get_by_label("I understand that after publication no score or award can be changed.").check()
    page.get_by_label("Publish even though points of the checklist are open").check()
    page.get_by_label("Why publish with open points").fill(REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish results").click()
    assert page.locator(".award-form").count() == 0

    page.goto(live_server.url + reverse("contest:gallery", args=[contest.slug]))
    badges = page.locator(".gallery-grid .badge").all_inner_texts()
    assert badges == ["4th place", "Jury prize"]
    assert page.locator(".gallery-grid .title").all_inner_texts() == [fourth.title, honoured.title]
    assert axe_violations(page, axe_source) == []
    assert Entry.objects.get(pk=fourth.pk).award == 4
    assert list(SpecialAwardHolder.objects.values_list("entry_id", flat=True)) == [honoured.pk]
    assert problems.console == [] and problems.external == [] and problems.requests == []


def test_without_javascript_the_cards_form_posts_and_returns_to_the_card(browser, live_server, site):
    contest = site.judged_contest
    entry = site.entries[2]
    client = Client()
    client.force_login(site.organizer)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("judging:results", args=[contest.slug]))
        page.locator(f"#place-{entry.pk}").fill("6")
        with page.expect_navigation():
            page.locator(f"#entry-{entry.pk}").get_by_role("button", name="Save").click()

        assert page.url.endswith(f"#entry-{entry.pk}")
        assert page.locator(f"#entry-{entry.pk} .badge-place").inner_text() == "6th place"
        assert Entry.objects.get(pk=entry.pk).award == 6
    finally:
        context.close()
