"""Moderation with the keyboard alone: move between entries, approve one
with "a", reject the next with "r" (the reason picker gets the focus, Enter
sends), open a drawing large with "o" and close it with Escape."""

import pytest
from django.core import mail
from django.urls import reverse

from contest.models import AuditLog, Entry
from tests.browser.conftest import add_renditions
from tests.factories.contest import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_ENTRY = "() => document.activeElement && document.activeElement.id"


def pending_entries(contest, n=3):
    entries = []
    for i in range(n):
        entry = EntryFactory(contest=contest, moderation_status="pending", title=f"Mountain road {i + 1}",
                             language="ru", text_flags=["first_name"] if i == 1 else [])
        add_renditions(entry, jpeg=True)
        entries.append(entry)
    return entries


def test_organizer_approves_and_rejects_with_the_keyboard_alone(open_page, live_server, site):
    first, second, third = pending_entries(site.open_contest)
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(live_server.url + reverse("contest:moderation", args=[site.open_contest.slug]))
    assert page.locator("[data-keys-help]").is_visible()

    # j: the first entry; j again: the second; k: back to the first.
    page.keyboard.press("j")
    assert page.evaluate(FOCUSED_ENTRY) == f"entry-{first.pk}"
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.evaluate(FOCUSED_ENTRY) == f"entry-{first.pk}"

    # o: the display rendition, large; Escape closes it and the focus comes back.
    page.keyboard.press("o")
    dialog = page.locator("dialog[data-large]")
    dialog.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-large-image]').naturalWidth > 0")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(FOCUSED_ENTRY) == f"entry-{first.pk}"

    # a: approved, and the page comes back at the next entry.
    with page.expect_navigation():
        page.keyboard.press("a")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'entry-{second.pk}'")
    assert Entry.objects.get(pk=first.pk).moderation_status == "approved"
    assert page.locator(f"#entry-{first.pk}").count() == 0

    # r: the reason picker of the current entry; a reason, then Enter.
    page.keyboard.press("r")
    assert page.evaluate("() => document.activeElement.id") == f"reason-{second.pk}"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.value")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'entry-{third.pk}'")

    second.refresh_from_db()
    assert (second.moderation_status, second.rejection_reason) == ("rejected", chosen)
    assert chosen == "off_theme"
    assert Entry.objects.get(pk=third.pk).moderation_status == "pending"
    assert list(AuditLog.objects.order_by("at", "id").values_list("action", "entry_reference")) == [
        ("approved", first.reference), ("rejected", second.reference),
    ]
    assert page.locator("ul.messages").inner_text().strip() == f"Entry {second.reference} rejected; the guardian will be told why."
    assert problems.console == [] and problems.external == []


def test_keys_typed_into_a_field_are_left_alone(open_page, live_server, site):
    [entry] = pending_entries(site.open_contest, n=1)
    page, problems = open_page("desktop", user=site.organizer)
    page.goto(live_server.url + reverse("contest:moderation", args=[site.open_contest.slug]))

    page.locator(f"#reason-{entry.pk}").focus()
    page.keyboard.press("a")
    page.keyboard.press("j")

    assert Entry.objects.get(pk=entry.pk).moderation_status == "pending"
    assert page.evaluate("() => document.activeElement.id") == f"reason-{entry.pk}"
    assert mail.outbox == [] and problems.console == []
