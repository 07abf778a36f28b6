"""The ranking of a round per age category, with inter-judge agreement
and award suggestions (`judging.scoring` does the arithmetic; this reads
the sheets)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from contest.models import AgeCategory, Contest, SpecialAwardHolder

from .. import scoring
from ..models import Conflict, Round, Score
from ..scoring.scaled import decimal_cents
from .ranking_core import CategoryAgreement, RankingCore, ranking_core, ranking_core_cached
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
    rows: Sequence[RankingRow]  # `RankingRows` from `ranking_parts`
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
    def awarded(self) -> list[RankingRow]:
        """The rows holding a place, in ranking order (only those rows are
        made: see `RankingRows.awarded`)."""
        rows = self.rows
        return rows.awarded() if isinstance(rows, RankingRows) else [row for row in rows if row.award]

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


def contest_ranking(*, contest: Contest, round_number: int | None = None, cached: bool = True) -> list[CategoryRanking]:
    """The ranking per age category (youngest first) of the entries of one
    round (default: the latest), ranked by
    `judging.scoring.scaled.aggregate_scaled` (on integer-scaled totals)
    under the contest's settings, each block with its award suggestions (the first
    three ranked rows; `CategoryRanking.decided` keeps those the ranking
    decides). Five queries (six when the figures are not cached;
    `cached=False` always computes them: see `ranking_parts`)."""
    return ranking_parts(contest=contest, round_number=round_number, cached=cached)[0]


def ranking_parts(*, contest: Contest, round_number: int | None = None, with_stats: bool = False,
                  cached: bool = True, shown: Callable[[int, int], Iterable[int]] | None = None) -> tuple:
    """Everything a round's ranking is made of, for the results page and
    the benchmark: (list[CategoryRanking], JudgingSettings, the Round, every
    Round, the `ranking_core.RankingCore`, judge id -> name). The figures
    come from the cache (`ranking_core.ranking_core_cached`) unless
    `cached` is False (services deciding awards or rounds compute them
    afresh); `with_stats` adds the agreement per category, the judges'
    names and the special awards each entry holds (two queries more).

    `shown`, when given, is (category id, number of rows) -> the indexes
    of the rows that will be read in that category (a page): only those
    rows, the first three (the suggestions) and the rows holding a place
    (`CategoryRanking.awarded`) are loaded, and reading another row raises
    LookupError. Without it every row can be read.

    Five queries without `with_stats`, seven with; one more when the
    figures are computed (a miss of the cache, or `cached=False`), two
    with `shown` (the round's entries, then the sheet totals)."""
    settings = judging_settings_get(contest=contest)
    rounds = round_list(contest=contest)
    rnd = next((r for r in rounds if r.number == round_number), rounds[-1])
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = scoring_criteria(contest=contest, round_number=rnd.number)
    round_entry_rows = round_entries(contest=contest, round=rnd)
    fields = ("id", "public_id", "reference", "title", "award", "age_category_id", "dominant_color")
    every = None if shown is not None else list(round_entry_rows.values(*fields))
    order = {c.pk: i for i, c in enumerate(categories)}

    def entry_categories() -> dict[int, int]:
        # Listing order: the categories' order, then the entries' ids.
        if every is None:
            rows = list(round_entry_rows.values_list("id", "age_category_id"))
        else:
            rows = [(e["id"], e["age_category_id"]) for e in every]
        return dict(sorted(sorted(rows), key=lambda row: order.get(row[1], 0)))

    arguments = {"contest": contest, "round_number": rnd.number, "criteria": criteria}
    if cached:
        core = ranking_core_cached(settings=settings, entry_categories=entry_categories, **arguments)
    else:
        core = ranking_core(
            normalization=settings.normalization, min_judges=settings.min_judges,
            entry_categories=entry_categories(), **arguments,
        )
    lines_of = {category.pk: core.aggregate.categories.get(category.pk, []) for category in categories}
    if every is None:
        wanted: set[int] = set()
        for category_id, lines in lines_of.items():
            order_of = _entries_of(lines)
            indexes = set(range(min(3, len(lines)))) | set(shown(category_id, len(lines)))
            wanted.update(order_of[i] for i in indexes if 0 <= i < len(order_of))
        every = round_entry_rows.filter(Q(pk__in=wanted) | Q(award__isnull=False)).values(*fields)
    entries = {e["id"]: e for e in every}
    names = judge_names(contest=contest) if with_stats else {}
    held = special_awards_held(contest=contest) if with_stats else {}
    blocks = []
    for category in categories:
        lines = lines_of[category.pk]
        rows = RankingRows(lines, entries, core, held)
        agreement = _agreement(core.agreement.get(category.pk), names) if with_stats else None
        suggestions = [rows[i] for i, line in enumerate(lines[:3]) if line.rank is not None]
        blocks.append(CategoryRanking(category=category, rows=rows, agreement=agreement, suggestions=suggestions))
    return blocks, settings, rnd, rounds, core, names


def _entries_of(lines) -> list:
    return lines.entries() if isinstance(lines, scoring.RankingLines) else [line.entry for line in lines]


class RankingRows(Sequence):
    """A category's `RankingRow`s, each made when first read: a page of
    100 rows of a 10,000 entry ranking costs 100 rows, not 10,000."""

    def __init__(self, lines, entries: dict, core: RankingCore, held: dict):
        self._lines, self._entries, self._core, self._held = lines, entries, core, held
        self._made: dict[int, RankingRow] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, RankingRows)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"RankingRows({len(self)} rows)"

    def awarded(self) -> list[RankingRow]:
        """The rows holding a place, in ranking order, found without making
        the other rows."""
        entries = self._entries
        return [self[i] for i, entry in enumerate(_entries_of(self._lines)) if entries.get(entry, {}).get("award")]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._lines)))]
        if index < 0:
            index += len(self._lines)
        row = self._made.get(index)
        if row is None:
            line = self._lines[index]
            e = self._entries.get(line.entry)
            if e is None:
                raise LookupError(f"row {index} of the ranking was not loaded (see `ranking_parts`'s `shown`)")
            row = self._made[index] = _row(line, e, self._core, self._held)
        return row


def _row(line: scoring.EntryRanking, e: dict, core: RankingCore, held: dict) -> RankingRow:
    spread = core.spreads.get(line.entry)
    return RankingRow(
        entry_id=e["id"], public_id=e["public_id"], reference=e["reference"], title=e["title"], award=e["award"],
        rank=line.rank, mean=line.raw_mean, judges=line.judges, partial=core.partial.get(line.entry, 0),
        normalized=line.normalized_mean, median=line.median, top3_votes=line.top3_votes, complete=line.complete,
        tie=line.tie, tie_break=line.tie_break,
        spread=None if spread is None else decimal_cents(spread[0]),
        disagreement=bool(spread and spread[1]), outliers=spread[2] if spread else 0,
        special_awards=tuple(held.get(line.entry, ())), dominant_color=e["dominant_color"],
    )


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


def _agreement(figures: CategoryAgreement | None, names: dict[int, str]) -> Agreement:
    if figures is None:
        return Agreement(alpha=None, kendall_w=None, kendall_judges=0, kendall_entries=0, outliers=[])
    return Agreement(
        alpha=figures.alpha, kendall_w=figures.kendall_w, kendall_judges=figures.kendall_judges,
        kendall_entries=figures.kendall_entries, outliers=sorted(names.get(j, str(j)) for j in figures.outlier_ids),
    )
