"""Inter-judge agreement: Kendall's W, Krippendorff's alpha (interval)
and each judge's rank correlation with the rest of the panel; each
entry's spread and outlying sheets (no Django)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import mean, population_sd
from .totals import Sheet

def _average_ranks(values: Sequence[Decimal]) -> list[Decimal]:
    """Ranks 1..n of `values` (ascending), ties getting their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [Decimal(0)] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = Decimal(i + j + 2) / 2
        for k in range(i, j + 1):
            ranks[order[k]] = average
        i = j + 1
    return ranks


def kendalls_w(matrix: Sequence[Sequence[Decimal]]) -> Decimal | None:
    """Kendall's coefficient of concordance W for m judges (rows) who all
    scored the same n entries (columns), with the correction for ties.

    W = 12 S / (m^2 (n^3 - n) - m T), where S is the sum of squared
    deviations of the entries' rank sums from their mean and
    T = sum over judges and tie groups of (t^3 - t). 0 means no agreement,
    1 complete agreement. Kendall, M. G. & Babington Smith, B. (1939), "The
    problem of m rankings", Annals of Mathematical Statistics 10(3), 275-287;
    tie correction as in Legendre, P. (2005), "Species associations: the
    Kendall coefficient of concordance revisited", Journal of Agricultural,
    Biological and Environmental Statistics 10(2), 226-245.

    None when fewer than 2 judges or 2 entries, or when every judge gave
    every entry the same total (W is undefined).
    """
    m = len(matrix)
    n = len(matrix[0]) if m else 0
    if m < 2 or n < 2:
        return None
    rank_rows = [_average_ranks(row) for row in matrix]
    sums = [sum((r[i] for r in rank_rows), Decimal(0)) for i in range(n)]
    mean_sum = Decimal(m * (n + 1)) / 2
    s = sum(((x - mean_sum) ** 2 for x in sums), Decimal(0))
    ties = 0
    for row in matrix:
        counts: dict[Decimal, int] = defaultdict(int)
        for v in row:
            counts[v] += 1
        ties += sum(t**3 - t for t in counts.values())
    denominator = Decimal(m * m * (n**3 - n) - m * ties)
    if denominator == 0:
        return None
    return 12 * s / denominator


def krippendorff_alpha_interval(units: Iterable[Sequence[Decimal]]) -> Decimal | None:
    """Krippendorff's alpha for interval data; each unit (entry) is the list
    of totals its judges gave, of any length, so incomplete designs (each
    judge scoring only some entries) are fine.

    alpha = 1 - D_o / D_e with n the number of pairable values (in units
    with at least two values), D_o = (1/n) sum_u sum_{i != j in u}
    (v_i - v_j)^2 / (m_u - 1) and D_e = sum_{i != j over all pairable
    values} (v_i - v_j)^2 / (n (n - 1)); each pairwise sum is computed as
    2 k sum(v^2) - 2 (sum v)^2 in linear time. Krippendorff, K. (2011),
    "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, University of Pennsylvania; Hayes, A. F. & Krippendorff,
    K. (2007), Communication Methods and Measures 1(1), 77-89.

    None when fewer than two pairable values or no variation at all.
    """
    observed = Decimal(0)
    n = 0
    total = Decimal(0)
    total_sq = Decimal(0)
    for values in units:
        k = len(values)
        if k < 2:
            continue
        s = sum(values, Decimal(0))
        sq = sum((v * v for v in values), Decimal(0))
        observed += (2 * k * sq - 2 * s * s) / (k - 1)
        n += k
        total += s
        total_sq += sq
    if n < 2:
        return None
    expected = (2 * n * total_sq - 2 * total * total) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - (observed / n) / expected


def spearman(xs: Sequence[Decimal], ys: Sequence[Decimal]) -> Decimal | None:
    """Spearman's rank correlation (Pearson's r of average ranks); None
    below 3 pairs or without variation."""
    if len(xs) < 3:
        return None
    rx, ry = _average_ranks(xs), _average_ranks(ys)
    mx, my = mean(rx), mean(ry)
    cov = sum(((a - mx) * (b - my) for a, b in zip(rx, ry)), Decimal(0))
    vx = sum(((a - mx) ** 2 for a in rx), Decimal(0))
    vy = sum(((b - my) ** 2 for b in ry), Decimal(0))
    if vx == 0 or vy == 0:
        return None
    return cov / (vx * vy).sqrt()


OUTLIER_RHO = Decimal("0.3")


def judge_outliers(sheets: Sequence[Sheet]) -> dict[Hashable, Decimal | None]:
    """Each judge's agreement with the rest of the panel: Spearman's rho
    between the judge's totals and the mean of the other judges' totals on
    the same entries (leave-one-out; entries nobody else scored are
    skipped). A judge whose rho is below `OUTLIER_RHO` ranks the entries
    unlike the others and is flagged on the results page; None when fewer
    than 3 shared entries."""
    # The others' mean is (entry sum - own total) / (count - 1): linear.
    sums: dict[Hashable, Decimal] = defaultdict(Decimal)
    counts: dict[Hashable, int] = defaultdict(int)
    by_judge: dict[Hashable, list[Sheet]] = defaultdict(list)
    for s in sheets:
        sums[s.entry] += s.total
        counts[s.entry] += 1
        by_judge[s.judge].append(s)
    result: dict[Hashable, Decimal | None] = {}
    for judge, own_sheets in by_judge.items():
        own, others = [], []
        for s in own_sheets:
            if counts[s.entry] > 1:
                own.append(s.total)
                others.append((sums[s.entry] - s.total) / (counts[s.entry] - 1))
        result[judge] = spearman(own, others)
    return result


DISAGREEMENT_SD = Decimal(15)
OUTLIER_GAP = Decimal(25)


@dataclass(frozen=True)
class EntrySpread:
    """How far apart one entry's judges were, on the 0-100 scale of totals:
    `sd` the population standard deviation of its totals, `low` and `high`
    the lowest and highest, `outliers` how many of its sheets lie
    `OUTLIER_GAP` points or more from the mean of the other judges' totals
    on it. `disagreement` is True from `DISAGREEMENT_SD` on."""

    sd: Decimal
    low: Decimal
    high: Decimal
    outliers: int

    @property
    def disagreement(self) -> bool:
        return self.sd >= DISAGREEMENT_SD


def entry_spreads(sheets: Sequence[Sheet]) -> dict[Hashable, EntrySpread]:
    """Per entry of `sheets` (complete sheets, one per judge and entry), its
    `EntrySpread`. An entry with one sheet has spread 0 and no outlier."""
    by_entry: dict[Hashable, list[Decimal]] = defaultdict(list)
    for s in sheets:
        by_entry[s.entry].append(s.total)
    result = {}
    for entry, totals in by_entry.items():
        total, count = sum(totals, Decimal(0)), len(totals)
        outliers = 0
        if count > 1:
            outliers = sum(1 for t in totals if abs(t - (total - t) / (count - 1)) >= OUTLIER_GAP)
        result[entry] = EntrySpread(sd=population_sd(totals), low=min(totals), high=max(totals), outliers=outliers)
    return result
