"""Guardian e-mails go through an outbox: the e-mail is owed in the same
commit as the event, survives a broker that is down, is sent once by the
sweeper later, never twice, is deleted with the entry, and the sweeper
gives up after a bound."""

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.celery import app as celery_app
from contest import services
from contest.models import Entry, GuardianMail
from contest.services import jobs
from contest.services.jobs import RENDER_ENTRY, SEND_GUARDIAN_MAIL
from contest.tasks import task_guardian_mail_send
from tests.factories.contest import ContestFactory, EntryFactory
from tests.helpers import drawings

pytestmark = [pytest.mark.django_db]


class RefusingBackend(LocmemBackend):
    """A mail server that answers "try later", quoting the address."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 mailbox of parent@example.org busy, try later")


@pytest.fixture
def broker(monkeypatch):
    """The broker, switched off and on: while down, queueing either task
    raises kombu's OperationalError, as a dead Redis does."""

    class Switch:
        def down(self):
            def refuse(*args, **kwargs):
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

            for name in (RENDER_ENTRY, SEND_GUARDIAN_MAIL):
                monkeypatch.setattr(celery_app.tasks[name], "apply_async", refuse)

        def up(self):
            monkeypatch.undo()
            # Back for longer than the few seconds a process leaves a failed broker alone.
            jobs.broker_mark(down=False)

    return Switch()


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def submit(client, contest, path) -> None:
    with path.open("rb") as fh:
        response = client.post(reverse("contest:entry_submit", args=[contest.slug]), {
            "child_first_name": "Aisuluu", "child_last_name": "Secretlastname", "child_birth_date": "2015-09-10",
            "country": "KG", "region": "Osh", "school": "School 12", "title": "Our yard", "description": "",
            "image": fh, "guardian_name": "Gulnara Secretlastname", "guardian_email": "gulnara@example.org",
            "guardian_relationship": "mother", "consent": "on",
        })
    assert response.status_code == 302
    assert response["Location"] == reverse("contest:entry_receipt", args=[contest.slug])


def test_broker_down_at_submission_keeps_the_receipt_owed_and_the_sweep_sends_it_once(
    client, broker, django_capture_on_commit_callbacks, caplog
):
    contest = ContestFactory(age_reference_date=dt.date(2026, 6, 15))
    broker.down()

    with django_capture_on_commit_callbacks(execute=True):
        submit(client, contest, drawings(1)[0])

    entry = Entry.objects.get()
    row = GuardianMail.objects.get()
    assert (row.entry_id, row.kind, row.language) == (entry.pk, "receipt", "en")
    assert (row.sent_at, row.queued_at, row.attempts) == (None, None, 0)
    assert mail.outbox == []
    assert entry.confirmation_sent_at is None

    assert services.guardian_mails_requeue(now=later(1)) == 0  # the broker may only blink
    broker.up()
    with caplog.at_level("INFO", logger="contest.tasks"):
        assert services.guardian_mails_requeue(now=later(6)) == 1

    assert [m.to for m in mail.outbox] == [["gulnara@example.org"]]
    assert mail.outbox[0].subject == f"Please confirm the entry {entry.reference} to “{contest.title}”"
    assert f"sent the receipt e-mail for entry {entry.pk} (attempt 1)" in caplog.text
    row.refresh_from_db()
    entry.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
    assert entry.confirmation_sent_at == row.sent_at

    assert services.guardian_mails_requeue(now=later(6)) == 0
    assert services.guardian_mails_requeue(now=later(24 * 60)) == 0
    assert len(mail.outbox) == 1


def test_broker_down_at_a_bulk_rejection_keeps_one_owed_mail_per_entry(broker, django_capture_on_commit_callbacks):
    entries = [EntryFactory(guardian_email=f"parent{i}@example.org", language="en") for i in range(2)]
    broker.down()

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.entries_moderate(
            entries=Entry.objects.filter(pk__in=[e.pk for e in entries]), approve=False,
            reason=Entry.RejectionReason.OFF_THEME,
        )

    assert changed == 2
    assert sorted(GuardianMail.objects.filter(sent_at__isnull=True).values_list("kind", flat=True)) == [
        "rejection", "rejection",
    ]
    assert mail.outbox == []
    broker.up()

    assert services.guardian_mails_requeue(now=later(6)) == 2

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (f"parent{i}@example.org", f"Your entry {entries[i].reference} was not accepted") for i in range(2)
    ]
    assert not GuardianMail.objects.filter(sent_at__isnull=True).exists()


