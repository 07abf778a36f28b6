"""E-mails to guardians: their links, the wording (the organizers' own per
language, else the standard templates), the outbox and the jobs that send them.

A request never sends mail itself: `guardian_mail_queue` writes a
`GuardianMail` row in the caller's transaction (the e-mail is owed once the
event is committed) and, after the commit, queues the Celery task
`contest.guardian_mail_send` with that row's id (and, for the logs, the
entry id, kind and language). The worker renders the message in the
guardian's language and sends it (`guardian_mail_deliver_once`) under a lock
on the row, so each row goes out at most once, retrying on SMTP and network
errors (see `contest.tasks`). When the broker was down, or a task was lost,
the sweeper (`guardian_mails_requeue`, Celery beat) queues the row again.

Links: an entry keeps only the hash of its link secret (`contest.links`),
so an e-mail's links can be made only where the plain secret is at hand.
Every e-mail that carries links therefore replaces the entry's secret when
it is owed (`entry_link_secret_renew`, in the same transaction as the
row) and its outbox row keeps the plain secret (`GuardianMail.link_secret`)
until the worker has sent it; then the row forgets it. The links are
signed when the e-mail is rendered, so their lifetime starts at sending,
as before. A new secret is written onto every unsent row of the entry too,
so an e-mail still waiting never goes out with dead links.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..links import secret_new
from ..models import Entry, GuardianMail
from .jobs import SEND_GUARDIAN_MAIL, job_enqueue
from .mail_text import MAIL_KINDS, guardian_mail_render

logger = logging.getLogger(__name__)

# The sweeper queues an unsent row again once it is this old (seconds) and
# was never taken by the broker...
MAIL_REQUEUE_AFTER_SECONDS = 300
# ... or once its task has been silent this long (seconds): longer than the
# task's largest back-off (30 min), so a task still retrying is left alone.
MAIL_TASK_LOST_AFTER_SECONDS = 3600
# Attempts to send one e-mail (three task runs of 7 tries each), after which
# the sweeper leaves the row unsent for organizers to see.
MAIL_MAX_ATTEMPTS = 21
# Rows queued again per sweep, oldest first: a broker that is still down
# must not hold the sweep for long.
MAIL_SWEEP_BATCH = 100


def entry_link_secret_renew(*, entry: Entry) -> str:
    """Give `entry` a new link secret and return it in plain form (the only
    moment it exists so): the entry keeps its SHA-256, every unsent e-mail
    of the entry carries the new one, and every link made before stops
    working. Call it inside the transaction that owes the e-mail."""
    plain, digest = secret_new()
    Entry.objects.filter(pk=entry.pk).update(link_secret_hash=digest)
    GuardianMail.objects.filter(entry_id=entry.pk, sent_at__isnull=True).update(link_secret=plain)
    entry.link_secret_hash = digest
    return plain


def _mail_send(*, entry: Entry, kind: str, language: str, secret: str) -> dt.datetime:
    """Render and send; returns when it went. Raises what the backend raises."""
    subject, body = guardian_mail_render(entry=entry, kind=kind, language=language, secret=secret)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [entry.guardian_email])
    sent_at = timezone.now()
    if kind == "receipt":
        Entry.objects.filter(pk=entry.pk).update(confirmation_sent_at=sent_at)
    return sent_at


def _entry_to_write_to(entry_id: int) -> Entry | None:
    entry = (
        Entry.objects.select_related("contest", "teacher").filter(pk=entry_id, personal_data_purged_at__isnull=True)
        .first()
    )
    return entry if entry is not None and entry.guardian_email else None


def guardian_mail_deliver(*, entry_id: int, kind: str, language: str) -> bool:
    """Render and send the `kind` e-mail of entry `entry_id` in `language`,
    without an outbox row (tasks queued before the outbox existed).
    False (logged) when the entry is gone meanwhile. Raises what the mail
    backend raises (`smtplib.SMTPException`, `OSError`), so the task can
    retry. A receipt records when it was sent (`Entry.confirmation_sent_at`:
    the confirmation period starts then). Such a task has no secret to
    hand: the entry gets a new one (`entry_link_secret_renew`)."""
    entry = _entry_to_write_to(entry_id)
    if entry is None:
        logger.info("entry %s is gone; no %s e-mail sent", entry_id, kind)
        return False
    with transaction.atomic():
        secret = entry_link_secret_renew(entry=entry)
    _mail_send(entry=entry, kind=kind, language=language, secret=secret)
    return True


def mail_error_label(exc: BaseException) -> str:
    """What `GuardianMail.last_error` keeps of a failure: the exception's
    class and the SMTP code, never its message (it may quote an address)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__} {code}"[:80] if code else type(exc).__name__[:80]


