"""What is left to do in each contest, for the organizers' home and the
publication checklist, read for many contests at once.

Definitions (the counts of `ContestOverview`):

- `unconfirmed`: entries whose guardian has not confirmed yet;
- `awaiting_moderation`: confirmed entries waiting for a moderator;
- `unscored_sheets`: complete score sheets the latest round still needs:
  per entry of the round, `JudgingSettings.min_judges` less its complete
  sheets (never below 0; sheets of judges who abstained do not count);
- `unresolved_ties`: award places (1-3) among a category's suggestions
  whose entry is in a tie the ranking could not break, while no entry of
  that category holds that place yet (the organizer has not chosen);
- `open_conflicts`: declared conflicts of interest on entries of the latest
  round that still lack complete sheets (nobody has made up for the judge
  who abstained);
- `renditions_failed` and `renditions_pending`: confirmed, not rejected
  entries whose images failed or are still being made;
- `winners_without_consent`: entries holding a place or a special award whose guardian did
  not agree to publication.

Ties, sheets and conflicts are counted for unpublished contests only
(after publication nothing can change). The rankings behind the ties and
sheets come from the cache (`ranking_core`), computed together for the
contests whose figures changed. A fixed number of queries (nine, the
contests and their translations included, ten when a ranking is
computed), whatever the number of contests, entries or scores.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from contest.models import Contest, Entry, SpecialAwardHolder
from contest.services.jobs import broker_queue_depth

from .. import checklist, scoring
from ..models import Conflict, Criterion, JudgingSettings, Round, RoundEntry
from ..phases import Phase, contest_phase
from .ranking_core import RankingCore, RankingPlan, ranking_cores_cached


@dataclass(frozen=True)
class ContestOverview:
    """One contest on the organizers' home, with its phase and counts."""

    contest: Contest
    phase: Phase
    unconfirmed: int = 0
    awaiting_moderation: int = 0
    unscored_sheets: int = 0
    unresolved_ties: int = 0
    open_conflicts: int = 0
    renditions_failed: int = 0
    renditions_pending: int = 0
    winners_without_consent: int = 0


@dataclass(frozen=True)
class _Judging:
    unscored_sheets: int = 0
    unresolved_ties: int = 0
    open_conflicts: int = 0
    started: bool = False


def _entry_counts(contests: QuerySet) -> dict[int, dict]:
    confirmed = Q(guardian_confirmed_at__isnull=False) & ~Q(moderation_status=Entry.Moderation.REJECTED)
    special_award_holders = SpecialAwardHolder.objects.filter(entry=OuterRef("pk"))
    rows = (
        Entry.objects.filter(contest__in=contests.values("pk"))
        .values("contest_id")
        .annotate(
            unconfirmed=Count("id", filter=Q(guardian_confirmed_at__isnull=True, personal_data_purged_at__isnull=True)),
            awaiting_moderation=Count(
                "id", filter=Q(guardian_confirmed_at__isnull=False, moderation_status=Entry.Moderation.PENDING)
            ),
            renditions_failed=Count("id", filter=confirmed & Q(processing_status=Entry.Processing.FAILED)),
            renditions_pending=Count(
                "id",
                filter=confirmed & Q(processing_status__in=[Entry.Processing.RECEIVED, Entry.Processing.PROCESSING]),
            ),
            winners_without_consent=Count(
                "id", filter=Q(publish_consent=False) & (Q(award__isnull=False) | Exists(special_award_holders))
            ),
        )
        .order_by()
    )
    return {row.pop("contest_id"): row for row in rows}


