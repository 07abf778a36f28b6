"""E-mails to guardians: their links, the wording (the organizers' own per
language, else the standard templates), and the jobs that send them.

A request never sends mail itself: `guardian_mail_queue` queues the Celery
task `contest.guardian_mail_send` after the current transaction commits,
with primitive arguments (entry id, kind, language); the worker renders the
message in the guardian's language and sends it (`guardian_mail_deliver`),
retrying on SMTP and network errors (see `contest.tasks`).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from ..links import Purpose, lifetime, token_make
from ..models import Entry
from ..selectors import contest_content
from .jobs import SEND_GUARDIAN_MAIL, job_enqueue
from .policy import rejected_grace_days

logger = logging.getLogger(__name__)

# kind (of `EMAIL_KINDS`) -> the standard subject and template. The subject
# takes `%(ref)s` (the reference) and `%(contest)s` (the contest's title in
# the guardian's language).
MAIL_KINDS = {
    "receipt": (gettext_lazy("Please confirm the entry %(ref)s to “%(contest)s”"), "contest/email/confirm.txt"),
    "link": (gettext_lazy("Your link to the entry %(ref)s"), "contest/email/links.txt"),
    "rejection": (gettext_lazy("Your entry %(ref)s was not accepted"), "contest/email/rejected.txt"),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def guardian_links(*, entry: Entry) -> dict[str, str]:
    """Absolute URLs of the guardian's links for `entry`: `confirm` (only
    while unconfirmed) and `manage` (the self-service page)."""
    links = {
        "manage": _absolute(
            reverse("contest:guardian_entry", args=[token_make(public_id=entry.public_id, purpose=Purpose.MANAGE)])
        )
    }
    if entry.guardian_confirmed_at is None:
        links["confirm"] = _absolute(
            reverse("contest:guardian_confirm", args=[token_make(public_id=entry.public_id, purpose=Purpose.CONFIRM)])
        )
    return links


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """`text` with every `{name}` of `values` replaced; anything else is
    left as written. Not `str.format`: an organizer's text must not reach
    attributes (`{entry.__class__}`) or fail on a stray brace."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def _kind_context(*, entry: Entry, kind: str) -> dict:
    if kind == "rejection":
        return {
            "reason_text": Entry.RejectionReason(entry.rejection_reason).label,
            "grace_days": rejected_grace_days(),
        }
    return {}


def guardian_mail_render(*, entry: Entry, kind: str, language: str) -> tuple[str, str]:
    """(subject, body) of the `kind` e-mail (a key of `MAIL_KINDS`) for
    `entry`, in `language`. The organizers' wording for that language (else
    for the contest's default language, see `contest_content`) replaces the
    standard subject and template, with `{placeholders}` filled in."""
    standard_subject, template = MAIL_KINDS[kind]
    content = contest_content(contest=entry.contest, language=language)
    links = guardian_links(entry=entry)
    with translation.override(language):
        context = {
            "entry": entry,
            "contest": entry.contest,
            "contest_title": content.title,
            "links": links,
            "confirm_days": lifetime(Purpose.CONFIRM).days,
            "manage_days": lifetime(Purpose.MANAGE).days,
            **_kind_context(entry=entry, kind=kind),
        }
        own_subject, own_body = content.email(kind)
        values = {
            "name": entry.guardian_name, "title": entry.title, "contest": content.title,
            "reference": entry.reference, "confirm_link": links.get("confirm", ""), "manage_link": links["manage"],
            "confirm_days": context["confirm_days"], "manage_days": context["manage_days"],
            "reason": context.get("reason_text", ""), "grace_days": context.get("grace_days", ""),
        }
        body = placeholders_fill(own_body, values) if own_body else render_to_string(template, context)
        subject = (
            placeholders_fill(own_subject, values) if own_subject
            else str(standard_subject) % {"ref": entry.reference, "contest": content.title}
        )
    return subject, body


def guardian_mail_deliver(*, entry_id: int, kind: str, language: str) -> bool:
    """Render and send the `kind` e-mail of entry `entry_id` in `language`
    (run by the worker). False (logged) when the entry is gone meanwhile.
    Raises what the mail backend raises (`smtplib.SMTPException`, `OSError`),
    so the task can retry. A receipt records when it was sent
    (`Entry.confirmation_sent_at`: the confirmation period starts then)."""
    entry = Entry.objects.select_related("contest").filter(pk=entry_id, personal_data_purged_at__isnull=True).first()
    if entry is None or not entry.guardian_email:
        logger.info("entry %s is gone; no %s e-mail sent", entry_id, kind)
        return False
    subject, body = guardian_mail_render(entry=entry, kind=kind, language=language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [entry.guardian_email])
    if kind == "receipt":
        Entry.objects.filter(pk=entry.pk).update(confirmation_sent_at=timezone.now())
    return True


def guardian_mail_queue(*, entry: Entry, kind: str) -> bool:
    """Queue the `kind` e-mail (a key of `MAIL_KINDS`) to the entry's
    guardian, in the entry's language, to be sent once the current
    transaction commits (at once outside one). Returns True: the outcome
    is the task's, and logged there; a broker that is down is logged too."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    entry_id, language = entry.pk, entry.language
    transaction.on_commit(
        lambda: job_enqueue(name=SEND_GUARDIAN_MAIL, entry_id=entry_id, kind=kind, language=language)
    )
    return True


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