def guardian_mail_deliver_once(*, mail_id: int) -> bool:
    """Send the outbox row `mail_id` unless it went already (run by the
    worker). The row is locked for the attempt, so two deliveries of one
    row (a redelivered task, a sweep racing the first task) send it once.
    Returns True when it was sent now; False (logged) when it was sent
    before, or its entry is gone (the row is gone with it) or erased (the
    row is deleted: nobody to write to). A failed attempt is counted with
    its `mail_error_label`, then the error is raised again
    (`smtplib.SMTPException`, `OSError`) so the task can retry."""
    failure = None
    with transaction.atomic():
        mail = GuardianMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None:
            logger.info("e-mail %s is gone with its entry; nothing sent", mail_id)
            return False
        if mail.sent_at is not None:
            logger.info("the %s e-mail %s for entry %s went already; not sent again", mail.kind, mail_id, mail.entry_id)
            return False
        entry = _entry_to_write_to(mail.entry_id)
        if entry is None:
            logger.info("entry %s has no guardian to write to any more; %s e-mail %s dropped", mail.entry_id, mail.kind, mail_id)
            mail.delete()
            return False
        # A row owed without a secret (the results, owed in bulk at
        # publication; rows from before link secrets) gets one now, so the
        # guardian's older links keep working until this e-mail goes.
        if not mail.link_secret:
            mail.link_secret = entry_link_secret_renew(entry=entry)
        mail.attempts += 1
        mail.last_attempt_at = timezone.now()
        try:
            mail.sent_at = _mail_send(entry=entry, kind=mail.kind, language=mail.language, secret=mail.link_secret)
            mail.last_error = ""
        except Exception as exc:  # counted here, retried or reported by the task
            failure, mail.last_error = exc, mail_error_label(exc)
        if mail.sent_at is not None or mail.attempts >= MAIL_MAX_ATTEMPTS:
            mail.link_secret = ""  # sent, or given up: the plain secret goes
        mail.save(update_fields=["attempts", "last_attempt_at", "sent_at", "last_error", "link_secret"])
    if failure is not None:
        if mail.attempts >= MAIL_MAX_ATTEMPTS:
            logger.error(
                "the %s e-mail %s for entry %s failed %s times (%s); not queued again, it stays unsent in the outbox",
                mail.kind, mail_id, mail.entry_id, mail.attempts, mail.last_error,
            )
        raise failure
    return True


def _mail_dispatch(*, mail_id: int, entry_id: int, kind: str, language: str, queued_before=None) -> bool:
    """Hand the row to the worker; True when the broker took it. The row is
    claimed first (`queued_at` moved from `queued_before` to now), so two
    sweeps never queue it both; released again when the broker is down."""
    now = timezone.now()
    if not GuardianMail.objects.filter(pk=mail_id, queued_at=queued_before, sent_at__isnull=True).update(queued_at=now):
        return False
    if job_enqueue(name=SEND_GUARDIAN_MAIL, mail_id=mail_id, entry_id=entry_id, kind=kind, language=language):
        return True
    GuardianMail.objects.filter(pk=mail_id, queued_at=now).update(queued_at=queued_before)
    return False


