"""Awards by clicking the drawings: the organizer adds a special award,
gives a drawing 4th place and another the special award from their cards,
publishes (with the override the open score sheets need), and the public
gallery shows both badges."""

import pytest
from django.urls import reverse

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
    with page.expect_navigation():
        page.locator(f"#entry-{fourth.pk}").get_by_role("button", name="Save").click()
    assert page.url.endswith(f"#entry-{fourth.pk}")
    assert "The awards of this drawing are saved." in page.locator(".messages").inner_text()

    card = page.locator(f"#entry-{honoured.pk}")
    card.locator(".result-picture").click()
    card.get_by_label("Jury prize").check()
    with page.expect_navigation():
        card.get_by_role("button", name="Save").click()
    assert page.locator(f"#entry-{fourth.pk} .badge-place").inner_text() == "4th place"
    assert page.locator(f"#entry-{honoured.pk} .badge-special").inner_text() == "Jury prize"
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
