"""Rendition orchestration on the web side: queueing an entry's
renditions, the sweeper for entries stuck in processing, and organizers'
retry of failed ones. The rendering itself is `contest.renditions`, run by
the worker."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Entry, SweepRun
from .jobs import renditions_enqueue

# An entry received or processing for longer than this (seconds) is queued again.
STUCK_AFTER_SECONDS = 300


def entries_requeue_stuck(*, older_than_seconds: int = STUCK_AFTER_SECONDS) -> int:
    """Queue the rendition task again for every entry still `received` or
    `processing` after `older_than_seconds` (a lost broker message, a killed
    worker). Records a `SweepRun` and returns how many were queued.

    Safe to run at any time: the task is idempotent.
    """
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    stuck = list(
        Entry.objects.filter(
            processing_status__in=[Entry.Processing.RECEIVED, Entry.Processing.PROCESSING], updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    queued = 0
    for entry_id in stuck:
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
        processing_status=Entry.Processing.RECEIVED, processing_error="", updated_at=timezone.now()
    )
    for entry_id in ids:
        transaction.on_commit(lambda entry_id=entry_id: renditions_enqueue(entry_id=entry_id))
    return len(ids)
