"""Celery tasks of the contest app (thin: each calls one service)."""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError
from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import renditions, services

logger = logging.getLogger(__name__)

# Storage and network trouble. boto3's connection errors (S3 unreachable,
# timeouts) are not OSError subclasses, so they are named here.
RETRYABLE_ERRORS = (OSError, ConnectionError, BotoCoreError)


@shared_task(
    name="contest.entry_renditions_generate",
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
    entry is marked failed, so nothing stays in processing silently. Failure
    reasons are written in the site's language, for organizers."""
    logger.info("rendering entry %s (attempt %s)", entry_id, self.request.retries + 1)
    with translation.override(settings.LANGUAGE_CODE):
        _render(self, entry_id)


def _render(task, entry_id: int) -> None:
    try:
        renditions.entry_renditions_generate(entry_id=entry_id)
    except RETRYABLE_ERRORS as exc:
        if task.request.retries >= task.max_retries:
            logger.exception("renditions for entry %s failed after %s retries", entry_id, task.request.retries)
            renditions.entry_renditions_fail(
                entry_id=entry_id, reason=_("The image could not be stored; please try again later.")
            )
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
