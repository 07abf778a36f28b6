"""The figures of a round's ranking, computed once per change and cached:
sheet totals summed by the database as integers, the ranking, spreads,
agreement and the judges' distributions by `judging.scoring.scaled`.

The cache key carries a per-contest version that `judging.signals`
replaces whenever a score, conflict, criterion, setting, round, round
entry, entry or age category of the contest is saved or deleted (and the
services that write in bulk replace it themselves), so a page never shows
figures older than the last saved score. Entry titles, awards, special
awards and judges' names are not in the cache: pages read them fresh.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from django.core.cache import cache
from django.db import transaction

from contest.models import Contest

from .. import scoring
from ..scoring import scaled as fast
from ..scoring import scaled_agreement as agree
from ..scoring.arrays import SheetArrays, codes
from .sql import sheet_units

CACHE_SECONDS = 24 * 3600
_VERSION = "judging:ranking-version:{}"
# The shape of the cached figures: a new shape gets a new number, so that
# figures pickled by an older release are never read (they may name
# classes that are gone).
_FORMAT = 2


@dataclass(frozen=True)
class JudgeFigures:
    """One judge's totals in the round: sheets, mean and SD in hundredths,
    whether z-scores are used, 10 histogram bins."""

    judge_id: int
    sheets: int
    mean_cents: int
    sd_cents: int
    normalized: bool
    bins: list[int]


@dataclass(frozen=True)
class CategoryAgreement:
    """Agreement of one category, judges as ids (see `ranking.Agreement`)."""

    alpha: object
    kendall_w: object
    kendall_judges: int
    kendall_entries: int
    outlier_ids: list[int]


@dataclass(frozen=True)
class RankingCore:
    """What a round's ranking is made of, without names or titles:
    `aggregate` (scoring.Aggregate, figures rounded to 0.01), `partial`
    entry id -> judges with an incomplete sheet, `spreads` entry id ->
    (SD in hundredths, disagreement, outlying sheets), `agreement`
    category id -> CategoryAgreement, `judges` per judge figures, `scale`
    the rubric's (`scoring.scaled.sheet_scale`); `scored` whether anyone scored anything yet."""

    aggregate: scoring.Aggregate
    partial: dict[int, int]
    spreads: dict[int, tuple[int, bool, int]]
    agreement: dict[int, CategoryAgreement] = field(default_factory=dict)
    judges: list[JudgeFigures] = field(default_factory=list)
    scale: object = None
    scored: bool = False  # any score of the round's criteria, of any entry (not of a conflicted judge)


def ranking_version_bump(*, contest_id: int) -> None:
    """Invalidate every cached ranking of contest `contest_id`: now, and
    again once the current transaction commits (a page computing the
    figures from the data committed before would otherwise store them
    under the new version)."""
    key = _VERSION.format(contest_id)
    cache.set(key, uuid.uuid4().hex, CACHE_SECONDS)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, CACHE_SECONDS))


@dataclass(frozen=True)
class RankingPlan:
    """What one contest's round is ranked on: the round's number, its
    criteria (scoring.Criterion), its entries -> age category (listing
    order; or a function returning them, called only when the figures
    are computed), the normalization and K (min judges)."""

    round_number: int
    criteria: list
    entry_categories: dict[int, int] | Callable[[], dict[int, int]]
    normalization: str
    min_judges: int

    def categories(self) -> dict[int, int]:
        """The round's entries -> age category, in listing order."""
        found = self.entry_categories
        return found() if callable(found) else found


def ranking_cores_cached(*, plans: dict[int, RankingPlan]) -> dict[int, RankingCore]:
    """contest id -> its round's `RankingCore`, from the cache; those
    missing are computed together (`ranking_cores`) and stored. No query
    when every one is cached, one otherwise."""
    version_keys = {contest_id: _VERSION.format(contest_id) for contest_id in plans}
    versions = cache.get_many(list(version_keys.values()))
    fresh = {}
    keys = {}
    for contest_id, plan in plans.items():
        version = versions.get(version_keys[contest_id])
        if version is None:
            version = fresh[version_keys[contest_id]] = uuid.uuid4().hex
        keys[contest_id] = f"judging:ranking:{_FORMAT}:{contest_id}:{plan.round_number}:{version}"
    if fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    found = cache.get_many(list(keys.values()))
    cores = {contest_id: found[key] for contest_id, key in keys.items() if key in found}
    missing = {contest_id: plan for contest_id, plan in plans.items() if contest_id not in cores}
    if missing:
        computed = ranking_cores(plans=missing)
        cache.set_many({keys[contest_id]: core for contest_id, core in computed.items()}, CACHE_SECONDS)
        cores.update(computed)
    return cores


def ranking_core_cached(
    *, contest: Contest, round_number: int, criteria, entry_categories, settings
) -> RankingCore:
    """One contest's `ranking_cores_cached` (`entry_categories`: the
    round's entries -> age category, in listing order, or a function
    returning them, called only on a miss). No query on a hit, one on a
    miss (and those of `entry_categories` when a function)."""
    plan = RankingPlan(round_number, criteria, entry_categories, settings.normalization, settings.min_judges)
    return ranking_cores_cached(plans={contest.pk: plan})[contest.pk]


