"""A judge invited by e-mail: the organizer invites from the judges page,
the judge opens the e-mail's link, sets a password and lands on the queue."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from judging.models import JudgeAssignment
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invited_judge_sets_a_password_and_lands_on_the_queue(open_page, axe_source, live_server, site):
    contest = site.judged_contest
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(live_server.url + reverse("judging:judges", args=[contest.slug]))
    page.get_by_label("E-mail address").fill("aigul@example.org")
    page.get_by_label("Name").fill("Aigul")
    page.get_by_label("Language of the e-mail").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    assert "aigul@example.org" in page.content()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    judge_page, judge_problems = open_page("phone")
    judge_page.goto(live_server.url + path)
    assert judge_page.get_by_role("heading", name="Join the panel").is_visible()
    assert axe_violations(judge_page, axe_source) == []
    judge_page.get_by_label("New password", exact=True).fill("a drawing of a horse 42")
    judge_page.get_by_label("New password confirmation").fill("a drawing of a horse 42")
    with judge_page.expect_navigation():
        judge_page.get_by_role("button", name="Set password and join").click()

    assert judge_page.url == live_server.url + reverse("judging:entry_list", args=[contest.slug])
    assert judge_page.get_by_text("Welcome to the panel").is_visible()
    assert JudgeAssignment.objects.filter(contest=contest, judge__email="aigul@example.org").exists()
    assert problems.console == [] and judge_problems.console == []
