"""Queueing the contest's background jobs (Celery tasks) by name.

The tasks call the services; the services never import the tasks module,
they queue a task by its registered name (`contest.tasks` is loaded by the
app's `ready`, and by the worker). Queueing never fails the caller: when the
broker is down, the failure is logged and False returned.
"""

from __future__ import annotations

import logging

from celery import current_app

logger = logging.getLogger(__name__)

RENDER_ENTRY = "contest.entry_renditions_generate"
SEND_GUARDIAN_MAIL = "contest.guardian_mail_send"


def job_enqueue(*, name: str, **kwargs) -> bool:
    """Queue the task registered as `name` with keyword arguments `kwargs`
    (primitives only); False (logged) when it could not be queued."""
    try:
        current_app.tasks[name].apply_async(kwargs=kwargs)
    except Exception:
        logger.exception("could not queue %s %s", name, kwargs)
        return False
    return True


def renditions_enqueue(*, entry_id: int) -> bool:
    """Queue the rendition task; False (logged) when the broker is down: the
    entry stays saved and the sweeper queues it again later."""
    return job_enqueue(name=RENDER_ENTRY, entry_id=entry_id)
