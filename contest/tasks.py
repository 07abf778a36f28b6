"""Celery tasks of the contest app (thin: each calls one service)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation

from . import direct_uploads, renditions, services
from .services import jobs

logger = logging.getLogger(__name__)

# Storage, network and database trouble (renditions.TRANSIENT_ERRORS).
RETRYABLE_ERRORS = renditions.TRANSIENT_ERRORS


@shared_task(
    name=jobs.RENDER_ENTRY,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only storage and network trouble is worth another try; an image that
    # cannot be decoded is recorded as failed by the service itself.
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def task_entry_renditions_generate(self, *, entry_id: int) -> None:
    """Make the renditions of entry `entry_id`; after the last retry the
    entry is marked failed, so nothing stays in processing silently, and the
    sweeper retries it later (growing delays, bounded). Failure reasons are
    written in the site's language, for organizers. A redelivery after the
    pool child died counts as an unfinished attempt
    (`renditions.MAX_UNFINISHED_ATTEMPTS`)."""
    logger.info("rendering entry %s (attempt %s)", entry_id, self.request.retries + 1)
    with translation.override(settings.LANGUAGE_CODE):
        _render(self, entry_id)


def _render(task, entry_id: int) -> None:
    try:
        renditions.entry_renditions_generate(entry_id=entry_id, task_id=task.request.id or "")
    except RETRYABLE_ERRORS as exc:
        if task.request.retries >= task.max_retries:
            logger.exception("renditions for entry %s failed after %s retries", entry_id, task.request.retries)
            try:
                renditions.entry_renditions_fail_transient(entry_id=entry_id)
            except (OperationalError, InterfaceError):
                # The database itself is down: the sweeper finds the entry
                # (its lease runs out) once it is back.
                logger.exception("could not record the failure of entry %s", entry_id)
        raise exc


@shared_task(name="contest.entries_requeue_stuck", ignore_result=True)
def task_entries_requeue_stuck(*, older_than_seconds: int = services.STUCK_AFTER_SECONDS) -> int:
    """The periodic sweeper (Celery beat, see CELERY_BEAT_SCHEDULE): queue
    again every entry stuck in received or processing; returns how many."""
    return services.entries_requeue_stuck(older_than_seconds=older_than_seconds)


# The deletion rules, run by Celery beat (see CELERY_BEAT_SCHEDULE); each is
# also `manage.py purge_personal_data --rule ...`.


@shared_task(name="contest.entries_purge_unconfirmed")
def task_entries_purge_unconfirmed() -> int:
    return services.entries_purge_unconfirmed()


@shared_task(name="contest.entries_purge_rejected")
def task_entries_purge_rejected() -> int:
    return services.entries_purge_rejected()


@shared_task(name="contest.entries_purge_retention")
def task_entries_purge_retention() -> int:
    return services.entries_purge_retention()


@shared_task(name="contest.storage_orphans_purge")
def task_storage_orphans_purge() -> int:
    """The storage check: delete files no entry uses any more (also
    `manage.py purge_orphan_files [--dry-run]`)."""
    return services.storage_orphans_purge()


@shared_task(name="contest.staged_uploads_sweep")
def task_staged_uploads_sweep() -> int:
    """Abort the direct uploads to S3 left unfinished or unused for a day
    (`direct_uploads.staged_uploads_sweep`)."""
    return direct_uploads.staged_uploads_sweep()


# A mail server that refuses for now, or cannot be reached.
MAIL_ERRORS = (smtplib.SMTPException, OSError, ConnectionError)


@shared_task(
    name=jobs.SEND_GUARDIAN_MAIL,
    bind=True,
    acks_late=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def task_guardian_mail_send(self, *, entry_id: int, kind: str, language: str, mail_id: int | None = None) -> bool:
    """Send the `kind` e-mail of entry `entry_id` to its guardian, written in
    `language`: the outbox row `mail_id` (see
    `services.guardian_mail_deliver_once`: sent at most once), or without a
    row when `mail_id` is None (tasks queued before the outbox existed).
    SMTP and network errors are retried with backoff (30 s doubling, at
    most 30 min, 6 times); every outcome is logged. Returns whether a mail
    went out now."""
    attempt = self.request.retries + 1
    try:
        if mail_id is None:
            sent = services.guardian_mail_deliver(entry_id=entry_id, kind=kind, language=language)
        else:
            sent = services.guardian_mail_deliver_once(mail_id=mail_id)
    except MAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.error("gave up the %s e-mail for entry %s after %s attempts: %s", kind, entry_id, attempt, exc)
        else:
            logger.warning("could not send the %s e-mail for entry %s (attempt %s): %s", kind, entry_id, attempt, exc)
        raise
    if sent:
        logger.info("sent the %s e-mail for entry %s (attempt %s)", kind, entry_id, attempt)
    return sent


@shared_task(name="contest.guardian_mails_requeue", ignore_result=True)
def task_guardian_mails_requeue(*, older_than_seconds: int = services.MAIL_REQUEUE_AFTER_SECONDS) -> int:
    """The e-mail sweeper (Celery beat, see CELERY_BEAT_SCHEDULE): queue
    again the guardian e-mails still unsent (broker down, task lost);
    returns how many."""
    return services.guardian_mails_requeue(older_than_seconds=older_than_seconds)


# Seconds before a results batch tries its failed e-mails again (doubling).
RESULTS_RETRY_COUNTDOWN = 60
# Seconds a batch may spend starting e-mails: well inside the task's soft
# time limit (CELERY_TASK_SOFT_TIME_LIMIT, 100 s by default).
RESULTS_BATCH_SECONDS = 60


@shared_task(name=jobs.DISPATCH_RESULTS_MAILS, ignore_result=True)
def task_results_mails_dispatch(*, contest_id: int) -> int:
    """Queue the results e-mails of contest `contest_id` in batches
    (`services.results_mails_dispatch`); returns how many batches."""
    return services.results_mails_dispatch(contest_id=contest_id)


@shared_task(name=jobs.SEND_RESULTS_MAILS, bind=True, acks_late=True, max_retries=3)
def task_results_mails_send(self, *, mail_ids: list[int]) -> int:
    """Send one batch of results e-mails (`services.results_mails_send`:
    each row at most once). The rows still unsent (failed, or not tried
    while the mail server was unreachable or the batch ran out of time) are
    tried again by this task with backoff (1, 2, 4 minutes), then left to
    the outbox sweeper, which sends them one by one. Returns how many of
    the batch are still unsent."""
    attempt = self.request.retries + 1
    failed = services.results_mails_send(mail_ids=mail_ids, time_budget=RESULTS_BATCH_SECONDS)
    logger.info("results e-mails: %s of %s of the batch unsent (attempt %s)", len(failed), len(mail_ids), attempt)
    if failed and self.request.retries < self.max_retries:
        raise self.retry(kwargs={"mail_ids": failed}, countdown=RESULTS_RETRY_COUNTDOWN * 2**self.request.retries)
    if failed:
        logger.error("results e-mails %s still unsent after %s attempts; left to the sweeper", failed, attempt)
    return len(failed)


@shared_task(
    name=jobs.SEND_VOTE_CONFIRMATION, acks_late=True, autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True, max_retries=5,
)
def task_vote_confirmation_send(*, vote_id: int) -> bool:
    """E-mail a people's choice voter their confirmation link
    (`services.vote_confirmation_deliver`); False when the vote is gone."""
    return services.vote_confirmation_deliver(vote_id=vote_id)


@shared_task(
    name=jobs.SEND_TEACHER_VERIFICATION, acks_late=True, autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True, max_retries=5,
)
def task_teacher_verification_send(*, teacher_id: int) -> bool:
    """E-mail a new teacher the link that verifies their address
    (`services.teacher_verification_deliver`); False when there is nothing to send."""
    return services.teacher_verification_deliver(teacher_id=teacher_id)
