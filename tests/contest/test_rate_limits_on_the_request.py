"""Rate limits counted on the real request: the per-guardian limit on link
e-mails is one count for the receipt's "send again" and the lost-link form,
whatever the client's address."""

import pytest
from django.urls import reverse

from tests.factories.contest import EntryFactory

pytestmark = [pytest.mark.django_db]


def _receipt_client(client, entry):
    session = client.session
    session["receipt"] = entry.reference
    session.save()
    return client


def test_send_again_counts_the_guardians_link_mail_limit(client, settings):
    settings.RATELIMIT_LINKS_GUARDIAN = "2/h"
    entry = EntryFactory(guardian_email="Once@Example.org")
    url = reverse("contest:entry_receipt_resend", args=[entry.contest.slug])
    client = _receipt_client(client, entry)

    first = client.post(url, REMOTE_ADDR="10.2.0.1")
    lost_link = client.post(
        reverse("contest:guardian_link_request"),
        {"reference": entry.reference, "guardian_email": "once@example.org"}, REMOTE_ADDR="10.2.0.2",
    )
    again = client.post(url, REMOTE_ADDR="10.2.0.3")

    assert (first.status_code, lost_link.status_code, again.status_code) == (302, 200, 429)
    assert "Too many tries" in again.content.decode()


def test_send_again_per_address_limit(client, settings):
    settings.RATELIMIT_LINKS_IP = "1/h"
    entry = EntryFactory()
    url = reverse("contest:entry_receipt_resend", args=[entry.contest.slug])
    client = _receipt_client(client, entry)

    codes = [client.post(url).status_code, client.post(url).status_code, client.post(url, REMOTE_ADDR="10.3.0.1").status_code]

    assert codes == [302, 429, 302]
