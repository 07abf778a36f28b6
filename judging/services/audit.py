"""The judging audit trail: one row per change that matters for fairness,
with who and when; never changed or deleted afterwards, except that the
free text about a child goes when their entry is withdrawn or purged
(`entry_judging_text_erase`)."""

from __future__ import annotations

from contest.models import Contest

from ..discussion import DiscussionFlag
from ..models import AuditEvent, Conflict, SheetComment

Action = AuditEvent.Action


def audit_record(
    *, contest: Contest, actor, action: str, entry_id: int | None = None, round_number: int | None = None,
    detail: dict | None = None, reason: str = "",
) -> AuditEvent:
    """Add one row to the audit trail (kept; only its `reason` is emptied
    when the entry is erased, see `entry_judging_text_erase`)."""
    return AuditEvent.objects.create(
        contest=contest,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        entry_id=entry_id,
        round_number=round_number,
        detail=detail or {},
        reason=reason,
    )


def entry_judging_text_erase(*, entry) -> None:
    """Forget the free text judging holds about `entry` (a contest `Entry`),
    for a withdrawal, a deletion or a retention purge: the reasons of its
    audit events and conflicts (a judge's "my neighbour's daughter Aisha"
    names the child) are emptied, the judges' private comments on it are
    deleted, notes of flags for discussion emptied. The events stay: that a conflict was declared is kept.
    Registered with `contest.services.audit.ENTRY_TEXT_ERASERS`."""
    AuditEvent.objects.filter(entry_id=entry.pk).exclude(reason="").update(reason="")
    Conflict.objects.filter(entry_id=entry.pk).exclude(reason="").update(reason="")
    SheetComment.objects.filter(entry_id=entry.pk).delete()
    DiscussionFlag.objects.filter(entry_id=entry.pk).exclude(note="").update(note="")
