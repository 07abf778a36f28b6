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

import numpy as np

from . import arrays
from .agreement import OUTLIER_GAP, OUTLIER_RHO
from .scaled import BOUNDARY, ScaledRound

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
    return _alpha(observed, common, n, total, total_sq)


def alpha_counts(counts: np.ndarray, sums: np.ndarray, squares: np.ndarray) -> Decimal | None:
    """`alpha_exact` from each entry's number of values, their sum and the
    sum of their squares (int64 arrays, as `arrays.SheetArrays`)."""
    several = counts > 1
    counts, sums, squares = counts[several], sums[several], squares[several]
    if not len(counts):
        return None
    common = lcm(*(int(k) - 1 for k in np.unique(counts)))
    observed = n = 0
    for k, rows in arrays.rows_by_count(counts).items():
        sq = int(squares[rows].sum())
        s2 = sum(s * s for s in sums[rows].tolist())
        observed += (2 * k * sq - 2 * s2) * (common // (k - 1))
        n += k * len(rows)
    return _alpha(observed, common, n, int(sums.sum()), int(squares.sum()))


def _alpha(observed: int, common: int, n: int, total: int, total_sq: int) -> Decimal | None:
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
    return _rho_below_sums(
        n, sum(a), sum(b), sum(x * y for x, y in zip(a, b)), sum(x * x for x in a), sum(y * y for y in b)
    )


def _rho_below_sums(n: int, sa: int, sb: int, sab: int, saa: int, sbb: int) -> bool | None:
    cov = n * sab - sa * sb
    va = n * saa - sa * sa
    vb = n * sbb - sb * sb
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
    if scaled.arrays is not None:
        return _entry_spreads_arrays(scaled)
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


def _entry_spreads_arrays(scaled: ScaledRound) -> dict[Hashable, tuple[int, bool, int]]:
    a = scaled.arrays
    if not a.size:
        return {}
    num, den = scaled.scale.numerator, scaled.scale.denominator
    counts, sums = a.counts.tolist(), a.sums.tolist()
    spreads = a.counts * a.squares - a.sums * a.sums
    sds = np.sqrt(spreads.astype(np.float64)) * num / (a.counts * den)
    found, near = arrays.float_cents(sds, BOUNDARY)
    for row in np.flatnonzero(near).tolist():
        found[row] = scaled.sd_cents_of(counts[row], sums[row], int(a.squares[row]))[0]
    gap = Fraction(OUTLIER_GAP) / scaled.scale
    c = a.counts[a.entry_code]
    distance = np.abs(a.units * (c - 1) - (a.sums[a.entry_code] - a.units))
    far = (c > 1) & (distance * gap.denominator >= gap.numerator * (c - 1))
    outliers = np.bincount(a.entry_code[far], minlength=len(a.entries)).tolist()
    return {
        entry: (sd, spread * num * num >= 225 * n * n * den * den, out)
        for entry, sd, spread, n, out in zip(a.entries.tolist(), found.tolist(), spreads.tolist(), counts, outliers)
    }


def outlying_judges_arrays(a: arrays.SheetArrays, rows: np.ndarray) -> list[Hashable] | None:
    """`outlying_judges` of the sheets at `rows` of `a` (the entries' every
    sheet), decided on numpy ranks; None when the others' means cannot be
    compared in int64 (then ask `outlying_judges`)."""
    counts = a.counts[a.entry_code[rows]]
    several = counts > 1
    common = lcm(*{int(k) - 1 for k in np.unique(counts[several])}) if several.any() else 1
    units = a.units[rows]
    others_sum = a.sums[a.entry_code[rows]] - units
    if int(np.abs(others_sum).max(initial=0)) * common >= arrays.EXACT_LIMIT:
        return None
    judge = a.judge_code[rows][several]
    own = units[several]
    others = others_sum[several] * (common // np.maximum(counts[several] - 1, 1))
    order = np.argsort(judge, kind="stable")
    judge, own, others = judge[order], own[order], others[order]
    bounds = np.flatnonzero(np.diff(judge)) + 1
    flagged = set()
    for segment_own, segment_others, code in zip(
        np.split(own, bounds), np.split(others, bounds), np.split(judge, bounds)
    ):
        n = len(segment_own)
        if n < 3:
            continue
        x, y = arrays.doubled_ranks(segment_own), arrays.doubled_ranks(segment_others)
        if _rho_below_sums(n, int(x.sum()), int(y.sum()), int(x @ y), int(x @ x), int(y @ y)):
            flagged.add(int(code[0]))
    judges_in = a.judge_code[rows]
    seen = dict.fromkeys(judges_in.tolist())
    return [int(a.judges[code]) for code in seen if code in flagged]


def histogram_units(values: Sequence[int], scale: Fraction, bins: int = 10) -> list[int]:
    """`histogram` of totals over [0, 100] in `bins` bins, exactly."""
    counts = [0] * bins
    for v in values:
        index = (v * scale.numerator * bins) // (100 * scale.denominator)
        counts[max(0, min(bins - 1, index))] += 1
    return counts


def histograms(scaled: ScaledRound, bins: int = 10) -> dict[Hashable, list[int]]:
    """judge -> `histogram_units` of the judge's totals."""
    a = scaled.arrays
    if a is None:
        return {judge: histogram_units(values, scaled.scale, bins) for judge, values in scaled.by_judge.items()}
    num, den = scaled.scale.numerator, scaled.scale.denominator
    if int(np.abs(a.units).max(initial=0)) * num * bins >= arrays.EXACT_LIMIT:
        return {judge: histogram_units(values, scaled.scale, bins) for judge, values in scaled.by_judge.items()}
    index = np.clip((a.units * (num * bins)) // (100 * den), 0, bins - 1)
    counts = np.bincount(a.judge_code * bins + index, minlength=len(a.judges) * bins).reshape(-1, bins)
    return dict(zip(a.judges.tolist(), counts.tolist()))
