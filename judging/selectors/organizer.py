"""The organizers' lists: the panel, declared conflicts of interest, the
audit trail (filtered by person, kind and days) and the score export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet

from contest.models import AgeCategory, Contest, Entry

from .. import audit_text
from .queue import queue_sizes
from .rounds import round_list
from ..models import AuditEvent, Conflict, JudgeAssignment, Score, SheetComment


@dataclass(frozen=True)
class PanelJudge:
    """One judge on one round's panel, as the panel page lists them."""

    assignment_id: int
    judge_id: int
    name: str
    round_number: int
    categories: list[str]
    assigned_entries: int
    scored_entries: int


def panel_for_organizer(*, contest: Contest) -> list[PanelJudge]:
    """Every judge on every round's panel, with categories, the number of
    drawings in their queue of that round (`queue_sizes`: their categories,
    or every category, narrowed to their own entries once the round's
    entries were assigned) and the sheets they started (five queries)."""
    assignments = list(
        JudgeAssignment.objects.filter(contest=contest)
        .select_related("judge")
        .prefetch_related("categories")
        .order_by("round_number", "judge__username")
    )
    queued = queue_sizes(contest=contest, assignments=assignments, rounds=round_list(contest=contest))
    scored = {
        (row["criterion__round_number"], row["judge_id"]): row["n"]
        for row in Score.objects.filter(criterion__contest=contest)
        .values("criterion__round_number", "judge_id")
        .annotate(n=Count("entry_id", distinct=True))
        .order_by()
    }
    return [
        PanelJudge(
            assignment_id=a.pk,
            judge_id=a.judge_id,
            name=a.judge.get_username(),
            round_number=a.round_number,
            categories=[c.name for c in a.categories.all()],
            assigned_entries=queued[a.pk],
            scored_entries=scored.get((a.round_number, a.judge_id), 0),
        )
        for a in assignments
    ]


def conflict_list(*, contest: Contest) -> QuerySet[Conflict]:
    """Declared conflicts of interest, newest first, for organizers."""
    return (
        Conflict.objects.filter(entry__contest=contest)
        .select_related("judge", "entry")
        .only("id", "reason", "created_at", "judge__username", "entry__reference", "entry__title")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class AuditRow:
    """One event of the audit trail and its sentence."""

    event: AuditEvent
    text: str  # what happened, one sentence in the active language


AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    """Which events of the audit trail to show: by one person (`actor_id`),
    one kind (`action`, an `AuditEvent.Action`), and days `since` to `until`
    (both included, in the contest's time zone). Empty values filter nothing."""

    actor_id: int | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _audit_events(*, contest: Contest, filters: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(contest=contest)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    if filters.action:
        events = events.filter(action=filters.action)
    zone = contest.tzinfo
    if filters.since:
        events = events.filter(created_at__gte=dt.datetime.combine(filters.since, dt.time.min, tzinfo=zone))
    if filters.until:
        next_day = filters.until + dt.timedelta(days=1)
        events = events.filter(created_at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=zone))
    return events


def audit_actors(*, contest: Contest) -> list[tuple[int, str]]:
    """(user id, username) of everyone who appears in the contest's audit
    trail, by name, for the trail's filter (one query)."""
    return list(
        get_user_model().objects.filter(
            Exists(AuditEvent.objects.filter(contest=contest, actor=OuterRef("pk")))
        ).order_by("username").values_list("id", "username")
    )


def audit_page(
    *, contest: Contest, page: str | int | None = 1, per_page: int = AUDIT_PAGE_SIZE, filters: AuditFilter | None = None
):
    """One page of the contest's audit trail, newest first, narrowed by
    `filters` (`AuditFilter`): (Django `Page`, [AuditRow]). Each event is
    told in words (`judging.audit_text`), with the entries, categories and
    judges its detail refers to looked up once for the whole page. At most
    five queries whatever the page, the filters or the trail's length: the
    count, the page, entries, categories and users."""
    events = (
        _audit_events(contest=contest, filters=filters or AuditFilter())
        .select_related("actor", "entry")
        .only(
            "id", "action", "detail", "reason", "round_number", "created_at", "entry_id", "actor__username",
            "entry__reference",
        )
        .order_by("-created_at", "-id")
    )
    shown = Paginator(events, per_page).get_page(page)
    entry_ids, category_ids, user_ids = audit_text.referenced_ids(shown.object_list)
    names = audit_text.AuditNames(
        entries=dict(Entry.objects.filter(pk__in=entry_ids).values_list("id", "reference")) if entry_ids else {},
        categories=(
            dict(AgeCategory.objects.filter(pk__in=category_ids).values_list("id", "name")) if category_ids else {}
        ),
        users=dict(get_user_model().objects.filter(pk__in=user_ids).values_list("id", "username")) if user_ids else {},
    )
    return shown, [AuditRow(event=e, text=audit_text.describe(e, names)) for e in shown.object_list]


def sheet_comments(*, contest: Contest) -> dict[tuple[int, int, int], str]:
    """Judges' private comments of the contest, keyed (judge id, entry id,
    round number); one query. Shared by the score exports."""
    return {
        (c["judge_id"], c["entry_id"], c["round_number"]): c["text"]
        for c in SheetComment.objects.filter(entry__contest=contest).values(
            "judge_id", "entry_id", "round_number", "text"
        )
    }


def contest_scores(*, contest: Contest) -> QuerySet[Score]:
    """Every score of the contest with its judge's `conflict` flag, ordered
    by round, entry reference, judge and the rubric's order: the rows both
    score exports read (the CSV of the results page and the worker's)."""
    return (
        Score.objects.filter(criterion__contest=contest)
        .annotate(conflict=Exists(Conflict.objects.filter(judge=OuterRef("judge"), entry=OuterRef("entry"))))
        .order_by("criterion__round_number", "entry__reference", "judge__username", "criterion__order", "criterion_id")
    )


def score_export_rows(*, contest: Contest):
    """Every score of the contest for the CSV export, one row per judge,
    entry and criterion (reference code and title only, nothing that
    identifies the child), with the judge's conflict flag and private
    comment. Two queries, streamed."""
    comments = sheet_comments(contest=contest)
    rows = (
        contest_scores(contest=contest)
        .values_list(
            "criterion__round_number", "entry__reference", "entry__title", "entry__age_category__name",
            "judge_id", "judge__username", "entry_id", "criterion__name", "criterion__weight", "points",
            "max_points", "conflict", "updated_at",
        )
    )
    for (round_number, reference, title, category, judge_id, username, entry_id, criterion, weight, points,
         max_points, conflict, updated_at) in rows.iterator(chunk_size=2000):
        yield [
            round_number, category, reference, title, username, criterion, weight, points, max_points,
            "yes" if conflict else "", comments.get((judge_id, entry_id, round_number), ""), updated_at.isoformat(),
        ]
