"""Every page at phone and desktop size: no serious or critical axe
violation of the WCAG 2.2 AA rules, no broken image, no console error, no
request leaving the portal."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SIZES, axe_violations, broken_images

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_urls(site):
    return [
        reverse("contest:home"),
        reverse("contest:contest_detail", args=[site.open_contest.slug]),
        reverse("contest:entry_submit", args=[site.open_contest.slug]),
        reverse("contest:entry_submit", args=[site.published_contest.slug]),
        reverse("contest:gallery", args=[site.published_contest.slug]),
        reverse("contest:entry_detail", args=[site.winner.public_id]),
        reverse("login"),
    ]


def judge_urls(site):
    slug = site.judged_contest.slug
    return [
        reverse("judging:home"),
        reverse("judging:entry_list", args=[slug]),
        reverse("judging:entry_score", args=[slug, site.entries[0].public_id]),
    ]


def organizer_urls(site):
    slug = site.judged_contest.slug
    return [
        reverse("judging:home"),
        reverse("judging:results", args=[slug]),
        reverse("judging:panel", args=[slug]),
        reverse("judging:rounds", args=[slug]),
        reverse("judging:calibration_report", args=[slug]),
        reverse("judging:audit", args=[slug]),
        reverse("contest:moderation", args=[slug]),
        reverse("contest:moderation", args=[slug]) + "?filter=approved",
        reverse("contest:audit_log", args=[slug]),
        reverse("contest:dashboard", args=[slug]),
    ]


def guardian_urls(site):
    """The guardian's pages, reached with the links from the e-mail: the
    confirmation page of an unconfirmed entry, the entry page and the
    withdrawal page of a confirmed one."""
    from contest import links
    from tests.factories.contest import EntryFactory

    unconfirmed = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending")
    confirm = links.token_make(public_id=unconfirmed.public_id, purpose=links.Purpose.CONFIRM)
    manage = links.token_make(public_id=site.entries[0].public_id, purpose=links.Purpose.MANAGE)
    return [
        reverse("contest:guardian_confirm", args=[confirm]),
        reverse("contest:guardian_entry", args=[manage]),
        reverse("contest:guardian_withdraw", args=[manage]),
        reverse("contest:guardian_link_request"),
    ]


def check_pages(open_page, axe_source, live_server, urls, size, user=None):
    page, problems = open_page(size, user=user)
    report = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, (url, response.status)
        found = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
        if found:
            report[url] = found
    report.update({"console": problems.console, "requests": problems.requests, "external": problems.external})
    return {k: v for k, v in report.items() if v}


@pytest.mark.parametrize("size", SIZES)
def test_public_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, public_urls(site), size) == {}


@pytest.mark.parametrize("size", SIZES)
def test_judge_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, judge_urls(site), size, user=site.judge) == {}


@pytest.mark.parametrize("size", SIZES)
def test_organizer_pages_accessible(open_page, axe_source, live_server, site, size, settings):
    # Pages of two rows, so the results page shows its pager too.
    settings.JUDGING_RESULTS_PAGE_SIZE = 2
    category = site.entries[0].age_category
    paged = reverse("judging:results", args=[site.judged_contest.slug]) + f"?page_{category.pk}=2"
    urls = organizer_urls(site) + [paged]
    assert check_pages(open_page, axe_source, live_server, urls, size, user=site.organizer) == {}
    page, _problems = open_page(size, user=site.organizer)
    page.goto(live_server.url + paged)
    assert page.locator("nav.pager a[rel=prev]").count() == 1


@pytest.mark.parametrize("size", SIZES)
def test_guardian_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, guardian_urls(site), size) == {}
