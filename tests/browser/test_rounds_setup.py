"""The national rounds page of a contest's settings, at phone and laptop
sizes in Russian and Uzbek (Cyrillic): axe finds nothing, nothing scrolls
sideways, and an organizer adds a round from it."""

import os

import pytest
from django.urls import reverse

from contest.models import Contest
from tests.browser.conftest import axe_violations
from tests.factories.contest import regional_contest
from tests.factories.judging import OrganizerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_rounds_page_passes_axe_and_adds_a_round(open_page, live_server, axe_source, size, language):
    final, _rounds = regional_contest(countries=("KG",))
    page, problems = open_page(size, user=OrganizerFactory(contests=[final]), language=language)
    folder = os.environ.get("SCREENSHOT_DIR")

    page.goto(live_server.url + reverse("organize:settings_rounds", args=[final.slug]))
    if folder:
        page.screenshot(path=f"{folder}/rounds-setup-{language}-{size}.png", full_page=True)
    assert axe_violations(page, axe_source) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("fieldset[data-country]").count() == 4  # KG has its round already

    page.locator("#id_include_uz").check()
    page.locator("form.setup-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('organize:settings', args=[final.slug])}")
    page.wait_for_load_state()
    assert sorted(Contest.objects.filter(parent=final).values_list("country", flat=True)) == ["KG", "UZ"]
    assert axe_violations(page, axe_source) == []
    assert (problems.console, problems.external) == ([], [])
