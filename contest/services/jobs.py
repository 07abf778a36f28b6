"""Queueing the contest's background jobs (Celery tasks) by name.

The tasks call the services; the services never import the tasks module,
they queue a task by its registered name (`contest.tasks` is loaded by the
app's `ready`, and by the worker). Queueing never fails the caller: when the
broker is down, the failure is logged and False returned, and for
`BROKER_RETRY_AFTER` seconds this process does not try again (a hung Redis
would otherwise cost every job of a request its timeout); the database
holds what is owed (an entry in received, an unsent e-mail row) and the
sweepers publish it once the broker is back.
"""

from __future__ import annotations

import logging
import threading
import time

from celery import current_app

logger = logging.getLogger(__name__)

RENDER_ENTRY = "contest.entry_renditions_generate"
SEND_GUARDIAN_MAIL = "contest.guardian_mail_send"
# The results e-mails: one task hands them out in batches, one task per batch sends.
DISPATCH_RESULTS_MAILS = "contest.results_mails_dispatch"
SEND_RESULTS_MAILS = "contest.results_mails_send"
SEND_VOTE_CONFIRMATION = "contest.vote_confirmation_send"
SEND_TEACHER_VERIFICATION = "contest.teacher_verification_send"


# Seconds a process leaves the broker alone after a failed publish.
BROKER_RETRY_AFTER = 10.0
_broker_down_until = 0.0
_lock = threading.Lock()


def broker_marked_down() -> bool:
    """Whether a publish failed in this process less than `BROKER_RETRY_AFTER` seconds ago."""
    return _broker_down_until > time.monotonic()


def broker_mark(*, down: bool) -> None:
    """Remember (or forget) that the broker failed just now."""
    global _broker_down_until
    with _lock:
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER if down else 0.0


def job_enqueue(*, name: str, **kwargs) -> bool:
    """Queue the task registered as `name` with keyword arguments `kwargs`
    (primitives only); False (logged) when it could not be queued, or when
    the broker failed in this process moments ago."""
    if broker_marked_down():
        logger.warning("broker down: %s %s left for the sweeper", name, kwargs)
        return False
    try:
        current_app.tasks[name].apply_async(kwargs=kwargs)
    except Exception:
        broker_mark(down=True)
        logger.exception("could not queue %s %s", name, kwargs)
        return False
    return True


def renditions_enqueue(*, entry_id: int) -> bool:
    """Queue the rendition task; False (logged) when the broker is down: the
    entry stays saved and the sweeper queues it again later."""
    return job_enqueue(name=RENDER_ENTRY, entry_id=entry_id)


def broker_queue_depth(*, queue: str = "celery", timeout: float = 1.0) -> int | None:
    """How many tasks wait in `queue` (the default queue), or None when the
    broker cannot be asked now (down, hung, or failed moments ago). Never
    waits more than about `timeout` seconds (plus the broker's socket timeout)."""
    if broker_marked_down():
        return None
    try:
        with current_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            with conn.channel() as channel:
                return channel.queue_declare(queue=queue, passive=True).message_count
    except Exception as exc:  # noqa: BLE001 - any failure means "unknown"
        logger.warning("could not read the depth of queue %s: %s", queue, exc)
        return None
