"""The people's choice voting page in a real browser, on a phone in
Russian: no axe violation, no broken image or failed request, and a vote
sent by touch reaches the "check your e-mail" page with the link mailed.
SCREENSHOT_DIR=<folder> saves a screenshot of the page to look at."""

import os

import pytest
from django.core import mail
from django.urls import reverse

from contest.models import Vote
from tests.browser.conftest import axe_violations, broken_images
from tests.factories.contest import ballot_contest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voting_page_on_a_phone_in_russian(open_page, live_server, axe_source, settings):
    # The honeypot's minimum time is the subject of tests/contest/test_votes.py.
    settings.VOTE_MIN_FORM_SECONDS = 0
    contest = ballot_contest(per_category=2)
    page, problems = open_page("phone", language="ru")

    page.goto(live_server.url + reverse("contest:vote", args=[contest.slug]))
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/vote-ru-phone.png", full_page=True)
    violations = axe_violations(page, axe_source)
    broken = broken_images(page)
    first = page.locator("section.vote-category").first
    first.locator("input[type=radio]").first.check()
    first.get_by_label("Ваш адрес электронной почты").fill("voter@example.org")
    first.get_by_role("button", name="Проголосовать").click()
    page.wait_for_load_state()

    assert violations == []
    assert broken == []
    assert page.locator("h1").inner_text() == "Проверьте почту"
    assert [(v.email, v.confirmed_at) for v in Vote.objects.all()] == [("voter@example.org", None)]
    assert [m.to for m in mail.outbox] == [["voter@example.org"]]
    assert (problems.console, problems.requests, problems.external) == ([], [], [])
