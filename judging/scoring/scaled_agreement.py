"""Agreement and spreads on integer-scaled sheet totals (see `scaled`):
the figures of `agreement` decided on exact integers — Krippendorff's
alpha and Kendall's W do not depend on the scale, the thresholds
(`OUTLIER_RHO`, `DISAGREEMENT_SD`, `OUTLIER_GAP`) are compared exactly
(no Django)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm

from .agreement import OUTLIER_GAP, OUTLIER_RHO
from .scaled import ScaledRound

THOUSANDTH = Decimal("0.001")


def _fraction_decimal(value: Fraction, places: Decimal = THOUSANDTH) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places)


def doubled_ranks(values: Sequence) -> list[int]:
    """Twice the average ranks 1..n (ascending, ties sharing their mean)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = i + j + 2
        i = j + 1
    return ranks


def alpha_exact(units: Sequence[Sequence[int]]) -> Decimal | None:
    """`krippendorff_alpha_interval` on integer values, exactly, rounded to
    0.001 (half even)."""
    common = lcm(*(len(u) - 1 for u in units if len(u) > 1)) if any(len(u) > 1 for u in units) else 1
    observed = n = total = total_sq = 0
    for values in units:
        k = len(values)
        if k < 2:
            continue
        s = sum(values)
        sq = sum(v * v for v in values)
        observed += (2 * k * sq - 2 * s * s) * (common // (k - 1))
        n += k
        total += s
        total_sq += sq
    if n < 2:
        return None
    expected = 2 * n * total_sq - 2 * total * total
    if expected == 0:
        return None
    return _fraction_decimal(1 - Fraction(observed * (n - 1), common * expected))


def kendall_exact(matrix: Sequence[Sequence[int]]) -> Decimal | None:
    """`kendalls_w` on integer values, exactly, rounded to 0.001."""
    m = len(matrix)
    n = len(matrix[0]) if m else 0
    if m < 2 or n < 2:
        return None
    rows = [doubled_ranks(row) for row in matrix]
    sums = [sum(r[i] for r in rows) for i in range(n)]
    s4 = sum((x - m * (n + 1)) ** 2 for x in sums)  # 4 S
    ties = 0
    for row in matrix:
        counts: dict[int, int] = defaultdict(int)
        for v in row:
            counts[v] += 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = m * m * (n**3 - n) - m * ties
    if denominator == 0:
        return None
    return _fraction_decimal(Fraction(3 * s4, denominator))


def _rho_below(xs: Sequence, ys: Sequence) -> bool | None:
    """Spearman's rho of xs and ys < `OUTLIER_RHO`, decided exactly; None
    below 3 pairs or without variation."""
    n = len(xs)
    if n < 3:
        return None
    a, b = doubled_ranks(xs), doubled_ranks(ys)
    sa, sb = sum(a), sum(b)
    cov = n * sum(x * y for x, y in zip(a, b)) - sa * sb
    va = n * sum(x * x for x in a) - sa * sa
    vb = n * sum(y * y for y in b) - sb * sb
    if va == 0 or vb == 0:
        return None
    rho = Fraction(OUTLIER_RHO)
    return cov < 0 or cov * cov < rho * rho * va * vb


def outlying_judges(sheets: Sequence[tuple[Hashable, Hashable, int]]) -> list[Hashable]:
    """Judges whose leave-one-out rank correlation with the panel is below
    `OUTLIER_RHO` (`judge_outliers`), from (judge, entry, units) sheets."""
    sums: dict[Hashable, int] = defaultdict(int)
    counts: dict[Hashable, int] = defaultdict(int)
    by_judge: dict[Hashable, list] = defaultdict(list)
    for judge, entry, units in sheets:
        sums[entry] += units
        counts[entry] += 1
        by_judge[judge].append((entry, units))
    common = lcm(*(c - 1 for c in counts.values() if c > 1)) if any(c > 1 for c in counts.values()) else 1
    flagged = []
    for judge, own_sheets in by_judge.items():
        own, others = [], []
        for entry, units in own_sheets:
            if counts[entry] > 1:
                own.append(units)
                others.append((sums[entry] - units) * (common // (counts[entry] - 1)))
        if _rho_below(own, others):
            flagged.append(judge)
    return flagged


def entry_spreads_scaled(scaled: ScaledRound) -> dict[Hashable, tuple[int, bool, int]]:
    """Per entry: (population SD of its totals in hundredths, SD >=
    `DISAGREEMENT_SD`, sheets `OUTLIER_GAP` or more from the others' mean),
    as `entry_spreads`, thresholds exact."""
    by_entry: dict[Hashable, list[int]] = defaultdict(list)
    for _judge, entry, units in scaled.sheets:
        by_entry[entry].append(units)
    gap = Fraction(OUTLIER_GAP) / scaled.scale if scaled.scale else None
    result = {}
    for entry, values in by_entry.items():
        count, total = len(values), sum(values)
        outliers = 0
        if count > 1:
            limit = gap * (count - 1)
            outliers = sum(1 for v in values if abs(v * (count - 1) - (total - v)) >= limit)
        sd, wide = scaled.sd_cents(values)
        result[entry] = (sd, wide, outliers)
    return result


def histogram_units(values: Sequence[int], scale: Fraction, bins: int = 10) -> list[int]:
    """`histogram` of totals over [0, 100] in `bins` bins, exactly."""
    counts = [0] * bins
    for v in values:
        index = (v * scale.numerator * bins) // (100 * scale.denominator)
        counts[max(0, min(bins - 1, index))] += 1
    return counts