def _judging_figures(contests: QuerySet) -> dict[int, _Judging]:
    """Unscored sheets, unresolved ties and open conflicts of the latest
    round of each unpublished contest among `contests` (six queries, and
    one more for the sheet totals of every contest whose ranking is not
    cached, `ranking_core.ranking_cores_cached`)."""
    unpublished = contests.filter(results_published_at__isnull=True).values("pk")
    settings = {s.contest_id: s for s in JudgingSettings.objects.filter(contest__in=unpublished)}
    rounds: dict[int, Round] = {}
    for rnd in Round.objects.filter(contest__in=unpublished).order_by("number"):
        rounds[rnd.contest_id] = rnd
    criteria: dict[int, list[scoring.Criterion]] = defaultdict(list)
    fields = ("contest_id", "round_number", "id", "weight", "max_points")
    for c in Criterion.objects.filter(contest__in=unpublished).values(*fields):
        current = rounds.get(c["contest_id"])
        if c["round_number"] == (current.number if current else 1):
            criteria[c["contest_id"]].append(
                scoring.Criterion(id=c["id"], weight=c["weight"], max_points=Decimal(c["max_points"]))
            )
    later = {rnd.pk for rnd in rounds.values() if rnd.number > 1}
    advanced = set(
        RoundEntry.objects.filter(round__contest__in=unpublished, round__number__gt=1)
        .values_list("round_id", "entry_id")
    )
    entries: dict[int, dict[int, dict]] = defaultdict(dict)
    judgeable = Entry.objects.judgeable().filter(contest__in=unpublished)
    for e in judgeable.values("id", "contest_id", "age_category_id", "award"):
        rnd = rounds.get(e["contest_id"])
        if rnd is None or rnd.pk not in later or (rnd.pk, e["id"]) in advanced:
            entries[e["contest_id"]][e["id"]] = e
    conflicts: dict[int, list[int]] = defaultdict(list)
    for contest_id, entry_id in Conflict.objects.filter(entry__contest__in=unpublished).values_list(
        "entry__contest_id", "entry_id"
    ):
        conflicts[contest_id].append(entry_id)
    plans = {}
    for contest_id in set(entries) | set(rounds) | set(criteria) | set(conflicts):
        own = settings.get(contest_id) or JudgingSettings()
        current = rounds.get(contest_id)
        plans[contest_id] = RankingPlan(
            round_number=current.number if current else 1, criteria=criteria.get(contest_id, []),
            entry_categories={e_id: e["age_category_id"] for e_id, e in entries.get(contest_id, {}).items()},
            normalization=own.normalization, min_judges=own.min_judges,
        )
    cores = ranking_cores_cached(plans=plans)
    return {
        contest_id: _round_figures(
            entries=entries.get(contest_id, {}), core=cores[contest_id], conflicts=conflicts.get(contest_id, []),
            min_judges=plan.min_judges, started=contest_id in rounds or cores[contest_id].scored,
        )
        for contest_id, plan in plans.items()
    }


def _round_figures(*, entries, core: RankingCore, conflicts, min_judges, started) -> _Judging:
    complete = {}
    for lines in core.aggregate.categories.values():
        complete.update(lines.judges())
    unscored = sum(max(0, min_judges - complete.get(entry_id, 0)) for entry_id in entries)
    awarded = {(e["age_category_id"], e["award"]) for e in entries.values() if e["award"] is not None}
    ties = 0
    for category_id, lines in core.aggregate.categories.items():
        suggestions = [line for line in lines[:3] if line.rank is not None]  # unscored entries come last
        ties += sum(
            1 for place, line in enumerate(suggestions, start=1) if line.tie and (category_id, place) not in awarded
        )
    open_conflicts = sum(
        1 for entry_id in conflicts if entry_id in entries and complete.get(entry_id, 0) < min_judges
    )
    return _Judging(unscored_sheets=unscored, unresolved_ties=ties, open_conflicts=open_conflicts, started=started)


def contest_overviews(*, contests: QuerySet | None = None, now=None) -> list[ContestOverview]:
    """Every contest of `contests` (default: all, newest first, their
    translations prefetched) with its phase (`judging.phases`) and what is
    left to do (see the module's docstring). Nine queries, one more when a
    ranking is computed, one fewer when `contests` prefetches nothing."""
    if contests is None:
        contests = Contest.objects.order_by("-opens_at").prefetch_related("translations")
    now = now or timezone.now()
    counts = _entry_counts(contests)
    judging = _judging_figures(contests)
    overviews = []
    for contest in contests:
        entry_counts = counts.get(contest.pk, {})
        figures = judging.get(contest.pk, _Judging())
        phase = contest_phase(
            now=now, opens_at=contest.opens_at, closes_at=contest.closes_at, published=contest.results_published,
            awaiting_moderation=entry_counts.get("awaiting_moderation", 0), judging_started=figures.started,
        )
        overviews.append(ContestOverview(
            contest=contest, phase=phase, unscored_sheets=figures.unscored_sheets,
            unresolved_ties=figures.unresolved_ties, open_conflicts=figures.open_conflicts, **entry_counts,
        ))
    return overviews


