"""The organizers' exports page in a browser: no serious or critical axe
violation at phone and desktop size, a request made with the page's button
comes back ready, and a running export's row is brought up to date by the
page's script (progress bar and download link) without a reload."""

import pytest
from django.urls import reverse

from judging import services
from judging.models import Export
from tests.browser.conftest import SIZES, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", SIZES)
def test_exports_page_accessible_and_requests_come_back_ready(open_page, axe_source, live_server, site, size):
    contest = site.judged_contest
    # A finished export already in the list: one still running would have the
    # page polling, and the navigation below would cut a poll short.
    earlier = Export.objects.create(contest=contest, kind=Export.Kind.SCORES_XLSX, requested_by=site.organizer)
    services.export_build(export_id=earlier.pk)
    page, problems = open_page(size, user=site.organizer)
    url = live_server.url + reverse("exports:exports", args=[contest.slug])

    page.goto(url)
    one_row = axe_violations(page, axe_source)
    with page.expect_navigation():
        page.get_by_role("button", name="Entries (CSV)").click()
    ready_row = page.locator("tr", has=page.get_by_role("cell", name="Entries (CSV)"))
    with_rows = axe_violations(page, axe_source)

    assert one_row == [] and with_rows == []
    assert ready_row.get_by_role("link", name="Download").count() == 1
    assert ready_row.locator("progress").get_attribute("value") == "100"
    assert (problems.console, problems.requests, problems.external) == ([], [], [])


def test_a_running_export_is_followed_without_reload(open_page, live_server, site):
    contest = site.judged_contest
    export = Export.objects.create(contest=contest, kind=Export.Kind.SCORES_CSV, requested_by=site.organizer)
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(live_server.url + reverse("exports:exports", args=[contest.slug]))
    row = page.locator(f'tr[data-export-id="{export.pk}"]')
    assert row.get_by_role("link", name="Download").count() == 0

    services.export_build(export_id=export.pk)  # the worker finishes while the page is open

    row.get_by_role("link", name="Download").wait_for(timeout=10_000)
    assert row.locator("progress").evaluate("node => node.value") == 100
    assert row.locator('[data-export-field="status"]').inner_text() == "ready"
    assert problems.console == [] and problems.external == []
