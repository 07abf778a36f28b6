"""The ranking of a round (`aggregate_scaled`) on integer-scaled sheet
totals, in plain integer and float arithmetic (no Django): the same
ranks, tie-breaks and figures as the Decimal implementation it replaced,
which the tests keep as their reference (tests/judging/reference_ranking.py).

A sheet's total is `units * scale` on the 0-100 scale, `units` an integer
(see `sheet_scale`) and `scale` one Fraction for the whole rubric, so raw
means, medians, top-3 votes and spreads are exact rationals: they are
compared and rounded on integers, never on float noise. Z-score
normalized figures involve square roots: they are computed in floats and,
when a float lies within `BOUNDARY` of a rounding boundary (x.xx5), the
figure is computed again in 50-digit Decimal from the exact totals, so two
entries with the same sheets always round alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from math import lcm, sqrt

import numpy as np

from .arrays import SheetArrays
from .figures import _sort_key
from .lines import TOP_N_VOTE, Aggregate, RankingLines, TieBreak, decimal_cents
from .normalization import MIN_SHEETS_FOR_ZSCORE, ZSCORE, JudgeNormalization
from .rounding import BOUNDARY, cents, decimal_of, float_cents
from .scaled_arrays import entry_figures_arrays
from .totals import Criterion

__all__ = ["BOUNDARY", "ScaledRound", "aggregate_scaled", "cents", "decimal_cents", "sheet_scale", "top_votes_scaled"]


def sheet_scale(criteria: Sequence[Criterion]) -> tuple[dict[Hashable, int], Fraction]:
    """Integer factors per criterion and the scale of a rubric: a sheet's
    total (0-100, as `sheet_total`) is `scale * sum(factor_i * P_i)` with
    P_i = points * 10 (points carry one decimal). Weights have two decimals
    at most. Returns ({criterion id: factor}, scale); scale is 0 without
    criteria."""
    if not criteria:
        return {}, Fraction(0)
    common = lcm(*(int(c.max_points) for c in criteria))
    weights = {c.id: int(Decimal(c.weight) * 100) for c in criteria}
    factors = {c.id: weights[c.id] * common // int(c.max_points) for c in criteria}
    return factors, Fraction(10, common * sum(weights.values()))


def _median_units(values: list) -> tuple:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle], 1
    return ordered[middle - 1] + ordered[middle], 2


class ScaledRound:
    """The complete sheets of one round as (judge, entry, units) with the
    rubric's `scale`; computes the pooled and per-judge statistics once.
    `arrays` (`arrays.SheetArrays`, None when the sheets are not integers
    or too large for exact int64 sums) serves the vector path; `sheets`
    and `by_judge` are made from it when read (`from_arrays`)."""

    def __init__(self, sheets: Sequence[tuple[Hashable, Hashable, int]], scale: Fraction, *, arrays=None):
        self.scale = scale
        if arrays is None and sheets is not None:
            self._sheets = list(sheets)
            arrays = SheetArrays.of(*zip(*self._sheets)) if self._sheets else SheetArrays.of([], [], [])
        else:
            self._sheets = sheets
        self.arrays: SheetArrays | None = arrays
        self._by_judge = None

    @classmethod
    def from_arrays(cls, arrays: SheetArrays, scale: Fraction) -> ScaledRound:
        """A round from `SheetArrays` (the sheets in the arrays' order)."""
        return cls(None, scale, arrays=arrays)

    @property
    def sheets(self) -> list[tuple[Hashable, Hashable, int]]:
        if self._sheets is None:
            self._sheets = self.arrays.triples()
        return self._sheets

    @property
    def by_judge(self) -> dict[Hashable, list[int]]:
        if self._by_judge is None:
            self._by_judge = defaultdict(list)
            for judge, _entry, units in self.sheets:
                self._by_judge[judge].append(units)
        return self._by_judge

    def judge_sums(self) -> dict[Hashable, tuple[int, int, int]]:
        """judge -> (sheets, sum of units, sum of squared units)."""
        a = self.arrays
        if a is not None:
            return {
                j: (k, s, q) for j, k, s, q in zip(
                    a.judges.tolist(), a.judge_counts.tolist(), a.judge_sums.tolist(), a.judge_squares.tolist())
            }
        return {j: (len(v), sum(v), sum(x * x for x in v)) for j, v in self.by_judge.items()}

    def total(self, units: int) -> Fraction:
        """A sheet's exact total (0-100)."""
        return units * self.scale

    def float_total(self, units: int) -> float:
        return units * self.scale.numerator / self.scale.denominator

    def mean_cents(self, units_sum: int, count: int) -> int:
        """The mean of `count` totals summing to `units_sum`, in hundredths."""
        return cents(units_sum * self.scale.numerator, count * self.scale.denominator)

    def sd_cents(self, values: Sequence[int]) -> tuple[int, bool]:
        """Population SD of the totals in hundredths, and whether it is at
        least 15 (`DISAGREEMENT_SD`) — decided exactly."""
        return self.sd_cents_of(len(values), sum(values), sum(v * v for v in values))

    def sd_cents_of(self, n: int, s: int, squares: int) -> tuple[int, bool]:
        """`sd_cents` of `n` values summing to `s`, their squares to `squares`."""
        spread = n * squares - s * s  # n^2 var / scale^2, exact
        num, den = self.scale.numerator, self.scale.denominator
        sd = sqrt(spread) * num / (n * den)
        return (
            float_cents(sd, lambda: decimal_of(Fraction(spread * num * num, n * n * den * den)).sqrt()),
            spread * num * num >= 225 * n * n * den * den,
        )


def _normalization(scaled: ScaledRound):
    """Per-judge statistics (JudgeNormalization, Decimal figures as
    `normalize`), the float parameters {judge: (mean, SD) or None when not
    used} and (pooled mean, pooled SD), and a function (judge, units) ->
    normalized total (float) with its exact (50-digit Decimal) twin."""
    sums = scaled.judge_sums()
    n = sum(k for k, _s, _q in sums.values())
    stats: dict[Hashable, JudgeNormalization] = {}
    if not n:
        return stats, None, None, None, None
    total = sum(s for _k, s, _q in sums.values())
    squares = sum(q for _k, _s, q in sums.values())
    pooled_mean = Fraction(total) * scaled.scale / n
    pooled_var = Fraction(n * squares - total**2) * scaled.scale**2 / (n * n)
    params: dict[Hashable, tuple] = {}
    for judge, (k, s, q) in sums.items():
        judge_mean = Fraction(s) * scaled.scale / k
        judge_var = Fraction(k * q - s**2) * scaled.scale**2 / (k * k)
        used = k >= MIN_SHEETS_FOR_ZSCORE and judge_var > 0 and pooled_var > 0
        with localcontext() as ctx:
            ctx.prec = 28
            stats[judge] = JudgeNormalization(
                mean=decimal_of(judge_mean), sd=decimal_of(judge_var).sqrt(), sheets=k, used=used
            )
        params[judge] = (used, judge_mean, judge_var)
    pm, psd = float(pooled_mean), sqrt(float(pooled_var))
    fast = {j: (float(m), sqrt(float(v))) if used else None for j, (used, m, v) in params.items()}
    factor = scaled.scale.numerator / scaled.scale.denominator

    def value(judge, units):
        p = fast[judge]
        total = units * factor
        return total if p is None else pm + psd * (total - p[0]) / p[1]

    def exact(judge, units):
        used, m, v = params[judge]
        total = decimal_of(units * scaled.scale)
        if not used:
            return total
        return decimal_of(pooled_mean) + decimal_of(pooled_var).sqrt() * (total - decimal_of(m)) / decimal_of(v).sqrt()

    return stats, fast, (pm, psd), value, exact


def top_votes_scaled(sheets, categories: Mapping[Hashable, Hashable], n: int = TOP_N_VOTE) -> dict[Hashable, int]:
    """`top_votes` on (judge, entry, units) sheets (exact integer compare)."""
    per: dict[tuple, list] = defaultdict(list)
    for judge, entry, units in sheets:
        per[(judge, categories[entry])].append((units, entry))
    votes: dict[Hashable, int] = defaultdict(int)
    for own in per.values():
        ordered = sorted((u for u, _e in own), reverse=True)
        threshold = ordered[min(n, len(ordered)) - 1]
        for units, entry in own:
            if units >= threshold:
                votes[entry] += 1
    return votes


def aggregate_scaled(
    *, scaled: ScaledRound, categories: Mapping[Hashable, Hashable], normalization: str, min_judges: int
) -> Aggregate:
    """Rank the entries of one round within their categories, on
    integer-scaled sheets (the complete sheets of the round, judges with a
    conflict left out). `categories`: every entry of the round -> its
    category, in the order categories should be listed (entries nobody
    scored are listed last, rank None).

    1. Per entry, the *raw mean* is the mean of its judges' totals and the
       *normalized mean* the mean of their per-judge z-scores brought back
       to the pooled scale (`judging.scoring.normalize`). `normalization`
       ("raw" or "zscore") picks which one ranks; the *median* is taken
       over the same per-judge figures.
    2. Within a category, entries are ordered by the ranking mean, highest
       first; equal means (to 0.01) are ordered by the higher median, then
       by more top-3 votes (`top_votes_scaled`). Entries equal on all three
       share a rank (competition ranking, "1224") and are flagged `tie` for
       the organizer: submission time or ids never decide.
    3. An entry with fewer than `min_judges` sheets is `complete=False`; it
       is still ranked so organizers see it, flagged.

    Returns an `Aggregate` whose categories are `RankingLines`: the lines'
    `mean`, `raw_mean`, `normalized_mean` and `median` come rounded to 0.01
    (the figures shown and ranked); `normalized_totals` is left empty. The
    Decimal implementation it replaced (tests/judging/reference_ranking.py)
    gives the same ranks, tie flags, tie-breaks and figures."""
    a = scaled.arrays
    if a is not None and _int_keys(categories):
        keep = np.isin(a.entry, np.fromiter(categories, dtype=np.int64, count=len(categories)))
        if not keep.all():
            scaled = ScaledRound.from_arrays(a.keep(keep), scaled.scale)
    else:
        sheets = [s for s in scaled.sheets if s[1] in categories]
        if len(sheets) != len(scaled.sheets):
            scaled = ScaledRound(sheets, scaled.scale)
    stats, params, pooled, value, exact = _normalization(scaled)
    zscore = normalization == ZSCORE
    if scaled.arrays is not None:
        figures = entry_figures_arrays(
            scaled=scaled, categories=categories, params=params, pooled=pooled, exact=exact, zscore=zscore)
    else:
        figures = _entry_figures(scaled, categories, value, exact, zscore)

    by_category: dict[Hashable, list[Hashable]] = {}
    for entry, category in categories.items():
        by_category.setdefault(category, []).append(entry)
    result: dict[Hashable, RankingLines] = {}
    for category, entries in by_category.items():
        scored = [figures[entry] for entry in entries if entry in figures]
        unscored = [entry for entry in entries if entry not in figures]
        scored.sort(key=lambda line: (tuple(-k for k in line[1]), _sort_key(line[0])))
        unranked = [(e, None, None, None, None, None, 0, 0, TieBreak.NONE) for e in sorted(unscored, key=_sort_key)]
        result[category] = RankingLines(category, _rows(scored) + unranked, min_judges)
    return Aggregate(categories=result, judges=stats, normalized_totals={})


def _int_keys(categories: Mapping) -> bool:
    return all(type(entry) is int for entry in categories)


def _entry_figures(scaled: ScaledRound, categories, value, exact, zscore: bool) -> dict[Hashable, tuple]:
    """entry -> (entry, (mean, median, top-3 votes), raw mean, normalized
    mean, sheets), figures in hundredths: the pure Python path."""
    votes = top_votes_scaled(scaled.sheets, categories)
    raw: dict[Hashable, list[tuple]] = defaultdict(list)
    for judge, entry, units in scaled.sheets:
        raw[entry].append((judge, units))
    figures = {}
    for entry, own in raw.items():
        units = [u for _j, u in own]
        k = len(units)
        raw_cents = scaled.mean_cents(sum(units), k)
        norm_values = [value(j, u) for j, u in own]
        norm_cents = float_cents(
            sum(sorted(norm_values)) / k, lambda own=own: sum(sorted(exact(j, u) for j, u in own)) / len(own)
        )
        if zscore:
            order = sorted(range(k), key=lambda i: norm_values[i])
            mid = k // 2
            picks = [order[mid]] if k % 2 else [order[mid - 1], order[mid]]
            median_cents = float_cents(
                sum(norm_values[i] for i in picks) / len(picks),
                lambda own=own, picks=picks: sum(exact(*own[i]) for i in picks) / len(picks),
            )
            mean_cents = norm_cents
        else:
            m_units, m_count = _median_units(units)
            median_cents = scaled.mean_cents(m_units, m_count)
            mean_cents = raw_cents
        figures[entry] = (entry, (mean_cents, median_cents, votes.get(entry, 0)), raw_cents, norm_cents, k)
    return figures


def _rows(scored) -> list[tuple]:
    """`RankingLines` rows of the scored entries, sorted: competition ranks
    and what broke each tie."""
    same: list[dict] = [defaultdict(int), defaultdict(int), defaultdict(int)]
    for line in scored:
        key = line[1]
        for depth in range(3):
            same[depth][key[: depth + 1]] += 1
    rows = []
    current_rank = 0
    for position, (entry, key, raw_cents, norm_cents, judges) in enumerate(scored, start=1):
        if position == 1 or key != scored[position - 2][1]:
            current_rank = position
        if same[0][key[:1]] == 1:
            tie_break = TieBreak.NONE
        elif same[2][key] > 1:
            tie_break = TieBreak.UNRESOLVED
        elif same[1][key[:2]] == 1:
            tie_break = TieBreak.MEDIAN
        else:
            tie_break = TieBreak.TOP3
        rows.append((entry, current_rank, key[0], key[1], raw_cents, norm_cents, judges, key[2], tie_break))
    return rows
