"""The judging audit trail: one row per change that matters for fairness,
with who and when; never changed or deleted afterwards."""

from __future__ import annotations

from contest.models import Contest

from ..models import AuditEvent

Action = AuditEvent.Action


def audit_record(
    *, contest: Contest, actor, action: str, entry_id: int | None = None, round_number: int | None = None,
    detail: dict | None = None, reason: str = "",
) -> AuditEvent:
    """Add one row to the audit trail (never changed or deleted afterwards)."""
    return AuditEvent.objects.create(
        contest=contest,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        entry_id=entry_id,
        round_number=round_number,
        detail=detail or {},
        reason=reason,
    )
