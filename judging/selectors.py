"""Reads for judging.

Judges are blind: everything a judge's page shows about an entry comes from
`BlindEntry`, built with `values()` from an explicit list of columns, so the
child's names, birth date, school, guardian data and the original file are
never loaded, not even lazily by a template. Every selector here issues a
fixed number of queries, whatever the number of entries.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, Value, When
from django.http import Http404

from contest.models import AgeCategory, Contest, Entry

from . import scoring
from .models import Criterion, Score
from .rules import is_assigned_judge, is_organizer

JUDGEABLE = Q(moderation_status=Entry.Moderation.APPROVED, processing_status=Entry.Processing.READY)

# The only entry columns a judge ever gets; nothing here identifies the child.
BLIND_FIELDS = ("id", "public_id", "contest_id", "title", "description", "age_category_id", "age_category__name")


@dataclass(frozen=True)
class BlindEntry:
    """What a judge may know about an entry."""

    id: int
    public_id: uuid.UUID
    contest_id: int
    title: str
    description: str
    age_category_id: int
    age_category_name: str
    scored_criteria: int = 0
    is_scored: bool = False


@dataclass(frozen=True)
class Progress:
    """A judge has complete score sheets for `scored` of `total` entries."""

    scored: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 0


@dataclass(frozen=True)
class ContestProgress:
    contest: Contest
    progress: Progress


@dataclass(frozen=True)
class RankingRow:
    entry_id: int
    public_id: uuid.UUID
    reference: str
    title: str
    award: int | None
    rank: int | None
    mean: Decimal | None  # rounded to 2 decimals, 0-100
    judges: int  # complete score sheets
    partial: int  # judges who scored only some criteria


@dataclass(frozen=True)
class CategoryRanking:
    category: AgeCategory
    rows: list[RankingRow]


def judgeable_entries(*, contest: Contest) -> QuerySet[Entry]:
    """Entries judges see: approved by a moderator and with renditions ready."""
    return Entry.objects.filter(JUDGEABLE, contest=contest)


def contest_for_judge(*, user, slug: str) -> Contest:
    """The contest `slug` if `user` is assigned to judge it; 404 otherwise."""
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None or not is_assigned_judge(user, contest):
        raise Http404
    return contest


def contest_for_organizer(*, user, slug: str) -> Contest:
    """The contest `slug` if `user` is an organizer; 404 otherwise."""
    if not is_organizer(user):
        raise Http404
    contest = Contest.objects.filter(slug=slug).first()
    if contest is None:
        raise Http404
    return contest


def contest_list_for_judge(*, user) -> list[ContestProgress]:
    """The contests `user` is assigned to, newest first, each with the
    judge's progress (two queries)."""
    contests = list(
        Contest.objects.filter(judge_assignments__judge=user)
        .annotate(
            entries_total=Count(
                "entries",
                filter=Q(
                    entries__moderation_status=Entry.Moderation.APPROVED,
                    entries__processing_status=Entry.Processing.READY,
                ),
                distinct=True,
            ),
            criteria_total=Count("criteria", distinct=True),
        )
        .order_by("-opens_at")
    )
    if not contests:
        return []
    per_entry = (
        Score.objects.filter(judge=user, entry__contest__in=contests)
        .filter(entry__moderation_status=Entry.Moderation.APPROVED, entry__processing_status=Entry.Processing.READY)
        .filter(criterion__contest_id=F("entry__contest_id"))
        .values("entry__contest_id", "entry_id")
        .annotate(n=Count("criterion_id", distinct=True))
    )
    criteria_total = {c.pk: c.criteria_total for c in contests}
    complete = defaultdict(int)
    for row in per_entry:
        contest_id = row["entry__contest_id"]
        if criteria_total[contest_id] and row["n"] >= criteria_total[contest_id]:
            complete[contest_id] += 1
    return [
        ContestProgress(contest=c, progress=Progress(scored=complete[c.pk], total=c.entries_total)) for c in contests
    ]


def contest_list_for_organizer() -> QuerySet[Contest]:
    """Every contest, newest first (organizers see every result page)."""
    return Contest.objects.order_by("-opens_at")


