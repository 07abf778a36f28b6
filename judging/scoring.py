"""The ranking as a pure function of numbers (no Django, no database).

Units: a judge gives *points* per criterion, from 0 to that criterion's
`max_points`. A judge's *total* for one entry is on a 0-100 scale:

    total = 100 * sum(w_i * p_i / max_i) / sum(w_i)

where, for every criterion i of the contest, w_i is its weight, p_i the
judge's points and max_i its maximum. Dividing by max_i makes a criterion
scored out of 5 count as much as one scored out of 10 with the same weight;
dividing by sum(w_i) keeps the total between 0 and 100 whatever the weights.

An entry's *mean* is the arithmetic mean of the totals of the judges who
scored every criterion (a judge halfway through a sheet does not count yet).

Decimal arithmetic throughout (28 significant digits); callers round only
for display. Rankings compare means rounded to `MEAN_PLACES` decimals, the
precision organizers see, so two entries shown with the same mean always
share a rank.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
MEAN_PLACES = Decimal("0.01")


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


def mean_display(mean: Decimal | None) -> Decimal | None:
    """The mean rounded half-up to two decimals, as shown and as ranked."""
    return None if mean is None else mean.quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def rank(results: Mapping[Hashable, EntryResult]) -> list[Ranked]:
    """Rank entries (`key` -> result) of one category by mean, highest first.

    Ties use standard competition ranking ("1224"): entries whose rounded
    means are equal share a rank and the next rank skips, so 90, 80, 80, 70
    rank 1, 2, 2, 4. Tied entries are listed with more complete sheets first,
    then by key, only to keep the order stable; it does not break the tie.
    Entries without a mean come last with rank None.
    """
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


def _sort_key(key):
    # Keys of one ranking share a type in practice; str() keeps mixed keys sortable.
    return (str(type(key)), key) if isinstance(key, (int, str)) else (str(type(key)), str(key))
