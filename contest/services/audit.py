"""The privacy audit log and the record of each purge run."""

from __future__ import annotations

from ..models import AuditLog, Contest, PurgeRun


def audit_log_record(
    *, action: str, actor=None, actor_label: str = "", contest: Contest | None = None, entry_reference: str = "",
    detail: dict | None = None,
) -> AuditLog:
    """Add one row to the privacy audit log (never changed afterwards).
    `actor` is a user or None; `actor_label` says who otherwise
    ('guardian', 'system')."""
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditLog.objects.create(
        action=action,
        actor=user,
        actor_label=actor_label or (user.get_username() if user else "system"),
        contest=contest,
        entry_reference=entry_reference,
        detail=detail or {},
    )


def purge_run_record(*, rule: str, per_contest: dict[int, int], dry_run: bool, files: int = 0) -> None:
    """One `PurgeRun` for the whole run (all contests), and one audit row per
    contest that lost entries (`per_contest`: contest id -> entries), so each
    contest's audit page shows its own purges."""
    count = sum(per_contest.values())
    PurgeRun.objects.create(rule=rule, entries=count, files=files, dry_run=dry_run)
    if dry_run:
        return
    AuditLog.objects.bulk_create(
        AuditLog(
            action=AuditLog.Action.PURGED, actor_label="system", contest_id=contest_id,
            detail={"rule": rule, "entries": n},
        )
        for contest_id, n in sorted(per_contest.items())
        if n
    )
