"""The guardian's own pages in a real browser: the forms reached from the
e-mail's links post and succeed (the browser's Origin header passes the
CSRF check under the pages' referrer policy)."""

import pytest
from django.urls import reverse

from contest import links
from contest.models import Entry
from tests.factories.contest import EntryFactory
from tests.helpers import guardian_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guardian_confirms_then_changes_publication_answers(open_page, live_server, site):
    entry = EntryFactory(contest=site.open_contest, guardian_confirmed_at=None, moderation_status="pending",
                         publish_consent=True)
    confirm = guardian_token(entry, links.Purpose.CONFIRM)
    manage = guardian_token(entry, links.Purpose.MANAGE)
    page, problems = open_page("phone")

    page.goto(live_server.url + reverse("contest:guardian_confirm", args=[confirm]))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm").click()
    landed = page.url
    confirmed_text = page.locator("main").inner_text()
    page.goto(live_server.url + reverse("contest:guardian_entry", args=[manage]))
    page.get_by_label("If the drawing wins, it may be published with the child's first name, age and country.").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()

    entry = Entry.objects.get(pk=entry.pk)
    # The confirmation link confirms and nothing else: it stays on its own page.
    assert landed.endswith(reverse("contest:guardian_confirm", args=[confirm]))
    assert "You have already confirmed this entry. Thank you!" in confirmed_text
    assert entry.guardian_confirmed_at is not None
    assert entry.publish_consent is False
    assert problems.console == []
