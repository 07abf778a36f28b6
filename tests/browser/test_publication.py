"""Publishing results with an entry still short of score sheets: refused
without the override, allowed with a reason, and the audit trail tells it;
every family is e-mailed, and the results page counts the e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from contest.models import Contest, Entry
from judging import services as judging_services
from judging.models import AuditEvent
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The third judge fell ill; the jury agreed to publish."


def test_publish_with_an_unscored_entry_needs_an_override_and_a_reason(open_page, axe_source, live_server, site):
    contest = site.judged_contest
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(live_server.url + reverse("judging:results_publish", args=[contest.slug]))
    # Three judges per entry, two have scored: one sheet missing per entry.
    assert "Score sheets still to fill in: 3" in page.locator("[data-checklist=unscored_sheets]").inner_text()

    page.get_by_label("I understand that after publication no score or award can be changed.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish results").click()

    assert "Settle them first, or publish anyway with a reason." in page.get_by_role("alert").inner_text()
    assert axe_violations(page, axe_source) == []
    assert Contest.objects.get(pk=contest.pk).results_published_at is None

    page.get_by_label("I understand that after publication no score or award can be changed.").check()
    page.get_by_label("Publish even though points of the checklist are open").check()
    page.get_by_label("Why publish with open points").fill(REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish results").click()

    assert page.url.endswith(reverse("judging:results", args=[contest.slug]))
    assert Contest.objects.get(pk=contest.pk).results_published_at is not None
    families = sorted(Entry.objects.filter(contest=contest).values_list("guardian_email", flat=True))
    assert sorted(m.to[0] for m in mail.outbox) == families
    assert " ".join(page.locator("[data-results-mails]").inner_text().split()) == (
        f"Results e-mails to families: {len(families)} of {len(families)} sent, 0 waiting, 0 failed."
    )
    event = AuditEvent.objects.get(contest=contest, action="results_published")
    assert (event.actor, event.reason, event.detail) == (site.organizer, REASON, {"open_items": {"unscored_sheets": 3}})
    page.goto(live_server.url + reverse("judging:audit", args=[contest.slug]))
    # The newest line first; the reason sits in the line's raw record.
    row = page.locator(".audit-list li").first.text_content()
    assert "Published the results with points still open (score sheets still to fill in: 3)." in row
    assert REASON in row
    assert problems.console == [] and problems.external == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ru", "uz-cyrl"])
def test_results_page_with_the_mail_count_passes_axe(open_page, axe_source, live_server, site, size, language):
    contest = site.judged_contest
    judging_services.results_publish(contest=contest, override=True, reason=REASON)
    page, problems = open_page(size, user=site.organizer, language=language)

    page.goto(live_server.url + reverse("judging:results", args=[contest.slug]))

    assert page.locator("[data-results-mails]").is_visible()
    assert axe_violations(page, axe_source) == []
    assert problems.console == [] and problems.external == []
