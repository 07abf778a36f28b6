"""Two deliveries of one outbox row at the same moment (a redelivered task
racing the first, or a sweep racing it) send one e-mail: the row lock of
PostgreSQL serializes them. Part of the services run
(scripts/with_services.sh); fails, never skips, on another database."""

import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from contest import services
from contest.models import GuardianMail
from tests.factories.contest import EntryFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class SlowBackend(LocmemBackend):
    """A mail server that takes its time, so the two deliveries overlap."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)


def test_two_deliveries_of_one_row_at_once_send_one_mail(settings):
    if not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.fail("This test needs PostgreSQL's row locks: run it with scripts/with_services.sh.", pytrace=False)
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    entry = EntryFactory(guardian_email="parent@example.org")
    row = GuardianMail.objects.create(entry=entry, kind="link", language="en")
    start = threading.Barrier(2)
    results = []

    def deliver():
        start.wait()
        try:
            results.append(services.guardian_mail_deliver_once(mail_id=row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert [m.to for m in mail.outbox] == [["parent@example.org"]]
    row.refresh_from_db()
    assert row.attempts == 1 and row.sent_at is not None
