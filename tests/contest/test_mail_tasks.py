"""Guardian e-mails are Celery jobs: queued after commit, retried on SMTP
errors with their outcome logged, written in the guardian's language."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import translation

from contest import services
from contest.models import Entry
from contest.tasks import task_guardian_mail_send
from tests.factories.contest import EntryFactory

pytestmark = [pytest.mark.django_db]


class FlakyBackend(LocmemBackend):
    """The in-memory backend, refusing the first `failures` messages the way
    a busy SMTP server does."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.attempts = 0

    def fail(times):
        FlakyBackend.failures = times

    yield fail
    FlakyBackend.failures = 0


def test_bulk_rejection_sends_nothing_before_commit_and_one_mail_per_entry_after(django_capture_on_commit_callbacks):
    entries = [EntryFactory(guardian_email=f"parent{i}@example.org") for i in range(3)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        changed = services.entries_moderate(
            entries=Entry.objects.filter(pk__in=[e.pk for e in entries]), approve=False,
            reason=Entry.RejectionReason.OFF_THEME,
        )
        assert mail.outbox == []

    assert changed == 3
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [f"parent{i}@example.org" for i in range(3)]
    assert all("The drawing is not about the contest's theme." in m.body for m in mail.outbox)


def test_smtp_error_is_retried_and_each_outcome_logged(flaky_mail, retries_run_inline, caplog):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="unreadable")
    flaky_mail(1)

    with caplog.at_level("INFO", logger="contest.tasks"):
        result = task_guardian_mail_send.apply(kwargs={"entry_id": entry.pk, "kind": "rejection", "language": "en"})

    assert result.get() is True
    assert FlakyBackend.attempts == 2
    assert [m.to for m in mail.outbox] == [[entry.guardian_email]]
    assert f"could not send the rejection e-mail for entry {entry.pk} (attempt 1)" in caplog.text
    assert f"sent the rejection e-mail for entry {entry.pk} (attempt 2)" in caplog.text


def test_smtp_error_retries_are_bounded_and_the_last_failure_logged(flaky_mail, retries_run_inline, caplog):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="unreadable")
    flaky_mail(100)

    with caplog.at_level("INFO", logger="contest.tasks"):
        result = task_guardian_mail_send.apply(kwargs={"entry_id": entry.pk, "kind": "rejection", "language": "en"})

    assert result.failed()
    assert isinstance(result.result, smtplib.SMTPException)
    assert FlakyBackend.attempts == task_guardian_mail_send.max_retries + 1
    assert mail.outbox == []
    assert f"gave up the rejection e-mail for entry {entry.pk}" in caplog.text


def test_a_failing_mail_server_never_fails_the_request_that_queued_the_mail(flaky_mail, django_capture_on_commit_callbacks):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="unreadable")
    flaky_mail(100)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.entry_rejection_send(entry=entry) is True

    assert mail.outbox == []


def test_mail_is_written_in_the_guardians_language_whatever_the_request_language(django_capture_on_commit_callbacks):
    entry = EntryFactory(language="ru", moderation_status="rejected", rejection_reason="unreadable")

    with translation.override("kk"), django_capture_on_commit_callbacks(execute=True):
        services.entry_rejection_send(entry=entry)

    message = mail.outbox[0]
    assert message.subject == f"Работа {entry.reference} не принята"
    assert "Фото слишком размытое или тёмное, чтобы оценить рисунок." in message.body


def test_receipt_records_when_it_was_sent_only_once_it_went(django_capture_on_commit_callbacks, flaky_mail):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending", confirmation_sent_at=None)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.entry_confirmation_send(entry=entry)
    entry.refresh_from_db()
    assert entry.confirmation_sent_at is None

    for callback in callbacks:
        callback()
    entry.refresh_from_db()
    assert entry.confirmation_sent_at is not None
    assert [m.to for m in mail.outbox] == [[entry.guardian_email]]
