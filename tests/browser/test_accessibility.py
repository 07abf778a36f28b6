"""Every page at phone and desktop size: no serious or critical axe
violation of the WCAG 2.2 AA rules, no broken image, no console error, no
request leaving the portal."""

import pytest
from django.urls import reverse

from tests.browser.conftest import SIZES, add_renditions, axe_violations, broken_images
from tests.helpers import judge_entry_url

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
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=["MQ", "set-password"]),  # a link that does not verify
        reverse("password_reset_complete"),
        reverse("judging:invitation_accept", args=["MQ", "0-0"]),  # a link that does not verify
    ]


def judge_urls(site):
    contest = site.judged_contest
    return [
        reverse("judging:home"),
        reverse("judging:entry_list", args=[contest.slug]),
        judge_entry_url("judging:entry_score", contest, site.judge, site.entries[0]),
    ]


def organizer_urls(site):
    slug = site.judged_contest.slug
    return [
        reverse("organize:home"),
        reverse("judging:home"),
        reverse("judging:results", args=[slug]),
        reverse("judging:panel", args=[slug]),
        reverse("judging:rounds", args=[slug]),
        reverse("judging:calibration_report", args=[slug]),
        reverse("judging:audit", args=[slug]),
        reverse("judging:judges", args=[slug]),
        reverse("judging:audit", args=[slug]) + "?action=scores_saved&since=2020-01-01",
        reverse("contest:moderation", args=[slug]),
        reverse("contest:moderation", args=[slug]) + "?filter=approved",
        reverse("contest:audit_log", args=[slug]),
        reverse("contest:dashboard", args=[slug]),
        reverse("contest:team", args=[slug]),
        reverse("exports:exports", args=[slug]),
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


def check_pages(open_page, axe_source, live_server, urls, size, user=None, language=None):
    page, problems = open_page(size, user=user, language=language)
    report = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, (url, response.status)
        found = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
        if found:
            report[url] = found
    report.update({"console": problems.console, "requests": problems.requests, "external": problems.external})
    return {k: v for k, v in report.items() if v}


def check_flow(page, problems, axe_source, steps):
    """`steps` is [(name, action)]: each action brings the page to a state
    that is then scanned like a page of `check_pages`."""
    report = {}
    for name, action in steps:
        action()
        page.wait_for_load_state("load")
        found = axe_violations(page, axe_source) + [f"broken image {src}" for src in broken_images(page)]
        if found:
            report[name] = found
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
    publish = reverse("judging:results_publish", args=[site.judged_contest.slug])
    urls = organizer_urls(site) + [paged, publish]
    assert check_pages(open_page, axe_source, live_server, urls, size, user=site.organizer) == {}
    page, _problems = open_page(size, user=site.organizer)
    page.goto(live_server.url + paged)
    assert page.locator("nav.pager a[rel=prev]").count() == 1
    # The scan above saw the results with scores: two judges' charts.
    page.goto(live_server.url + reverse("judging:results", args=[site.judged_contest.slug]))
    assert page.locator("section[aria-labelledby=judges-heading] svg[role=img]").count() == 2


@pytest.mark.parametrize("size", SIZES)
def test_guardian_pages_accessible(open_page, axe_source, live_server, site, size):
    assert check_pages(open_page, axe_source, live_server, guardian_urls(site), size) == {}


@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
@pytest.mark.parametrize("size", SIZES)
def test_public_pages_accessible_in_other_languages(open_page, axe_source, live_server, site, size, language):
    # Longer words and other scripts: labels wrap, buttons grow, `lang` changes.
    assert check_pages(open_page, axe_source, live_server, public_urls(site), size, language=language) == {}


@pytest.mark.parametrize("size", SIZES)
def test_parent_form_with_errors_and_receipt_accessible(open_page, axe_source, live_server, site, size):
    """The submit form shown again with its error summary (a post the
    server refuses: nothing filled in), and the receipt after a submission."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from tests.factories.contest import EntryFactory

    entry = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending")
    session = SessionStore()
    session["receipt"] = entry.reference
    session.create()
    page, problems = open_page(size)
    submit_url = live_server.url + reverse("contest:entry_submit", args=[site.open_contest.slug])

    def refused_post():
        page.goto(submit_url)
        page.evaluate("() => { document.querySelector('form[data-entry-upload]').noValidate = true; }")
        with page.expect_response(submit_url) as refused:
            page.get_by_role("button", name="Send the drawing").click()
        assert refused.value.status == 400
        page.locator("div.error-summary").wait_for()

    def receipt():
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                                   "url": live_server.url}])
        page.goto(live_server.url + reverse("contest:entry_receipt", args=[site.open_contest.slug]))
        assert page.locator("[data-reference]").inner_text() == entry.reference

    report = check_flow(page, problems, axe_source, [("form with errors", refused_post), ("receipt", receipt)])
    # The refused post answers 400 by design (the browser logs it once);
    # nothing else may fail.
    expected = {"requests": f"{submit_url} 400",
                "console": "Failed to load resource: the server responded with a status of 400 (Bad Request)"}
    for key, line in expected.items():
        assert line in report.get(key, []), report
        report[key].remove(line)
    assert {k: v for k, v in report.items() if v} == {}


@pytest.mark.parametrize("size", SIZES)
def test_guardian_withdrawn_and_link_sent_pages_accessible(open_page, axe_source, live_server, site, size):
    from contest import links
    from contest.models import Entry

    manage = links.token_make(public_id=site.entries[2].public_id, purpose=links.Purpose.MANAGE)
    page, problems = open_page(size)

    def withdrawn():
        url = live_server.url + reverse("contest:guardian_withdraw", args=[manage])
        page.goto(url)
        page.get_by_label("Yes, delete the drawing and everything about my child. This cannot be undone.").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Withdraw and delete").click()
        assert not Entry.objects.filter(pk=site.entries[2].pk).exists()

    def link_sent():
        page.goto(live_server.url + reverse("contest:guardian_link_request"))
        page.get_by_label("Reference code").fill(site.entries[0].reference)
        page.get_by_label("Parent or guardian's e-mail").fill(site.entries[0].guardian_email)
        with page.expect_navigation():
            page.get_by_role("button", name="Send the links").click()

    assert check_flow(page, problems, axe_source, [("withdrawn", withdrawn), ("link sent", link_sent)]) == {}


@pytest.mark.parametrize("size", SIZES)
def test_judge_calibration_pages_accessible(open_page, axe_source, live_server, site, size):
    """Scoring a reference drawing (a judge who has not calibrated yet) and
    the list of reference drawings (one who has scored them all)."""
    from decimal import Decimal

    from judging.models import CalibrationScore, Criterion
    from tests.factories.contest import EntryFactory
    from tests.factories.judging import CalibrationEntryFactory, JudgeAssignmentFactory

    contest = site.judged_contest
    references = []
    for order, title in enumerate(["Reference: the bridge", "Reference: the queue"], start=1):
        entry = EntryFactory(contest=contest, title=title)
        add_renditions(entry, jpeg=True)
        references.append(CalibrationEntryFactory(contest=contest, entry=entry, order=order).entry)
    calibrated = JudgeAssignmentFactory(contest=contest).judge
    for entry in references:
        for criterion in Criterion.objects.filter(contest=contest, round_number=1):
            CalibrationScore.objects.create(judge=calibrated, entry=entry, criterion=criterion,
                                            points=Decimal(3), max_points=criterion.max_points)
    score_url = judge_entry_url("judging:calibration_score", contest, site.judge, references[0])
    list_url = reverse("judging:calibration", args=[contest.slug])

    assert check_pages(open_page, axe_source, live_server, [score_url], size, user=site.judge) == {}
    assert check_pages(open_page, axe_source, live_server, [list_url], size, user=calibrated) == {}
