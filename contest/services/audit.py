"""The privacy audit log and the record of each purge run."""

from __future__ import annotations

from ..models import AuditLog, Contest, Entry, PurgeRun

# Other apps register here how they forget the free text they hold about an
# entry (judging: conflict and abstention reasons in its audit, private
# comments); contest never imports them. Each is called as erase(entry=...)
# inside the transaction of a withdrawal, a deletion or a retention purge.
ENTRY_TEXT_ERASERS: list = []


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


def detail_without_text(detail):
    """`detail` (an audit row's JSON) with every string taken out, at any
    depth: numbers, booleans and None stay, so the row still says what
    happened and how much, never in whose words."""
    if isinstance(detail, dict):
        return {k: detail_without_text(v) for k, v in detail.items() if not isinstance(v, str)}
    if isinstance(detail, list):
        return [detail_without_text(v) for v in detail if not isinstance(v, str)]
    return detail


def entry_free_text_erase(*, entry: Entry) -> None:
    """Forget every free text held about `entry` outside its own row: the
    strings in the details of its privacy audit rows (`AuditLog` by
    reference code), and whatever the apps of `ENTRY_TEXT_ERASERS` keep
    (judging's reasons and comments). The audit rows stay: that an event
    happened is kept, not its text. Call inside the erasing transaction."""
    for row in AuditLog.objects.filter(entry_reference=entry.reference).exclude(detail={}).only("pk", "detail"):
        cleaned = detail_without_text(row.detail)
        if cleaned != row.detail:
            AuditLog.objects.filter(pk=row.pk).update(detail=cleaned)
    for erase in ENTRY_TEXT_ERASERS:
        erase(entry=entry)


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
