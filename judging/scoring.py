"""The ranking as a pure function of numbers (no Django, no database).

Units: a judge gives *points* per criterion, from 0 to that criterion's
`max_points`. A judge's *total* for one entry (one score sheet) is on a
0-100 scale:

    total = 100 * sum(w_i * p_i / max_i) / sum(w_i)

where, for every criterion i of the round, w_i is its weight, p_i the
judge's points and max_i its maximum. Dividing by max_i makes a criterion
scored out of 5 count as much as one scored out of 10 with the same weight;
dividing by sum(w_i) keeps the total between 0 and 100 whatever the weights.
Only complete sheets count (a judge halfway through a sheet does not count).

`aggregate` turns the complete sheets of one round into a ranking per
category; see its docstring for normalization and tie-breaking. The
agreement statistics (`kendalls_w`, `krippendorff_alpha_interval`,
`judge_outliers`) and `histogram` serve the organizer's results page.

Decimal arithmetic throughout (28 significant digits); callers round only
for display. Rankings compare figures rounded to `MEAN_PLACES` decimals, the
precision organizers see, so two entries shown with the same figures always
share a rank.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
MEAN_PLACES = Decimal("0.01")
RAW = "raw"
ZSCORE = "zscore"
# A judge needs this many sheets in a round before z-scores mean anything.
MIN_SHEETS_FOR_ZSCORE = 3
TOP_N_VOTE = 3


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


class TieBreak:
    """What set an entry apart from the entries with the same mean."""

    NONE = ""  # its mean is unlike any other entry's of the category
    MEDIAN = "median"
    TOP3 = "top3"
    UNRESOLVED = "unresolved"  # still tied: the organizer decides


@dataclass(frozen=True)
class EntryRanking:
    """One entry's line in its category's ranking.

    `mean` is the ranking figure: `normalized_mean` under z-score
    normalization, `raw_mean` otherwise (all 0-100, unrounded). `median` is
    the median of the same per-judge figures. `rank` is None for an entry
    nobody scored. `complete` is False below `min_judges` sheets. `tie` is
    True when the entry still shares its rank after both tie-breaks.
    """

    entry: Hashable
    category: Hashable
    rank: int | None
    mean: Decimal | None
    raw_mean: Decimal | None
    normalized_mean: Decimal | None
    median: Decimal | None
    judges: int
    top3_votes: int
    complete: bool
    tie: bool
    tie_break: str = TieBreak.NONE


@dataclass(frozen=True)
class JudgeNormalization:
    """A judge's mean and population standard deviation over the round;
    `used` is False when the judge falls back to raw totals."""

    mean: Decimal
    sd: Decimal
    sheets: int
    used: bool


@dataclass(frozen=True)
class Aggregate:
    """The result of `aggregate`: per category (in the order given) the
    ranking lines, plus the normalization figures of every judge."""

    categories: dict[Hashable, list[EntryRanking]]
    judges: dict[Hashable, JudgeNormalization] = field(default_factory=dict)
    normalized_totals: dict[tuple[Hashable, Hashable], Decimal] = field(default_factory=dict)


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


def mean_display(mean: Decimal | None) -> Decimal | None:
    """The figure rounded half-up to two decimals, as shown and as ranked."""
    return None if mean is None else mean.quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def rank(results: Mapping[Hashable, EntryResult]) -> list[Ranked]:
    """Rank entries (`key` -> result) of one category by mean, highest first,
    without tie-breaks (competition ranking, "1224"). Kept for simple
    callers; the results page uses `aggregate`."""
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


def mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value; for an even count, the mean of the two middle ones."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def population_sd(values: Sequence[Decimal]) -> Decimal:
    """Standard deviation dividing by n (the judge's sheets are the whole
    population being rescaled, not a sample)."""
    if not values:
        return Decimal(0)
    m = mean(values)
    return (sum(((v - m) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def normalize(sheets: Sequence[Sheet]) -> tuple[dict[tuple[Hashable, Hashable], Decimal], dict[Hashable, JudgeNormalization]]:
    """Per-judge z-score normalization of the sheets of one round.

    For judge j with totals t over all entries j scored in the round (all
    categories), z = (t - mean_j) / sd_j with the population standard
    deviation. To keep the figure on the 0-100 scale of raw totals (and
    comparable with the totals of judges who fall back), z is mapped back
    with the pooled mean M and population standard deviation S of all
    sheets of the round: normalized = M + S * z. The affine map changes no
    ranking among normalized judges; it only puts fallbacks on one scale.

    A judge with fewer than `MIN_SHEETS_FOR_ZSCORE` sheets or zero spread
    keeps raw totals (z-scores of two numbers, or of identical ones, say
    nothing). If S is 0 every total is equal and raw totals are returned.

    Returns ({(judge, entry): normalized total}, {judge: JudgeNormalization}).
    """
    by_judge: dict[Hashable, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        by_judge[sheet.judge].append(sheet)
    totals = [s.total for s in sheets]
    pooled_mean = mean(totals) if totals else Decimal(0)
    pooled_sd = population_sd(totals)

    normalized: dict[tuple[Hashable, Hashable], Decimal] = {}
    stats: dict[Hashable, JudgeNormalization] = {}
    for judge, own in by_judge.items():
        values = [s.total for s in own]
        judge_mean = mean(values)
        judge_sd = population_sd(values)
        used = len(values) >= MIN_SHEETS_FOR_ZSCORE and judge_sd > 0 and pooled_sd > 0
        stats[judge] = JudgeNormalization(mean=judge_mean, sd=judge_sd, sheets=len(values), used=used)
        for s in own:
            normalized[(judge, s.entry)] = (
                pooled_mean + pooled_sd * (s.total - judge_mean) / judge_sd if used else s.total
            )
    return normalized, stats


def top_votes(sheets: Sequence[Sheet], categories: Mapping[Hashable, Hashable], n: int = TOP_N_VOTE) -> dict[Hashable, int]:
    """For each entry, how many judges put it in their own top `n` of its
    category: the entries whose total ranks n or better among that judge's
    totals in the category, with competition ranking (so equal totals at
    place n all count)."""
    per_judge_category: dict[tuple[Hashable, Hashable], list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        per_judge_category[(sheet.judge, categories[sheet.entry])].append(sheet)
    votes: dict[Hashable, int] = defaultdict(int)
    for own in per_judge_category.values():
        ordered = sorted((s.total for s in own), reverse=True)
        threshold = ordered[min(n, len(ordered)) - 1]
        for s in own:
            if s.total >= threshold:
                votes[s.entry] += 1
    return votes


def aggregate(
    *,
    sheets: Iterable[Sheet],
    categories: Mapping[Hashable, Hashable],
    normalization: str = RAW,
    min_judges: int = 3,
) -> Aggregate:
    """Rank the entries of one round within their categories.

    `sheets`: the complete sheets of the round (one per judge and entry; the
    caller leaves out judges who declared a conflict). `categories`: every
    entry of the round -> its category, in the order categories should be
    listed (entries nobody scored are listed last, rank None).

    1. Per entry, the *raw mean* is the mean of its judges' totals and the
       *normalized mean* the mean of their normalized totals (`normalize`).
       `normalization` ("raw" or "zscore") picks which one ranks; the
       *median* is taken over the same per-judge figures.
    2. Within a category, entries are ordered by the ranking mean, highest
       first; equal means (to 0.01) are ordered by the higher median, then by
       more top-3 votes (`top_votes`). Entries equal on all three share a
       rank (competition ranking, "1224") and are flagged `tie` for the
       organizer: submission time or ids never decide.
    3. An entry with fewer than `min_judges` sheets is `complete=False`; it
       is still ranked so organizers see it, flagged.
    """
    sheets = [s for s in sheets if s.entry in categories]
    normalized, judge_stats = normalize(sheets)
    votes = top_votes(sheets, categories)

    raw_by_entry: dict[Hashable, list[Decimal]] = defaultdict(list)
    norm_by_entry: dict[Hashable, list[Decimal]] = defaultdict(list)
    for s in sheets:
        raw_by_entry[s.entry].append(s.total)
        norm_by_entry[s.entry].append(normalized[(s.judge, s.entry)])
    use_normalized = normalization == ZSCORE

    by_category: dict[Hashable, list[Hashable]] = {}
    for entry, category in categories.items():
        by_category.setdefault(category, []).append(entry)

    result: dict[Hashable, list[EntryRanking]] = {}
    for category, entries in by_category.items():
        scored, unscored = [], []
        for entry in entries:
            raw = raw_by_entry.get(entry, [])
            if not raw:
                unscored.append(entry)
                continue
            figures = norm_by_entry[entry] if use_normalized else raw
            scored.append(
                {
                    "entry": entry,
                    "raw_mean": mean(raw),
                    "normalized_mean": mean(norm_by_entry[entry]),
                    "mean": mean(figures),
                    "median": median(figures),
                    "judges": len(raw),
                    "votes": votes.get(entry, 0),
                }
            )
        for line in scored:
            line["key"] = (mean_display(line["mean"]), mean_display(line["median"]), line["votes"])
        scored.sort(key=lambda line: (tuple(-k for k in line["key"]), _sort_key(line["entry"])))

        # Counting keys keeps this linear: how many entries share the mean,
        # the mean and median, or all three figures.
        same_mean = Counter(line["key"][:1] for line in scored)
        same_median = Counter(line["key"][:2] for line in scored)
        same_all = Counter(line["key"] for line in scored)
        lines: list[EntryRanking] = []
        current_rank = 0
        for position, line in enumerate(scored, start=1):
            if position == 1 or line["key"] != scored[position - 2]["key"]:
                current_rank = position
            if same_mean[line["key"][:1]] == 1:
                tie_break = TieBreak.NONE
            elif same_all[line["key"]] > 1:
                tie_break = TieBreak.UNRESOLVED
            elif same_median[line["key"][:2]] == 1:
                tie_break = TieBreak.MEDIAN
            else:
                tie_break = TieBreak.TOP3
            lines.append(
                EntryRanking(
                    entry=line["entry"],
                    category=category,
                    rank=current_rank,
                    mean=line["mean"],
                    raw_mean=line["raw_mean"],
                    normalized_mean=line["normalized_mean"],
                    median=line["median"],
                    judges=line["judges"],
                    top3_votes=line["votes"],
                    complete=line["judges"] >= min_judges,
                    tie=tie_break == TieBreak.UNRESOLVED,
                    tie_break=tie_break,
                )
            )
        for entry in sorted(unscored, key=_sort_key):
            lines.append(
                EntryRanking(
                    entry=entry, category=category, rank=None, mean=None, raw_mean=None, normalized_mean=None,
                    median=None, judges=0, top3_votes=0, complete=min_judges <= 0, tie=False,
                )
            )
        result[category] = lines
    return Aggregate(categories=result, judges=judge_stats, normalized_totals=normalized)


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


def histogram(values: Iterable[Decimal], *, bins: int = 10, low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> list[int]:
    """Counts of `values` in `bins` equal bins over [low, high]; the top bin
    includes `high`."""
    counts = [0] * bins
    width = (high - low) / bins
    for v in values:
        index = int((v - low) / width) if width else 0
        counts[max(0, min(bins - 1, index))] += 1
    return counts


def _sort_key(key):
    # Keys of one ranking share a type in practice; str() keeps mixed keys sortable.
    return (str(type(key)), key) if isinstance(key, (int, str)) else (str(type(key)), str(key))
