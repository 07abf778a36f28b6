"""Score sheets and their totals (0-100), and the simple ranking by mean
total (no Django)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import HUNDRED, _sort_key, mean_display


@dataclass(frozen=True)
class Criterion:
    """One rubric line: `weight` > 0, `max_points` > 0 (points)."""

    id: Hashable
    weight: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class EntryResult:
    """`mean` is the mean total (0-100, unrounded) or None when no judge has
    a complete sheet; `judges` counts complete sheets, `partial` counts
    judges who scored some but not all criteria."""

    mean: Decimal | None
    judges: int
    partial: int = 0


@dataclass(frozen=True)
class Ranked:
    """One line of a ranking; `rank` is None for entries without a mean."""

    key: Hashable
    rank: int | None
    result: EntryResult


@dataclass(frozen=True)
class Sheet:
    """One judge's complete score sheet for one entry: its total (0-100)."""

    judge: Hashable
    entry: Hashable
    total: Decimal


def sheet_total(*, criteria: Sequence[Criterion], points: Mapping[Hashable, Decimal]) -> Decimal | None:
    """A judge's total (0-100) for one entry, or None unless `points` holds
    a value for every criterion (keys are criterion ids; extra keys, e.g.
    of deleted criteria, are ignored).

    >>> c = [Criterion("a", Decimal(2), Decimal(10)), Criterion("b", Decimal(1), Decimal(5))]
    >>> sheet_total(criteria=c, points={"a": Decimal(5), "b": Decimal(5)})
    Decimal('66.66666666666666666666666667')
    """
    if not criteria:
        return None
    weighted = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        if criterion.id not in points:
            return None
        weighted += Decimal(criterion.weight) * Decimal(points[criterion.id]) / Decimal(criterion.max_points)
        weights += Decimal(criterion.weight)
    return HUNDRED * weighted / weights


def sheet_totaller(criteria: Sequence[Criterion]):
    """`sheet_total` for many sheets of one rubric: the same arithmetic in
    the same order (so the same results to the last digit), with each
    criterion's figures converted to Decimal once instead of per sheet."""
    parts = [(c.id, Decimal(c.weight), Decimal(c.max_points)) for c in criteria]
    weights = sum((w for _id, w, _m in parts), Decimal(0))

    def total(points: Mapping[Hashable, Decimal]) -> Decimal | None:
        if not parts:
            return None
        weighted = Decimal(0)
        for criterion_id, weight, max_points in parts:
            value = points.get(criterion_id)
            if value is None:
                return None
            weighted += weight * Decimal(value) / max_points
        return HUNDRED * weighted / weights

    return total


def entry_result(*, criteria: Sequence[Criterion], sheets: Iterable[Mapping[Hashable, Decimal]]) -> EntryResult:
    """Mean total over the judges' complete sheets (one mapping
    criterion id -> points per judge who scored the entry at all)."""
    totals = []
    partial = 0
    for sheet in sheets:
        total = sheet_total(criteria=criteria, points=sheet)
        if total is None:
            partial += 1 if sheet else 0
        else:
            totals.append(total)
    if not totals:
        return EntryResult(mean=None, judges=0, partial=partial)
    return EntryResult(mean=sum(totals, Decimal(0)) / len(totals), judges=len(totals), partial=partial)


def rank(results: Mapping[Hashable, EntryResult]) -> list[Ranked]:
    """Rank entries (`key` -> result) of one category by mean, highest first,
    without tie-breaks (competition ranking, "1224"). Kept for simple
    callers; the results page uses `scaled.aggregate_scaled`."""
    scored = [(key, res) for key, res in results.items() if res.mean is not None]
    unscored = [(key, res) for key, res in results.items() if res.mean is None]
    scored.sort(key=lambda kr: (-mean_display(kr[1].mean), -kr[1].judges, _sort_key(kr[0])))
    unscored.sort(key=lambda kr: _sort_key(kr[0]))

    ranked: list[Ranked] = []
    previous = None
    current_rank = 0
    for position, (key, res) in enumerate(scored, start=1):
        shown = mean_display(res.mean)
        if shown != previous:
            current_rank = position
            previous = shown
        ranked.append(Ranked(key=key, rank=current_rank, result=res))
    ranked.extend(Ranked(key=key, rank=None, result=res) for key, res in unscored)
    return ranked