def test_a_second_delivery_of_a_sent_row_sends_nothing(django_capture_on_commit_callbacks):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="unreadable")
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_rejection_send(entry=entry)
    row = GuardianMail.objects.get()
    assert len(mail.outbox) == 1

    result = task_guardian_mail_send.apply(
        kwargs={"mail_id": row.pk, "entry_id": entry.pk, "kind": "rejection", "language": entry.language}
    )

    assert result.get() is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_row_whose_task_may_still_be_running_is_not_queued_again(django_capture_on_commit_callbacks):
    entry = EntryFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.entry_links_resend(entry=entry)  # queued, but its task never ran (lost with the broker)
    row = GuardianMail.objects.get()
    GuardianMail.objects.filter(pk=row.pk).update(queued_at=timezone.now())

    assert services.guardian_mails_requeue(now=later(30)) == 0
    assert mail.outbox == []

    assert services.guardian_mails_requeue(now=later(61)) == 1
    assert [m.to for m in mail.outbox] == [[entry.guardian_email]]


def test_withdrawal_deletes_the_mails_still_owed(broker, django_capture_on_commit_callbacks):
    entry = EntryFactory(guardian_confirmed_at=None, moderation_status="pending", confirmation_sent_at=None)
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_confirmation_send(entry=entry)
    assert GuardianMail.objects.filter(entry=entry, sent_at__isnull=True).count() == 1
    broker.up()

    services.entry_withdraw(entry=entry)

    assert not GuardianMail.objects.exists()
    assert services.guardian_mails_requeue(now=later(6)) == 0
    assert mail.outbox == []


def test_an_erased_entrys_owed_mail_is_dropped_unsent(django_capture_on_commit_callbacks):
    entry = EntryFactory()
    with django_capture_on_commit_callbacks(execute=False):
        services.entry_links_resend(entry=entry)
    Entry.objects.filter(pk=entry.pk).update(guardian_email="", personal_data_purged_at=timezone.now())

    assert services.guardian_mails_requeue(now=later(6)) == 1

    assert mail.outbox == []
    assert not GuardianMail.objects.exists()


def test_the_sweeper_gives_up_after_the_bound_and_leaves_the_row(settings, caplog, django_capture_on_commit_callbacks):
    entry = EntryFactory(moderation_status="rejected", rejection_reason="unreadable", guardian_email="parent@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        services.entry_rejection_send(entry=entry)
    row = GuardianMail.objects.get()
    GuardianMail.objects.filter(pk=row.pk).update(attempts=services.MAIL_MAX_ATTEMPTS - 1)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with caplog.at_level("INFO", logger="contest.services.mail"), pytest.raises(smtplib.SMTPDataError):
        services.guardian_mail_deliver_once(mail_id=row.pk)

    row.refresh_from_db()
    assert (row.attempts, row.sent_at, row.last_error) == (services.MAIL_MAX_ATTEMPTS, None, "SMTPDataError 451")
    assert f"the rejection e-mail {row.pk} for entry {entry.pk} failed {services.MAIL_MAX_ATTEMPTS} times" in caplog.text
    assert "parent@example.org" not in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert services.guardian_mails_requeue(now=later(24 * 60)) == 0

    assert mail.outbox == []
    assert GuardianMail.objects.filter(pk=row.pk, sent_at__isnull=True).exists()
    assert "parent@example.org" not in str(row)


def test_the_sweeper_command_queues_owed_mails(broker, django_capture_on_commit_callbacks):
    entry = EntryFactory()
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_links_resend(entry=entry)
    broker.up()
    out = io.StringIO()

    call_command("sweep_guardian_mails", "--older-than", "0", stdout=out)

    assert out.getvalue() == "Queued 1 unsent e-mails to guardians again.\n"
    assert [m.to for m in mail.outbox] == [[entry.guardian_email]]
