"""Switching to each language changes the page and stays switched."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKIP_LINK = {"en": "Skip to content", "ru": "Перейти к содержимому", "kk": "Мазмұнға өту", "ky": "Мазмунга өтүү",
             "tg": "Гузариш ба мундариҷа", "tk": "Mazmuna geçmek", "uz": "Mazmunga oʻtish", "uz-cyrl": "Мазмунга ўтиш"}


def test_switching_language_changes_page_and_stays(open_page, live_server, site):
    page, problems = open_page("phone")
    page.goto(live_server.url + reverse("contest:contest_detail", args=[site.open_contest.slug]))

    for code, _name in [*settings.LANGUAGES[1:], settings.LANGUAGES[0]]:
        page.locator("#language-select").select_option(code)
        with page.expect_navigation():
            page.locator(".language-switcher button").click()
        assert page.evaluate("document.documentElement.lang") == code
        assert page.locator("a.skip").inner_text() == SKIP_LINK[code]
        page.goto(live_server.url + reverse("contest:home"))
        assert (page.evaluate("document.documentElement.lang"), page.locator("a.skip").inner_text()) == (code, SKIP_LINK[code])
        page.go_back()
    assert problems.console == []
