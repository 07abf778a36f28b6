"""Organizers' decisions on entries: approve, reject (the guardian is told
by e-mail), flag for a closer look. Every decision is in the audit log."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import phrases
from ..models import AuditLog, Entry
from ..text_privacy import text_flags
from .audit import audit_log_record
from .mail import entry_rejection_send, entry_text_edited_send
from .public_cache import public_cache_clear


def entries_moderate(
    *, entries, approve: bool, reason: str = "", actor=None, notify: bool = True
) -> int:
    """Approve or reject the given entries; returns how many changed.

    Only entries their guardian confirmed, and none flagged for a face or
    a written name (`Entry.PrivacyReview.FLAGGED`: a moderator must clear
    or mask it first), can be approved: the others are skipped (the
    database refuses them too; `entries_approval_blocked` counts them). A rejection takes a reason from
    `Entry.RejectionReason`, is e-mailed to the guardian in their language
    and deletes the entry with its images after `REJECTED_ENTRY_DAYS`.
    Every decision is in the audit log.
    """
    if not approve and reason not in Entry.RejectionReason.values:
        raise ValidationError(str(phrases.REJECTION_REASON_REQUIRED), code="reason")
    status = Entry.Moderation.APPROVED if approve else Entry.Moderation.REJECTED
    target = entries.exclude(moderation_status=status).filter(personal_data_purged_at__isnull=True)
    if approve:
        target = target.filter(guardian_confirmed_at__isnull=False).exclude(privacy_review=Entry.PrivacyReview.FLAGGED)
    changed = list(target.select_related("contest"))
    now = timezone.now()
    with transaction.atomic():
        Entry.objects.filter(pk__in=[e.pk for e in changed]).update(
            moderation_status=status, rejection_reason="" if approve else reason, moderated_at=now, updated_at=now
        )
        for entry in changed:
            audit_log_record(
                action=AuditLog.Action.APPROVED if approve else AuditLog.Action.REJECTED, actor=actor,
                contest=entry.contest, entry_reference=entry.reference, detail={"reason": reason} if reason else {},
            )
        if not approve and notify:
            # One e-mail per entry, owed in the same commit as the rejection
            # and sent by a job after it: the organizer's answer never waits
            # for the mail server.
            for entry in changed:
                entry.rejection_reason = reason
                entry_rejection_send(entry=entry)
        # A published winner approved again (after a face check) or
        # rejected: the cached gallery must show it, or not.
        for contest_id in {entry.contest_id for entry in changed}:
            transaction.on_commit(lambda contest_id=contest_id: public_cache_clear(contest_id=contest_id))
    return len(changed)


def entries_approval_blocked(*, entries) -> int:
    """How many of `entries` (a queryset) an approval would skip because a
    face or the child's written name was found in the photo and no
    moderator has cleared or hidden it yet. One query."""
    return (
        entries.exclude(moderation_status=Entry.Moderation.APPROVED)
        .filter(privacy_review=Entry.PrivacyReview.FLAGGED, personal_data_purged_at__isnull=True)
        .count()
    )


def entries_flag(*, entries, flagged: bool = True, actor=None) -> int:
    """Mark entries for a closer look by another organizer."""
    changed = list(entries.exclude(flagged=flagged).select_related("contest"))
    Entry.objects.filter(pk__in=[e.pk for e in changed]).update(flagged=flagged, updated_at=timezone.now())
    for entry in changed:
        audit_log_record(
            action=AuditLog.Action.FLAGGED, actor=actor, contest=entry.contest, entry_reference=entry.reference,
            detail={"flagged": flagged},
        )
    return len(changed)


def entry_text_edit(*, entry: Entry, title: str, description: str, actor=None) -> list[str]:
    """A moderator's new `title` and `description` (stripped) for `entry`;
    returns the names of the fields that changed ([] when none did:
    nothing is written). The text flags are found again, the change is in
    the audit log (which fields, never their text: the log outlives the
    entry) and the guardian is e-mailed the new wording in their language
    after commit. Raises ValidationError (code "title") for an empty title."""
    title, description = title.strip(), description.strip()
    if not title:
        raise ValidationError(str(phrases.TITLE_REQUIRED), code="title")
    changed = [name for name, value in (("title", title), ("description", description)) if getattr(entry, name) != value]
    if not changed:
        return []
    entry.title, entry.description = title, description
    entry.text_flags = text_flags(
        title=title, description=description, first_name=entry.child_first_name,
        last_name=entry.child_last_name, school=entry.school,
    )
    with transaction.atomic():
        entry.save(update_fields=["title", "description", "text_flags", "updated_at"])
        audit_log_record(
            action=AuditLog.Action.TEXT_EDITED, actor=actor, contest=entry.contest, entry_reference=entry.reference,
            detail={"fields": changed},
        )
        if entry.guardian_email:
            entry_text_edited_send(entry=entry)
    return changed
