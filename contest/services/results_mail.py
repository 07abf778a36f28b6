"""The results e-mails to families: once a contest's results are published,
every family whose entry took part (confirmed by the guardian, approved by a
moderator, its personal data not erased) is owed one e-mail in the language
they used: the award and the drawing's page to winners (a place or a
special award), thanks and the winners' gallery to everyone else. Rejected
entries are left out (their guardian had the rejection e-mail), and so are
entries never moderated; withdrawn ones no longer exist.

They go through the guardians' outbox (`GuardianMail`, kinds `winner` and
`thanks`, rendered by `mail.guardian_mail_render`):

1. `results_mails_owe` writes one row per family in the publication's own
   transaction (a database constraint allows one results row per entry, so
   publishing again, or owing twice, adds nothing) and, after the commit,
   queues `contest.results_mails_dispatch`.
2. That task (`results_mails_dispatch`) claims the rows no task holds yet,
   `RESULTS_MAIL_BATCH` at a time, and queues one
   `contest.results_mails_send` task per batch.
3. Each batch (`results_mails_send`) sends its rows one by one through
   `mail.guardian_mail_deliver_once` (each row at most once, under a lock);
   a row that fails is counted on the row and the others still go; the task
   tries the failed ones again with backoff, and the outbox sweeper
   (`guardian_mails_requeue`) takes whatever is left (a broker that was
   down, a worker killed midway) as single e-mails, up to
   `MAIL_MAX_ATTEMPTS` attempts each.

The rows carry no link secret: the entry gets a new one when its e-mail is
sent (`guardian_mail_deliver_once`), so the guardian's older links keep
working until then.
"""

from __future__ import annotations

import logging
import smtplib
import time

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import RESULTS_KINDS, Contest, Entry, GuardianMail
from .jobs import DISPATCH_RESULTS_MAILS, SEND_RESULTS_MAILS, job_enqueue
from .mail import guardian_mail_deliver_once, mail_error_label

logger = logging.getLogger(__name__)

# Rows per `contest.results_mails_send` task.
RESULTS_MAIL_BATCH = 50


def results_mail_families(*, contest: Contest):
    """The entries of `contest` whose families get a results e-mail:
    confirmed, approved, with a guardian's address, personal data kept."""
    return Entry.objects.filter(
        contest=contest,
        guardian_confirmed_at__isnull=False,
        moderation_status=Entry.Moderation.APPROVED,
        personal_data_purged_at__isnull=True,
    ).exclude(guardian_email="")


def results_mails_owe(*, contest: Contest) -> int:
    """Owe the results e-mail to every family of `contest`
    (`results_mail_families`) that has none yet: a `winner` row for an
    entry holding a place or a special award, a `thanks` row otherwise,
    each in the entry's language. Runs in the caller's transaction (the
    publication); after the commit `contest.results_mails_dispatch` is
    queued (a broker that is down leaves the rows to the sweeper). Returns
    how many rows were added; calling it again adds none. Three queries
    whatever the number of entries, plus one per 500 rows written."""
    owed = results_mail_families(contest=contest).exclude(
        Exists(GuardianMail.objects.filter(entry=OuterRef("pk"), kind__in=RESULTS_KINDS))
    )
    winners = set(owed.winners().values_list("pk", flat=True))
    rows = [
        GuardianMail(entry_id=pk, kind=GuardianMail.Kind.WINNER if pk in winners else GuardianMail.Kind.THANKS,
                     language=language)
        for pk, language in owed.order_by("pk").values_list("pk", "language")
    ]
    with transaction.atomic():
        # A row that another run wrote meanwhile is skipped (the unique constraint).
        GuardianMail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    contest_id = contest.pk
    transaction.on_commit(lambda: job_enqueue(name=DISPATCH_RESULTS_MAILS, contest_id=contest_id))
    logger.info("owed %s results e-mails for contest %s (%s to winners)", len(rows), contest_id, len(winners))
    return len(rows)


def results_mails_dispatch(*, contest_id: int, batch_size: int = RESULTS_MAIL_BATCH) -> int:
    """Queue the unsent results e-mails of contest `contest_id` that no task
    holds yet, `batch_size` rows per `contest.results_mails_send` task
    (run by the worker). Each batch is claimed first (`queued_at` set, the
    rows locked and skipped by a concurrent run), so running this twice
    queues no row twice; when the broker refuses, the batch is released and
    the rest is left to the sweeper. Returns how many batches were queued."""
    batches = 0
    while True:
        now = timezone.now()
        with transaction.atomic():
            mail_ids = list(
                # A subquery, not a join: only the outbox rows are locked.
                GuardianMail.objects.select_for_update(skip_locked=True)
                .filter(entry_id__in=Entry.objects.filter(contest_id=contest_id).values("pk"),
                        kind__in=RESULTS_KINDS, sent_at__isnull=True, queued_at__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not mail_ids:
                break
            GuardianMail.objects.filter(pk__in=mail_ids).update(queued_at=now)
        if not job_enqueue(name=SEND_RESULTS_MAILS, mail_ids=mail_ids):
            GuardianMail.objects.filter(pk__in=mail_ids, queued_at=now, sent_at__isnull=True).update(queued_at=None)
            logger.warning("results e-mails of contest %s: batch not queued; left for the sweeper", contest_id)
            break
        batches += 1
    logger.info("results e-mails of contest %s: %s batches queued", contest_id, batches)
    return batches


def _server_unreachable(exc: BaseException) -> bool:
    """Whether `exc` is the mail server's trouble as a whole (no connection,
    a timeout, a dropped connection) rather than one message's refusal."""
    return isinstance(exc, OSError) and not isinstance(
        exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)
    )


def results_mails_send(*, mail_ids: list[int], time_budget: float | None = None) -> list[int]:
    """Send the outbox rows `mail_ids` one by one (`guardian_mail_deliver_once`:
    a row already sent, or whose entry is gone, is skipped). A failure is
    recorded on its row and logged (the error's class, never the address),
    and the next row still goes, unless the mail server cannot be reached
    at all: then the rest waits for the retry. No row is started once
    `time_budget` seconds have passed (a task's time limit must not cut a
    sending short). Returns the ids still to send, in order: those that
    failed and those not tried."""
    started = time.monotonic()
    failed = []
    for index, mail_id in enumerate(mail_ids):
        if time_budget is not None and time.monotonic() - started > time_budget:
            logger.warning("results e-mails: out of time after %s of %s; the rest waits", index, len(mail_ids))
            return failed + list(mail_ids[index:])
        try:
            guardian_mail_deliver_once(mail_id=mail_id)
        except Exception as exc:  # noqa: BLE001 - one row's trouble must not stop the batch
            logger.warning("results e-mail %s not sent: %s", mail_id, mail_error_label(exc))
            failed.append(mail_id)
            if _server_unreachable(exc):
                logger.warning("results e-mails: the mail server is unreachable; the rest of the batch waits")
                return failed + list(mail_ids[index + 1:])
    return failed
