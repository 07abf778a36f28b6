"""Rendition orchestration on the web side: queueing an entry's
renditions, the sweeper for entries stuck in processing, and organizers'
retry of failed ones. The rendering itself is `contest.renditions`, run by
the worker."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Entry, SweepRun
from .jobs import renditions_enqueue

# An entry received or processing for longer than this (seconds) is queued again.
STUCK_AFTER_SECONDS = 300
# The sweeper's automatic retries of a transient failure (storage or database
# down), in seconds after each failure: growing, about 5 hours in all; then
# the entry stays failed for an organizer to retry.
RETRY_DELAYS = (60, 120, 300, 600, 1200, 1800, 3600, 3600, 3600, 3600)


def retry_delay(*, retries: int) -> int | None:
    """Seconds until the automatic retry after `retries` earlier automatic
    retries of one entry, or None once `RETRY_DELAYS` is spent."""
    return RETRY_DELAYS[retries] if 0 <= retries < len(RETRY_DELAYS) else None


def entries_requeue_stuck(*, older_than_seconds: int = STUCK_AFTER_SECONDS) -> int:
    """Queue the rendition task again for every entry still `received` or
    `processing` after `older_than_seconds` whose lease has run out (a lost
    broker message, a killed worker, a submission while the broker was
    down), and for every failed entry whose automatic retry is due (a
    transient failure). An entry whose task is still running (its lease,
    `Entry.render_lease_until`, lies ahead) is left alone: no second task
    beside it. An entry whose rendering started `MAX_UNFINISHED_ATTEMPTS`
    times without finishing is failed instead (the task does so when it
    claims it). Records a `SweepRun` and returns how many were queued.

    Safe to run at any time: the task is idempotent.
    """
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    stuck = list(
        Entry.objects.filter(
            processing_status__in=[Entry.Processing.RECEIVED, Entry.Processing.PROCESSING], updated_at__lt=cutoff
        )
        .filter(Q(render_lease_until__isnull=True) | Q(render_lease_until__lt=now))
        .values_list("pk", flat=True)
    )
    due = list(
        Entry.objects.filter(processing_status=Entry.Processing.FAILED, render_retry_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    Entry.objects.filter(pk__in=due, processing_status=Entry.Processing.FAILED).update(
        processing_status=Entry.Processing.RECEIVED, render_retry_at=None, updated_at=now
    )
    queued = 0
    for entry_id in stuck + due:
        # Touch first so the next sweep waits a full period for this one.
        Entry.objects.filter(pk=entry_id).update(updated_at=timezone.now())
        if renditions_enqueue(entry_id=entry_id):
            queued += 1
    SweepRun.objects.create(requeued=queued, older_than_seconds=older_than_seconds)
    return queued


def entries_retry_failed(*, entries) -> int:
    """Organizers' retry: put failed entries back to `received` and queue
    their renditions after commit. Returns how many were retried."""
    ids = list(entries.filter(processing_status=Entry.Processing.FAILED).values_list("pk", flat=True))
    Entry.objects.filter(pk__in=ids).update(
        processing_status=Entry.Processing.RECEIVED, processing_error="", updated_at=timezone.now(),
        render_attempts=0, render_retries=0, render_retry_at=None,
    )
    for entry_id in ids:
        transaction.on_commit(lambda entry_id=entry_id: renditions_enqueue(entry_id=entry_id))
    return len(ids)