@dataclass(frozen=True)
class ChecklistItem:
    """One point of the publication checklist: `code` (stable, recorded in
    the audit trail, `judging.checklist`) and how many things are still
    open."""

    code: str
    count: int

    @property
    def label(self) -> str:
        return checklist.label(self.code)


CHECKLIST_CODES = checklist.CODES


def publication_checklist(*, contest: Contest) -> list[ChecklistItem]:
    """The publication checklist of `contest`, every point in the order of
    `CHECKLIST_CODES` with its count (0: done); built on
    `contest_overviews`. Eight queries, nine when the ranking is computed."""
    overview = contest_overviews(contests=Contest.objects.filter(pk=contest.pk))[0]
    counts = {
        "unscored_sheets": overview.unscored_sheets,
        "unresolved_ties": overview.unresolved_ties,
        "open_conflicts": overview.open_conflicts,
        "winners_without_consent": overview.winners_without_consent,
        "renditions_not_ready": overview.renditions_failed + overview.renditions_pending,
    }
    return [ChecklistItem(code=code, count=counts[code]) for code in CHECKLIST_CODES]


@dataclass(frozen=True)
class RenderingOverview:
    """The worker's state across every contest, for the organizers' home:
    entries still waiting for their images (received or processing) and
    when the oldest of them was sent, failures the sweeper will retry
    (transient: storage or database down) and failures left for an
    organizer (a damaged file, a drawing that crashes the renderer, or
    retries spent), and the tasks waiting in the broker's queue (None when
    the broker cannot be asked)."""

    waiting: int
    oldest_waiting_since: dt.datetime | None
    retrying: int
    next_retry_at: dt.datetime | None
    failed: int
    queue_depth: int | None
    now: dt.datetime | None = None

    @property
    def oldest_waiting_minutes(self) -> int | None:
        """Whole minutes the oldest waiting drawing has waited, or None."""
        if self.oldest_waiting_since is None or self.now is None:
            return None
        return max(0, int((self.now - self.oldest_waiting_since).total_seconds() // 60))

    @property
    def next_retry_minutes(self) -> int | None:
        """Whole minutes (rounded up) until the next automatic retry, or None."""
        if self.next_retry_at is None or self.now is None:
            return None
        return max(0, -int(-(self.next_retry_at - self.now).total_seconds() // 60))


def rendering_overview(*, contests: QuerySet | None = None) -> RenderingOverview:
    """The image processing of `contests` (a Contest queryset; None: every
    contest); the queue depth is the broker's, shared by all. One query,
    plus one quick question to the broker."""
    waiting = Q(processing_status__in=[Entry.Processing.RECEIVED, Entry.Processing.PROCESSING])
    failed = Q(processing_status=Entry.Processing.FAILED)
    entries = Entry.objects.all() if contests is None else Entry.objects.filter(contest__in=contests)
    row = entries.aggregate(
        waiting=Count("id", filter=waiting),
        oldest=Min("created_at", filter=waiting),
        retrying=Count("id", filter=failed & Q(render_retry_at__isnull=False)),
        next_retry=Min("render_retry_at", filter=failed),
        failed=Count("id", filter=failed & Q(render_retry_at__isnull=True)),
    )
    return RenderingOverview(
        waiting=row["waiting"], oldest_waiting_since=row["oldest"], retrying=row["retrying"],
        next_retry_at=row["next_retry"], failed=row["failed"], queue_depth=broker_queue_depth(), now=timezone.now(),
    )
