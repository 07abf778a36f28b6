"""An organizer sets a contest up in the browser, from
/organize/contests/new/ through every step, with times in Asia/Tashkent;
the public contest page then shows the closing time that was typed."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from contest.models import AgeCategory, Contest, ContestTranslation
from judging.models import Criterion
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_creates_a_contest_in_tashkent_time_and_walks_the_steps(open_page, axe_source, live_server, site):
    organizer = site.organizer
    organizer.user_permissions.add(Permission.objects.get(content_type__app_label="contest", codename="add_contest"))
    page, problems = open_page("desktop", user=organizer)
    page.goto(live_server.url + reverse("organize:home"))
    with page.expect_navigation():
        page.get_by_role("link", name="New contest").click()

    page.get_by_label("Title", exact=True).fill("Faces of the border")
    page.get_by_label("Slug").fill("faces-2027")
    page.get_by_label("Theme").fill("Draw someone who works at the border.")
    page.get_by_label("Rules", exact=True).fill("One drawing per child.")
    page.get_by_label("Default language").select_option("ru")
    page.get_by_label("Time zone").select_option("Asia/Tashkent")
    # The zone named beside the times follows the choice before saving.
    assert "Local time of Asia/Tashkent (UTC+05:00)." in page.locator("#id_closes_at_helptext").inner_text()
    page.get_by_label("Opens at").fill("2027-02-01T09:00")
    page.get_by_label("Closes at").fill("2027-03-01T18:00")
    page.get_by_label("Age reference date").fill("2027-06-01")
    assert axe_violations(page, axe_source) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Create the contest").click()

    assert page.url == live_server.url + reverse("organize:settings", args=["faces-2027"])
    contest = Contest.objects.get(slug="faces-2027")
    assert contest.closes_at == dt.datetime(2027, 3, 1, 13, tzinfo=dt.timezone.utc)
    assert page.get_by_text("The contest is created.").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Age categories").click()
    for i, (name, low, high) in enumerate([("Young", "6", "9"), ("Older", "10", "14")]):
        page.locator(f'[name="age_categories-{i}-name"]').fill(name)
        page.locator(f'[name="age_categories-{i}-min_age"]').fill(low)
        page.locator(f'[name="age_categories-{i}-max_age"]').fill(high)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go on").click()
    assert page.url.endswith(reverse("organize:settings_rubric", args=["faces-2027"]))

    page.locator('[name="criteria-0-name"]').fill("Idea")
    page.locator('[name="criteria-0-weight"]').fill("2")
    page.locator('[name="criteria-0-max_points"]').fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go on").click()
    assert page.url.endswith(reverse("organize:settings_texts", args=["faces-2027"]))

    page.get_by_label("Title", exact=True).fill("Лица границы")
    with page.expect_navigation():
        page.get_by_role("button", name="Preview without saving").click()
    assert "Лица границы" in page.locator(".preview-page").inner_text()
    assert not ContestTranslation.objects.filter(contest=contest).exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go on").click()
    assert page.url.endswith(reverse("organize:settings_uploads", args=["faces-2027"]))

    page.get_by_label("Largest upload (MB)").fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go on").click()
    assert page.url.endswith(reverse("organize:settings_judges", args=["faces-2027"]))
    assert page.get_by_role("link", name="Invite judges").is_visible()

    # Back to step 1: the closing time reads as it was typed.
    with page.expect_navigation():
        page.get_by_role("link", name="Basics and dates").click()
    typed = page.get_by_label("Closes at").input_value()
    public = page.context.new_page()
    public.goto(live_server.url + reverse("contest:contest_detail", args=["faces-2027"]))

    assert typed == "2027-03-01T18:00"
    assert "until March 1, 2027, 6 p.m. (Tashkent time)" in public.locator("[data-window]").inner_text()
    assert list(AgeCategory.objects.filter(contest=contest).values_list("name", "min_age", "max_age")) == [
        ("Young", 6, 9), ("Older", 10, 14)]
    assert list(Criterion.objects.filter(contest=contest).values_list("name", "max_points")) == [("Idea", 10)]
    assert ContestTranslation.objects.get(contest=contest, language="ru").title == "Лица границы"
    contest.refresh_from_db()
    assert contest.upload_max_megabytes == 10
    assert problems.console == [] and problems.external == []
