"""Celery tasks of judging (thin: each calls one service): the judges'
invitation and password-reset e-mails, whose SMTP and network errors are
retried with backoff (30 s doubling, at most 30 min, 6 times), every outcome
logged; and the organizers' exports."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from . import services
from .services.invitations import SEND_INVITATION, SEND_PASSWORD_RESET

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError, ConnectionError)
RETRIES = {
    "bind": True, "acks_late": True, "autoretry_for": MAIL_ERRORS, "retry_backoff": 30,
    "retry_backoff_max": 1800, "retry_jitter": True, "max_retries": 6,
}


@shared_task(name=SEND_INVITATION, **RETRIES)
def task_invitation_mail_send(self, *, invitation_id: int) -> bool:
    """Send invitation `invitation_id`'s e-mail; whether it went now."""
    logger.info("sending invitation %s (attempt %s)", invitation_id, self.request.retries + 1)
    return services.invitation_mail_deliver(invitation_id=invitation_id)


@shared_task(name=SEND_PASSWORD_RESET, **RETRIES)
def task_password_reset_mail_send(self, *, user_id: int, language: str) -> bool:
    """Send user `user_id` the password-reset e-mail in `language`."""
    logger.info("sending a password reset to user %s (attempt %s)", user_id, self.request.retries + 1)
    return services.password_reset_mail_deliver(user_id=user_id, language=language)


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
