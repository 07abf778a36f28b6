"""Celery tasks of the judging app (thin: each calls one service)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name=services.BUILD_EXPORT, ignore_result=True)
def task_export_build(*, export_id: int) -> None:
    """Build export `export_id`; a failure is recorded on the export itself
    (failed, with its reason), never retried: the organizer asks again."""
    services.export_build(export_id=export_id)


@shared_task(name="judging.exports_purge_expired")
def task_exports_purge_expired() -> int:
    """Delete exports older than `services.EXPORT_KEEP` with their files
    (Celery beat "purge-exports"); returns how many."""
    return services.exports_purge_expired()