def guardian_mail_queue(*, entry: Entry, kind: str, photo_name: str = "") -> bool:
    """Owe the `kind` e-mail (a key of `MAIL_KINDS`) to the entry's
    guardian, in the entry's language: a `GuardianMail` row written in the
    current transaction, queued for the worker once it commits (at once
    outside one). Returns True: the outcome is the task's, and logged
    there; a broker that is down is logged too, and the sweeper
    (`guardian_mails_requeue`) queues the row later. Every kind carries
    links, so the entry gets a new link secret (`entry_link_secret_renew`):
    links e-mailed before stop working. Raises ValueError for an unknown kind."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    with transaction.atomic():
        mail = GuardianMail.objects.create(entry_id=entry.pk, kind=kind, language=entry.language, photo_name=photo_name)
        entry_link_secret_renew(entry=entry)
    mail_id, entry_id, language = mail.pk, entry.pk, entry.language
    transaction.on_commit(
        lambda: _mail_dispatch(mail_id=mail_id, entry_id=entry_id, kind=kind, language=language)
    )
    return True


def guardian_mails_requeue(*, older_than_seconds: int = MAIL_REQUEUE_AFTER_SECONDS, now: dt.datetime | None = None) -> int:
    """The e-mail sweeper (Celery beat; `manage.py sweep_guardian_mails`):
    queue again every unsent `GuardianMail` older than `older_than_seconds`
    that the broker never took, or whose task has been silent for
    `MAIL_TASK_LOST_AFTER_SECONDS` (lost with a broker or a worker), up to
    `MAIL_SWEEP_BATCH` rows, oldest first. Rows with `MAIL_MAX_ATTEMPTS`
    attempts are left alone. Returns how many were queued; safe to run at
    any time (a row is sent at most once, see `guardian_mail_deliver_once`)."""
    now = now or timezone.now()
    silent_since = now - dt.timedelta(seconds=MAIL_TASK_LOST_AFTER_SECONDS)
    due = list(
        GuardianMail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAIL_MAX_ATTEMPTS,
            created_at__lt=now - dt.timedelta(seconds=older_than_seconds),
        )
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=silent_since))
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=silent_since))
        .order_by("created_at", "pk")
        .values_list("pk", "entry_id", "kind", "language", "queued_at")[:MAIL_SWEEP_BATCH]
    )
    queued = sum(
        _mail_dispatch(mail_id=pk, entry_id=entry_id, kind=kind, language=language, queued_before=queued_at)
        for pk, entry_id, kind, language, queued_at in due
    )
    if due:
        logger.info("queued %s of %s unsent guardian e-mails again", queued, len(due))
    return queued


def entry_confirmation_send(*, entry: Entry) -> bool:
    """E-mail the guardian the reference code, the confirmation link (valid
    `GUARDIAN_CONFIRM_DAYS`) and the link to the self-service page, in the
    language of the form; queued after commit (see `guardian_mail_queue`).
    The organizers' subject and text for that language (else for the
    contest's default language) replace the standard ones
    (`ContestTranslation`). When sent, records when."""
    return guardian_mail_queue(entry=entry, kind="receipt")


# Kept for callers of the first version: the receipt is the confirmation message.
entry_receipt_send = entry_confirmation_send


def entry_links_resend(*, entry: Entry) -> bool:
    """Send the guardian's links again (queued after commit): the
    confirmation link while the entry is unconfirmed, otherwise a fresh
    link to the self-service page."""
    if entry.guardian_confirmed_at is None:
        return entry_confirmation_send(entry=entry)
    return guardian_mail_queue(entry=entry, kind="link")


def entry_rejection_send(*, entry: Entry) -> bool:
    """Tell the guardian, in their language, why the entry was rejected and
    when its data will be deleted (queued after commit; the reason is read
    from the entry's row when the mail is rendered)."""
    return guardian_mail_queue(entry=entry, kind="rejection")


def entry_photo_request_send(*, entry: Entry) -> bool:
    """Ask the guardian, in their language, for a photo of the drawing
    alone (no face, no written name), with the link to the entry's page
    where a new photo is sent (queued after commit)."""
    return guardian_mail_queue(entry=entry, kind="photo_ask")


def entry_unreadable_send(*, entry: Entry) -> bool:
    """Tell the guardian, in the entry's language, that the worker could not
    read the photo (damaged, or cut short on its way) and how to send it
    again: the entry's page while the contest is open, else the organizers
    (queued after commit). Once per photo (`GuardianMail.photo_name`):
    False, nothing owed, when that photo's e-mail exists already."""
    photo = entry.original.name or ""
    if GuardianMail.objects.filter(entry_id=entry.pk, kind="unreadable", photo_name=photo).exists():
        return False
    return guardian_mail_queue(entry=entry, kind="unreadable", photo_name=photo)


def entry_text_edited_send(*, entry: Entry) -> bool:
    """Tell the guardian, in their language, that an organizer changed the
    drawing's title or description, with the new wording (read from the
    entry's row when the mail is rendered; queued after commit)."""
    return guardian_mail_queue(entry=entry, kind="text_edit")