def _blind_values(*, contest: Contest, user) -> QuerySet:
    return (
        judgeable_entries(contest=contest)
        .values(*BLIND_FIELDS)
        .annotate(scored_criteria=Count("scores__criterion_id", filter=Q(scores__judge=user), distinct=True))
    )


def entry_list_for_judge(*, contest: Contest, user) -> list[BlindEntry]:
    """The entries `user` judges in `contest`, by age category, each with how
    many criteria this judge has scored and whether the sheet is complete.

    Two queries (criteria count, entries). The caller checks the assignment
    (`contest_for_judge`).
    """
    criteria_total = Criterion.objects.filter(contest=contest).count()
    rows = (
        _blind_values(contest=contest, user=user)
        .annotate(
            is_scored=Case(
                When(Q(scored_criteria__gte=criteria_total) & Q(scored_criteria__gt=0), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("age_category__min_age", "id")
    )
    return [_blind(row) for row in rows]


def judge_progress(*, entries: list[BlindEntry]) -> Progress:
    """Scored N of M, from the list `entry_list_for_judge` returned (no query)."""
    return Progress(scored=sum(1 for e in entries if e.is_scored), total=len(entries))


def entry_for_judge(*, contest: Contest, user, public_id: uuid.UUID) -> BlindEntry:
    """One entry for the scoring page; 404 unless `user` is assigned to
    `contest` and the entry belongs to it and is judgeable."""
    if not is_assigned_judge(user, contest):
        raise Http404
    row = _blind_values(contest=contest, user=user).filter(public_id=public_id).first()
    if row is None:
        raise Http404
    return _blind(row)


def _blind(row: dict) -> BlindEntry:
    return BlindEntry(
        id=row["id"],
        public_id=row["public_id"],
        contest_id=row["contest_id"],
        title=row["title"],
        description=row["description"],
        age_category_id=row["age_category_id"],
        age_category_name=row["age_category__name"],
        scored_criteria=row["scored_criteria"],
        is_scored=row.get("is_scored", False),
    )


def criterion_list(*, contest: Contest) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest).order_by("order", "id"))


def score_sheet_for_judge(*, judge, entry_id: int) -> dict[int, Decimal]:
    """The judge's saved points for one entry: criterion id -> points."""
    return dict(Score.objects.filter(judge=judge, entry_id=entry_id).values_list("criterion_id", "points"))


def contest_ranking(*, contest: Contest) -> list[CategoryRanking]:
    """The ranking per age category (youngest first) of the judgeable
    entries, by mean total (see `judging.scoring`). Four queries:
    categories, criteria, entries, scores.
    """
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = [
        scoring.Criterion(id=c["id"], weight=c["weight"], max_points=Decimal(c["max_points"]))
        for c in Criterion.objects.filter(contest=contest).values("id", "weight", "max_points")
    ]
    entries = list(
        judgeable_entries(contest=contest).values("id", "public_id", "reference", "title", "award", "age_category_id")
    )
    sheets: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    scores = Score.objects.filter(entry__in=judgeable_entries(contest=contest), criterion__contest=contest).values_list(
        "entry_id", "judge_id", "criterion_id", "points"
    )
    for entry_id, judge_id, criterion_id, points in scores:
        sheets[entry_id][judge_id][criterion_id] = points

    by_category: dict[int, dict[int, dict]] = defaultdict(dict)
    for e in entries:
        by_category[e["age_category_id"]][e["id"]] = e

    result = []
    for category in categories:
        members = by_category.get(category.pk, {})
        results = {
            entry_id: scoring.entry_result(criteria=criteria, sheets=sheets.get(entry_id, {}).values())
            for entry_id in members
        }
        rows = []
        for ranked in scoring.rank(results):
            e = members[ranked.key]
            rows.append(
                RankingRow(
                    entry_id=e["id"],
                    public_id=e["public_id"],
                    reference=e["reference"],
                    title=e["title"],
                    award=e["award"],
                    rank=ranked.rank,
                    mean=scoring.mean_display(ranked.result.mean),
                    judges=ranked.result.judges,
                    partial=ranked.result.partial,
                )
            )
        result.append(CategoryRanking(category=category, rows=rows))
    return result
