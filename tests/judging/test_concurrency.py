"""Database constraints under concurrent writers: real threads, each with
its own database connection, against a committed database."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from judging import services
from judging.models import AuditEvent, Score
from tests.factories.judging import ContestFactory, CriterionFactory, EntryFactory, JudgeAssignmentFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

THREADS = 8


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


def test_concurrent_sheets_of_one_judge_keep_one_score_per_criterion():
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(days=1))
    idea, colour = CriterionFactory(contest=contest, max_points=10), CriterionFactory(contest=contest, max_points=5)
    judge = JudgeAssignmentFactory(contest=contest).judge
    entry = EntryFactory(contest=contest)

    outcomes = run_together(
        lambda i: services.score_sheet_submit(judge=judge, entry=entry, points={idea.pk: i, colour.pk: i % 6})
    )

    # A writer may be refused while another holds the lock (SQLite says
    # "database is locked"); none may leave a duplicate or a half sheet.
    assert all(isinstance(o, (list, DatabaseError)) for o in outcomes), outcomes
    saved = [o for o in outcomes if isinstance(o, list)]
    assert saved
    rows = list(Score.objects.filter(judge=judge, entry=entry).order_by("criterion_id").values_list("criterion_id", "points"))
    assert [criterion for criterion, _points in rows] == [idea.pk, colour.pk]
    assert rows[1][1] == rows[0][1] % 6  # both points come from the same sheet
    assert AuditEvent.objects.filter(entry=entry).count() <= len(saved)


def test_concurrent_raw_inserts_of_same_score_only_one_wins():
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)
    judge = UserFactory()

    def insert(i):
        with transaction.atomic():
            return Score.objects.create(judge=judge, entry=entry, criterion=criterion, points=Decimal(i), max_points=10)

    outcomes = run_together(insert)

    assert sum(isinstance(o, Score) for o in outcomes) == 1
    assert all(isinstance(o, (Score, IntegrityError, DatabaseError)) for o in outcomes), outcomes
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

    assert all(isinstance(o, (IntegrityError, DatabaseError)) for o in outcomes), outcomes
    assert Score.objects.count() == 0


def test_sheet_saved_while_round_closes_is_counted_or_refused():
    contest = ContestFactory(opens_at=timezone.now() - dt.timedelta(days=9), closes_at=timezone.now() - dt.timedelta(days=1))
    idea = CriterionFactory(contest=contest, max_points=10)
    judges = [JudgeAssignmentFactory(contest=contest).judge for _ in range(3)]
    entry = EntryFactory(contest=contest)
    organizer = UserFactory(is_staff=True)

    def act(i):
        if i == 3:
            return services.round_close(contest=contest, actor=organizer)
        return services.score_sheet_submit(judge=judges[i], entry=entry, points={idea.pk: 7})

    outcomes = run_together(act, n=4)

    assert all(isinstance(o, (list, ValidationError, DatabaseError)) or hasattr(o, "is_open") for o in outcomes)
    saved_judges = {judges[i].pk for i, o in enumerate(outcomes[:3]) if isinstance(o, list)}
    assert set(Score.objects.values_list("judge_id", flat=True)) == saved_judges
