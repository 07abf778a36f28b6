"""The ranking of a round per age category, with inter-judge agreement
and award suggestions (`judging.scoring` does the arithmetic; this reads
the sheets)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from contest.models import AgeCategory, Contest, SpecialAwardHolder

from .. import scoring
from ..models import Conflict, Round, Score
from .rounds import judging_settings_get, round_entries, round_list, scoring_criteria


@dataclass(frozen=True)
class RankingRow:
    """One entry's line in its category's ranking, as the pages show it."""

    entry_id: int
    public_id: uuid.UUID
    reference: str
    title: str
    award: int | None
    rank: int | None
    mean: Decimal | None  # raw mean total, rounded to 2 decimals, 0-100
    judges: int  # complete score sheets (judges with a conflict left out)
    partial: int  # judges who scored only some criteria
    normalized: Decimal | None = None  # mean of z-score normalized totals, 0-100, rounded
    median: Decimal | None = None  # of the ranking figures, rounded
    top3_votes: int = 0
    complete: bool = True
    tie: bool = False
    tie_break: str = ""
    spread: Decimal | None = None  # SD of the judges' totals, 0-100, rounded; None if unscored
    disagreement: bool = False  # spread from `scoring.DISAGREEMENT_SD` on
    outliers: int = 0  # sheets far from the other judges' mean (`scoring.entry_spreads`)
    special_awards: tuple[int, ...] = ()  # ids of its special awards (results page only)
    dominant_color: str = ""


@dataclass(frozen=True)
class Agreement:
    """Inter-judge agreement in one category (see `judging.scoring`)."""

    alpha: Decimal | None
    kendall_w: Decimal | None
    kendall_judges: int
    kendall_entries: int
    outliers: list[str]


@dataclass(frozen=True)
class CategoryRanking:
    """One age category's ranking, its agreement figures (results page
    only) and its award suggestions."""

    category: AgeCategory
    rows: list[RankingRow]
    agreement: Agreement | None = None
    suggestions: list[RankingRow] = field(default_factory=list)  # the first three ranked rows

    @property
    def decided(self) -> dict[int, RankingRow]:
        """place (1-3) -> the suggested row, for the places the ranking
        decides: a row in an unresolved tie or with too few score sheets is
        left for the organizer (ids or submission time never decide)."""
        return {
            place: row
            for place, row in enumerate(self.suggestions, start=1)
            if row.complete and not row.tie
        }

    @property
    def undecided_places(self) -> list[int]:
        """Places among the suggestions the organizer must choose."""
        return [place for place in range(1, len(self.suggestions) + 1) if place not in self.decided]


def round_sheets(*, contest: Contest, round: Round, criteria, entry_ids: set[int]):
    """Complete sheets (scoring.Sheet) and partial-sheet counts per entry of
    one round, without the scores of judges who declared a conflict (one
    query)."""
    raw: dict[tuple[int, int], dict] = defaultdict(dict)
    rows = (
        Score.objects.filter(criterion__contest=contest, criterion__round_number=round.number)
        .exclude(Exists(Conflict.objects.filter(judge=OuterRef("judge"), entry=OuterRef("entry"))))
        .values_list("judge_id", "entry_id", "criterion_id", "points")
    )
    for judge_id, entry_id, criterion_id, points in rows:
        if entry_id in entry_ids:
            raw[(judge_id, entry_id)][criterion_id] = points
    sheets, partial = [], defaultdict(int)
    sheet_total = scoring.sheet_totaller(criteria)
    for (judge_id, entry_id), points in raw.items():
        total = sheet_total(points)
        if total is None:
            partial[entry_id] += 1
        else:
            sheets.append(scoring.Sheet(judge=judge_id, entry=entry_id, total=total))
    return sheets, partial


def contest_ranking(*, contest: Contest, round_number: int | None = None) -> list[CategoryRanking]:
    """The ranking per age category (youngest first) of the entries of one
    round (default: the latest), by `judging.scoring.aggregate` under the
    contest's settings, each block with its award suggestions (the first
    three ranked rows; `CategoryRanking.decided` keeps those the ranking
    decides). Six queries."""
    return ranking_parts(contest=contest, round_number=round_number)[0]


def ranking_parts(*, contest: Contest, round_number: int | None = None, with_stats: bool = False) -> tuple:
    """Everything a round's ranking is made of, for the results page and
    the benchmark: (list[CategoryRanking], JudgingSettings, the Round, every
    Round, the complete scoring.Sheet list, the scoring.Aggregate, judge id
    -> name). `with_stats` adds the agreement per category, the judges'
    names and the special awards each entry holds (two queries more). Six
    queries without, eight with."""
    settings = judging_settings_get(contest=contest)
    rounds = round_list(contest=contest)
    rnd = next((r for r in rounds if r.number == round_number), rounds[-1])
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = scoring_criteria(contest=contest, round_number=rnd.number)
    entries = {
        e["id"]: e
        for e in round_entries(contest=contest, round=rnd).values(
            "id", "public_id", "reference", "title", "award", "age_category_id", "dominant_color"
        )
    }
    sheets, partial = round_sheets(contest=contest, round=rnd, criteria=criteria, entry_ids=set(entries))
    order = {c.pk: i for i, c in enumerate(categories)}
    entry_categories = {
        e_id: e["age_category_id"]
        for e_id, e in sorted(entries.items(), key=lambda kv: (order.get(kv[1]["age_category_id"], 0), kv[0]))
    }
    result = scoring.aggregate(
        sheets=sheets,
        categories=entry_categories,
        normalization=settings.normalization,
        min_judges=settings.min_judges,
    )
    blocks = []
    sheets_by_category: dict[int, list[scoring.Sheet]] = defaultdict(list)
    for s in sheets:
        sheets_by_category[entry_categories[s.entry]].append(s)
    names = judge_names(contest=contest) if with_stats else {}
    held = special_awards_held(contest=contest) if with_stats else {}
    spreads = scoring.entry_spreads(sheets)
    for category in categories:
        rows = []
        for line in result.categories.get(category.pk, []):
            e = entries[line.entry]
            spread = spreads.get(line.entry)
            rows.append(
                RankingRow(
                    entry_id=e["id"],
                    public_id=e["public_id"],
                    reference=e["reference"],
                    title=e["title"],
                    award=e["award"],
                    rank=line.rank,
                    mean=scoring.mean_display(line.raw_mean),
                    judges=line.judges,
                    partial=partial.get(line.entry, 0),
                    normalized=scoring.mean_display(line.normalized_mean),
                    median=scoring.mean_display(line.median),
                    top3_votes=line.top3_votes,
                    complete=line.complete,
                    tie=line.tie,
                    tie_break=line.tie_break,
                    spread=None if spread is None else scoring.mean_display(spread.sd),
                    disagreement=bool(spread and spread.disagreement),
                    outliers=spread.outliers if spread else 0,
                    special_awards=tuple(held.get(line.entry, ())),
                    dominant_color=e["dominant_color"],
                )
            )
        agreement = _agreement(sheets_by_category[category.pk], names) if with_stats else None
        suggestions = [row for row in rows if row.rank is not None][:3]
        blocks.append(CategoryRanking(category=category, rows=rows, agreement=agreement, suggestions=suggestions))
    return blocks, settings, rnd, rounds, sheets, result, names


def special_awards_held(*, contest: Contest) -> dict[int, list[int]]:
    """Entry id -> ids of the special awards it holds, in the awards' order
    (one query)."""
    held: dict[int, list[int]] = defaultdict(list)
    rows = SpecialAwardHolder.objects.filter(award__contest=contest).order_by("award__order", "award_id")
    for entry_id, award_id in rows.values_list("entry_id", "award_id"):
        held[entry_id].append(award_id)
    return held


def judge_names(*, contest: Contest) -> dict[int, str]:
    """Judge id -> username for everyone on a panel of `contest` (one query)."""
    return dict(
        get_user_model().objects.filter(judge_assignments__contest=contest).distinct().values_list("id", "username")
    )


def _agreement(sheets: list[scoring.Sheet], names: dict[int, str]) -> Agreement:
    units: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for s in sheets:
        units[s.entry][s.judge] = s.total
    alpha = scoring.krippendorff_alpha_interval(list(u.values()) for u in units.values())
    judges = sorted({s.judge for s in sheets})
    complete_entries = [e for e, marks in sorted(units.items()) if all(j in marks for j in judges)]
    matrix = [[units[e][j] for e in complete_entries] for j in judges]
    w = scoring.kendalls_w(matrix) if complete_entries else None
    rho = scoring.judge_outliers(sheets)
    outliers = sorted(names.get(j, str(j)) for j, r in rho.items() if r is not None and r < scoring.OUTLIER_RHO)
    return Agreement(
        alpha=None if alpha is None else alpha.quantize(Decimal("0.001")),
        kendall_w=None if w is None else w.quantize(Decimal("0.001")),
        kendall_judges=len(judges) if w is not None else 0,
        kendall_entries=len(complete_entries) if w is not None else 0,
        outliers=outliers,
    )
