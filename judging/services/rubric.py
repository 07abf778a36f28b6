"""A round's rubric changed as a whole (the setup's rubric step): every
criterion added, changed or removed in one transaction, each refused by the
rubric locks of `configuration.criterion_change_check` and recorded in the
judging audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contest.models import Contest

from .. import phrases
from ..models import Criterion
from .configuration import criterion_change_check, criterion_change_record
from .locking import contest_locked

FIELDS = ("name", "description", "weight", "max_points", "order")


def _text(value) -> str:
    return "" if value is None else str(value)


def rubric_save(*, contest: Contest, actor, round_number: int, rows: Iterable[Mapping]) -> list[Criterion]:
    """Apply changed criteria of `contest`'s round `round_number`: each row
    is {"id": pk or None, "delete": bool, "name", "description", "weight"
    (Decimal > 0), "max_points" (int >= 1), "order"}; criteria not named
    keep their values. Returns the round's criteria after the change.

    Raises `ValidationError` and saves nothing when a lock refuses a
    change ([published] after publication; [round_scored] when the round
    has scores and a criterion would be added, removed or get another
    weight or maximum), when the model refuses a value, or when a
    concurrent change collides [conflict]."""
    rows = list(rows)
    with transaction.atomic():
        contest = contest_locked(contest_id=contest.pk)
        current = {c.pk: c for c in Criterion.objects.filter(contest=contest, round_number=round_number)}
        plan = []
        for row in rows:
            if row["id"] is not None and row["id"] not in current:
                raise ValidationError(phrases.RUBRIC_CONFLICT, code="conflict")
            before = current.get(row["id"])
            if before is None:
                change, fields = "added", {}
            elif row["delete"]:
                change, fields = "deleted", {}
            else:
                change = "changed"
                fields = {f: [_text(getattr(before, f)), _text(row[f])] for f in FIELDS if getattr(before, f) != row[f]}
                if not fields:
                    continue
            criterion_change_check(contest=contest, round_number=round_number, change=change, fields=fields)
            plan.append((change, before, row, fields))
        try:
            with transaction.atomic():
                _write(contest=contest, actor=actor, round_number=round_number, plan=plan)
        except IntegrityError as exc:
            raise ValidationError(phrases.RUBRIC_CONFLICT, code="conflict") from exc
        return list(Criterion.objects.filter(contest=contest, round_number=round_number))


def _write(*, contest, actor, round_number, plan) -> None:
    # Renamed criteria first take a name nobody uses, so that two may swap.
    for change, before, row, fields in plan:
        if change == "changed" and "name" in fields:
            Criterion.objects.filter(pk=before.pk).update(name=f"\u2060{before.pk}")
    for change, before, row, fields in plan:
        if change == "deleted":
            criterion_change_record(criterion=before, actor=actor, change=change)
            before.delete()
            continue
        criterion = before or Criterion(contest=contest, round_number=round_number)
        for name in FIELDS:
            setattr(criterion, name, row[name])
        criterion.description = criterion.description or ""
        criterion.full_clean(validate_unique=False, validate_constraints=False)
        criterion.save()
        criterion_change_record(criterion=criterion, actor=actor, change=change, fields=fields)
