"""Database constraints under concurrent writers: real threads, each with
its own database connection, against a committed database (SQLite in the
plain run, PostgreSQL in the services run). Every writer gets either its
result or the one refusal the rule allows, never any other error."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from judging import services
from judging.models import AuditEvent, Round, Score
from tests.factories.judging import ContestFactory, CriterionFactory, EntryFactory, JudgeAssignmentFactory, OrganizerFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

THREADS = 8
# The database's refusals of points out of range: the score trigger's words
# (PostgreSQL checks the maximum first, SQLite the half points) or the check
# constraint's name.
POINTS_GUARDS = (
    "judging_score: points and maximum must match the criterion",
    "judging_score: the contest does not allow half points",
    "score_in_range",
)


def run_together(target, n=THREADS):
    """Start `n` threads on `target(i)` at the same moment; return what each
    returned or raised."""
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def worker(i):
        try:
            barrier.wait()
            outcomes[i] = target(i)
        except Exception as exc:  # collected and asserted on by the test
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _unique_violation(error: IntegrityError) -> bool:
    """Whether `error` is the one-score-per-judge-entry-criterion rule (the
    constraint's name on PostgreSQL, its columns on SQLite)."""
    text = str(error)
    return "score_one_per_judge_entry_criterion" in text or (
        "UNIQUE constraint failed" in text and "judging_score.criterion_id" in text
    )


def test_concurrent_sheets_of_one_judge_keep_one_score_per_criterion():
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(days=1))
    idea, colour = CriterionFactory(contest=contest, max_points=10), CriterionFactory(contest=contest, max_points=5)
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)

    outcomes = run_together(
        lambda i: services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: i, colour.pk: i % 6})
    )

    # The contest row's lock lines the sheets up: every one is saved in turn,
    # none is refused, none leaves a duplicate or a half sheet.
    assert all(isinstance(o, list) and len(o) == 2 for o in outcomes), outcomes
    saved = [o for o in outcomes if isinstance(o, list)]
    assert saved
    rows = list(Score.objects.filter(judge=judge, entry=entry).order_by("criterion_id").values_list("criterion_id", "points"))
    assert [criterion for criterion, _points in rows] == [idea.pk, colour.pk]
    assert rows[1][1] == rows[0][1] % 6  # both points come from the same sheet
    # Every sheet changed the idea points, so each left one audit event.
    assert AuditEvent.objects.filter(entry=entry).count() <= len(saved)
    assert AuditEvent.objects.filter(entry=entry).count() == THREADS


def test_concurrent_raw_inserts_of_same_score_only_one_wins():
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)
    judge = UserFactory()

    def insert(i):
        with transaction.atomic():
            return Score.objects.create(judge=judge, entry=entry, criterion=criterion, points=Decimal(i), max_points=10)

    outcomes = run_together(insert)

    assert sum(isinstance(o, Score) for o in outcomes) == 1
    assert all(isinstance(o, (Score, IntegrityError)) for o in outcomes), outcomes
    # Every loser was refused by the unique constraint, not by anything else.
    refusals = [o for o in outcomes if not isinstance(o, Score)]
    assert len(refusals) == THREADS - 1
    assert all(_unique_violation(o) for o in refusals), refusals
    assert Score.objects.count() == 1


def test_concurrent_out_of_range_points_refused_by_database():
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)
    judges = [UserFactory() for _ in range(4)]

    def insert(i):
        with transaction.atomic():
            return Score.objects.create(
                judge=judges[i], entry=entry, criterion=criterion, points=Decimal("10.5") + i, max_points=10
            )

    outcomes = run_together(insert, n=4)

    assert all(isinstance(o, IntegrityError) for o in outcomes), outcomes
    # Each refused by a guard on the points, not by anything else: the
    # trigger (which runs before the checks; these points are also halves)
    # or the range check.
    assert all(any(guard in str(o) for guard in POINTS_GUARDS) for o in outcomes), outcomes
    assert Score.objects.count() == 0


def test_sheet_saved_while_round_closes_is_counted_or_refused():
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(days=1))
    idea = CriterionFactory(contest=contest, max_points=10)
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    entry = EntryFactory(contest=contest)
    organizer = OrganizerFactory(contests=[contest])

    def act(i):
        if i == 3:
            return services.round_close(contest=contest, actor=organizer)
        return services.score_sheet_submit(judge=judges[i], entry=entry, points={idea.pk: 7})

    outcomes = run_together(act, n=4)

    assert all(isinstance(o, (list, ValidationError)) or hasattr(o, "is_open") for o in outcomes)
    # The round closed; each sheet was saved before it or refused after it
    # with the closed round's own refusal.
    assert isinstance(outcomes[3], Round) and outcomes[3].is_open is False, outcomes[3]
    assert all(isinstance(o, list) or (isinstance(o, ValidationError) and o.code == "round_closed") for o in outcomes[:3]), outcomes
    saved_judges = {judges[i].pk for i, o in enumerate(outcomes[:3]) if isinstance(o, list)}
    assert set(Score.objects.values_list("judge_id", flat=True)) == saved_judges