def ranking_core(
    *, contest: Contest, round_number: int, criteria, entry_categories, normalization: str, min_judges: int,
) -> RankingCore:
    """Compute a round's `RankingCore`, not cached (one query: the sheet
    totals)."""
    plan = RankingPlan(round_number, criteria, entry_categories, normalization, min_judges)
    return ranking_cores(plans={contest.pk: plan})[contest.pk]


def ranking_cores(*, plans: dict[int, RankingPlan]) -> dict[int, RankingCore]:
    """contest id -> its round's `RankingCore`, computed (one query for
    every contest: the sheet totals, `sql.sheet_units`)."""
    factors: dict[int, tuple[int, int]] = {}
    scales = {}
    for contest_id, plan in plans.items():
        own, scales[contest_id] = fast.sheet_scale(plan.criteria)
        factors.update({pk: (factor, contest_id) for pk, factor in own.items()})
    rows = sheet_units(factors=factors)
    return {
        contest_id: _core(plan, scales[contest_id], rows[rows[:, 0] == contest_id, 1:])
        for contest_id, plan in plans.items()
    }


def _core(plan: RankingPlan, scale, rows: np.ndarray) -> RankingCore:
    entry_categories = plan.categories()
    known = np.isin(rows[:, 1], np.fromiter(entry_categories, dtype=np.int64, count=len(entry_categories)))
    rows = rows[known]
    complete = rows[:, 3] >= len(plan.criteria)
    partial_entries, partial_counts = np.unique(rows[~complete, 1], return_counts=True)
    partial = dict(zip(partial_entries.tolist(), partial_counts.tolist()))
    sheets = rows[complete]
    arrays = SheetArrays.of(sheets[:, 0], sheets[:, 1], sheets[:, 2])
    if arrays is None:
        scaled = fast.ScaledRound([tuple(row) for row in sheets[:, :3].tolist()], scale)
    else:
        scaled = fast.ScaledRound.from_arrays(arrays, scale)
    result = fast.aggregate_scaled(
        scaled=scaled, categories=entry_categories, normalization=plan.normalization,
        min_judges=plan.min_judges,
    )
    return RankingCore(
        aggregate=result, partial=partial, spreads=agree.entry_spreads_scaled(scaled),
        agreement=_agreements(scaled, entry_categories), judges=_judge_figures(scaled, result),
        scale=scale, scored=bool(len(rows)),
    )


def _agreements(scaled: fast.ScaledRound, entry_categories) -> dict[int, CategoryAgreement]:
    a = scaled.arrays
    if a is None:
        return _agreements_python(scaled.sheets, entry_categories)
    category_code, categories = codes(a.entries.tolist(), entry_categories)
    sheet_category = category_code[a.entry_code]
    result = {}
    for code in dict.fromkeys(sheet_category.tolist()):
        rows = np.flatnonzero(sheet_category == code)
        entry_rows = np.flatnonzero(category_code == code)
        alpha = agree.alpha_counts(a.counts[entry_rows], a.sums[entry_rows], a.squares[entry_rows])
        judges = len(np.unique(a.judge_code[rows]))
        if (a.counts[entry_rows] == judges).any():
            # Entries every judge of the category scored: Kendall's W (small panels).
            own = list(zip(a.judge[rows].tolist(), a.entry[rows].tolist(), a.units[rows].tolist()))
            result[categories[code]] = _agreement_python(own)
            continue
        outliers = agree.outlying_judges_arrays(a, rows)
        if outliers is None:
            outliers = agree.outlying_judges(
                list(zip(a.judge[rows].tolist(), a.entry[rows].tolist(), a.units[rows].tolist())))
        result[categories[code]] = CategoryAgreement(
            alpha=alpha, kendall_w=None, kendall_judges=0, kendall_entries=0, outlier_ids=outliers,
        )
    return result


def _agreements_python(sheets, entry_categories) -> dict[int, CategoryAgreement]:
    by_category: dict[int, list] = defaultdict(list)
    for sheet in sheets:
        by_category[entry_categories[sheet[1]]].append(sheet)
    return {category: _agreement_python(own) for category, own in by_category.items()}


def _agreement_python(own) -> CategoryAgreement:
    units: dict[int, dict[int, int]] = defaultdict(dict)
    for judge, entry, value in own:
        units[entry][judge] = value
    alpha = agree.alpha_exact([list(u.values()) for u in units.values()])
    judges = sorted({judge for judge, _e, _u in own})
    complete = [e for e, marks in sorted(units.items()) if all(j in marks for j in judges)]
    w = agree.kendall_exact([[units[e][j] for e in complete] for j in judges]) if complete else None
    return CategoryAgreement(
        alpha=alpha, kendall_w=w, kendall_judges=len(judges) if w is not None else 0,
        kendall_entries=len(complete) if w is not None else 0, outlier_ids=agree.outlying_judges(own),
    )


def _judge_figures(scaled: fast.ScaledRound, result: scoring.Aggregate) -> list[JudgeFigures]:
    figures = []
    bins = agree.histograms(scaled)
    for judge, (k, s, q) in scaled.judge_sums().items():
        stats = result.judges.get(judge)
        figures.append(JudgeFigures(
            judge_id=judge, sheets=k, mean_cents=scaled.mean_cents(s, k),
            sd_cents=scaled.sd_cents_of(k, s, q)[0], normalized=bool(stats and stats.used),
            bins=bins[judge],
        ))
    return figures
