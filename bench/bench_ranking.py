"""Benchmark: the contest ranking for a large contest, beside a reference
ranking measured in the same run, and the organizer's results page and
home for it.

    .venv/bin/python bench/bench_ranking.py                  # 10,000 entries, 10 judges each, 5 criteria
    .venv/bin/python bench/bench_ranking.py --entries 1000   # quicker
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_ranking.py --keep   # another database

It builds a throwaway SQLite database in a temporary folder (or uses
DATABASE_URL when given; then the tables must be empty and are left as
they are only with --keep), migrates it, bulk-loads one closed contest
(3 age categories, 5 weighted criteria, a panel of `--judges` judges of
whom `--per-entry` score every entry, balanced, round robin: entries x
per-entry x 5 scores) and analyzes the tables, as after any bulk load; on
PostgreSQL the session gets `--work-mem` (64MB) so that neither the
reference nor the portal spills its grouping to disk.

Printed as `name=value` lines, each the median of `--repeat` runs (wall
clock, this process), with its query count:
- reference_s: the reference ranking: sheet totals summed by the database
  (one GROUP BY, floats), per-judge z-scores, means, medians and the sort
  per category in plain Python floats (no tie-breaks, no agreement);
- ranking_s: `selectors.contest_ranking(cached=False)`, the ranking
  computed afresh (integer sheet totals summed by the database, the exact
  ranking with tie-breaks, spreads and agreement: what the cache holds);
- ranking_cached_s: `selectors.contest_ranking` with the figures cached;
- results_page_s: GET of the organizer's results page, figures cached (the
  case of every request but the first after a change), and
  results_page_cold_s right after a change (the figures computed);
- organize_s: GET of the organizers' home (/organize/), figures cached;
- previous_s: the previous implementation (every score through the ORM,
  Decimal totals, `aggregate` of tests/judging/reference_ranking.py, where
  the tests keep it as the reference the new ranking must equal): the
  bench checks that every rank, tie flag and tie-break is the same;
- database_s: `selectors.ranking_in_database` (one NUMERIC statement).
Not a test: it asserts only that the rankings agree.
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFERENCE_SQL = """
SELECT s.judge_id, s.entry_id, e.age_category_id,
       100.0 * SUM(1.0 * c.weight * s.points / c.max_points) / SUM(1.0 * c.weight)
FROM judging_score s
JOIN judging_criterion c ON c.id = s.criterion_id
JOIN contest_entry e ON e.id = s.entry_id
WHERE c.contest_id = %s AND c.round_number = 1
GROUP BY s.judge_id, s.entry_id, e.age_category_id
HAVING COUNT(*) = %s
"""


def reference_ranking(connection, contest_id, criteria):
    """SQL totals + Python z-scores, mean, median and sort, in floats."""
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, [contest_id, criteria])
        rows = [(j, e, c, float(t)) for j, e, c, t in cursor.fetchall()]
    totals = [t for *_x, t in rows]
    pm = sum(totals) / len(totals)
    psd = math.sqrt(max(0.0, sum(t * t for t in totals) / len(totals) - pm * pm))
    by_judge = defaultdict(list)
    for j, _e, _c, t in rows:
        by_judge[j].append(t)
    stats = {}
    for j, values in by_judge.items():
        m = sum(values) / len(values)
        stats[j] = (m, math.sqrt(max(0.0, sum(v * v for v in values) / len(values) - m * m)))
    by_entry = defaultdict(list)
    category = {}
    for j, e, c, t in rows:
        m, sd = stats[j]
        by_entry[e].append(pm + psd * (t - m) / sd if sd > 0 else t)
        category[e] = c
    lines = defaultdict(list)
    for e, values in by_entry.items():
        values.sort()
        k = len(values)
        median = values[k // 2] if k % 2 else (values[k // 2 - 1] + values[k // 2]) / 2
        lines[category[e]].append((-round(sum(values) / k, 2), -round(median, 2), e))
    for own in lines.values():
        own.sort()
    return lines


def previous_ranking(contest, rnd, criteria_rows, args):
    """The previous implementation: every score through the ORM, Decimal
    totals by `scoring.sheet_totaller`, the reference `aggregate`."""
    from judging import selectors
    from tests.judging.reference_ranking import aggregate

    entries = dict(selectors.round_entries(contest=contest, round=rnd).values_list("id", "age_category_id"))
    sheets, _partial = selectors.round_sheets(contest=contest, round=rnd, criteria=criteria_rows, entry_ids=set(entries))
    return aggregate(
        sheets=sheets, categories=entries, normalization=args.normalization, min_judges=args.per_entry
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--per-entry", type=int, default=10, help="judges per entry (default 10)")
    parser.add_argument("--judges", type=int, default=40, help="judges on the panel (default 40)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--normalization", choices=["raw", "zscore"], default="zscore")
    parser.add_argument("--work-mem", default="64MB", help="PostgreSQL work_mem for the session (default 64MB)")
    parser.add_argument("--keep", action="store_true", help="keep the database (only with DATABASE_URL)")
    args = parser.parse_args()
    process_start = time.perf_counter()

    tmp = tempfile.TemporaryDirectory(prefix="bench-ranking-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", tmp.name)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    contest, organizer = load(args)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "postgresql":
            # Enough memory to group 100,000 sheets without spilling to
            # disk, for the reference and the portal alike (--work-mem).
            cursor.execute(f"SET work_mem = '{args.work_mem}'")
    print(
        f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
        f"{args.entries:,} entries x {args.per_entry} judges x 5 criteria = {args.entries * args.per_entry * 5:,} "
        f"scores; panel of {args.judges}; normalization {args.normalization}"
    )

    from judging import selectors

    def measure(name, fn, before=None):
        times, result, queries = [], None, 0
        for _ in range(args.repeat):
            if before:
                before()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
        print(f"{name}={statistics.median(times):.3f}  # {queries} queries")
        return result

    rnd = selectors.round_current(contest=contest)
    criteria_rows = selectors.scoring_criteria(contest=contest, round_number=rnd.number)
    measure("reference_s", lambda: reference_ranking(connection, contest.pk, len(criteria_rows)))
    ranking = measure("ranking_s", lambda: selectors.contest_ranking(contest=contest, cached=False))
    measure("ranking_cached_s", lambda: selectors.contest_ranking(contest=contest))

    client = Client()
    client.force_login(organizer)

    def get(url):
        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response
        return page

    results_url = reverse("judging:results", args=[contest.slug])
    get(results_url)()
    response = measure("results_page_s", get(results_url))
    measure(
        "results_page_cold_s", get(results_url), before=lambda: selectors.ranking_version_bump(contest_id=contest.pk)
    )
    get(reverse("organize:home"))()
    measure("organize_s", get(reverse("organize:home")))
    print(f"results_page_kb={len(response.content) / 1000:.0f}")
    core = selectors.ranking_core_cached(
        contest=contest, round_number=rnd.number, criteria=criteria_rows, settings=selectors.judging_settings_get(
            contest=contest), entry_categories={},
    )
    print(f"cached_figures_kb={len(pickle.dumps(core)) / 1000:.0f}")

    previous = measure("previous_s", lambda: previous_ranking(contest, rnd, criteria_rows, args))
    measure(
        "database_s",
        lambda: selectors.ranking_in_database(contest=contest, round_number=1, normalization=args.normalization),
    )
    new = {row.entry_id: (row.rank, row.tie, row.tie_break) for block in ranking for row in block.rows}
    old = {line.entry: (line.rank, line.tie, line.tie_break) for lines in previous.categories.values() for line in lines}
    same = sum(1 for entry, value in old.items() if new.get(entry) == value)
    print(f"same_rank_and_tie_as_previous={same}/{len(old)}  # ties: {sum(1 for v in old.values() if v[1])}")
    assert same == len(old) == len(new), "the ranking differs from the previous implementation"
    # Whole process: loading, migrating and every repeat included.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"# whole process: {time.perf_counter() - process_start:.0f} s wall, peak RSS {peak:,.0f} MB")
    tmp.cleanup()


def load(args):
    """Bulk-load the contest; returns (contest, organizer)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from contest.models import AgeCategory, Contest, ContestRole, Entry
    from judging.models import Criterion, JudgeAssignment, JudgingSettings, Score

    User = get_user_model()
    now = timezone.now()
    start = time.perf_counter()
    with transaction.atomic():
        contest = Contest.objects.create(
            title="Benchmark", slug=f"bench-{uuid.uuid4().hex[:8]}", theme="t", rules="r",
            opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=30),
            age_reference_date=now.date(),
        )
        JudgingSettings.objects.create(contest=contest, normalization=args.normalization, min_judges=args.per_entry)
        categories = [
            AgeCategory.objects.create(contest=contest, name=name, min_age=lo, max_age=hi)
            for name, lo, hi in (("6-9", 6, 9), ("10-13", 10, 13), ("14-17", 14, 17))
        ]
        criteria = [
            Criterion.objects.create(contest=contest, name=f"C{i}", weight=Decimal(w), max_points=m, order=i)
            for i, (w, m) in enumerate([(2, 10), (1, 10), (1, 5), (1, 10), (Decimal("0.5"), 5)])
        ]
        organizer = User.objects.create_user(f"org-{contest.slug}", password="x")
        ContestRole.objects.create(contest=contest, user=organizer, role=ContestRole.Role.ORGANIZER)
        judges = User.objects.bulk_create(
            [User(username=f"j{i}-{contest.slug}", password="!") for i in range(args.judges)]
        )
        JudgeAssignment.objects.bulk_create([JudgeAssignment(contest=contest, judge=j) for j in judges])
        entries = Entry.objects.bulk_create(
            [
                Entry(
                    contest=contest, age_category=categories[i % 3], reference=f"B{i:06d}"[:9] + "",
                    child_first_name="A", child_last_name="B", child_birth_date=now.date(), child_age=6 + (i % 12),
                    country="KG", region="Osh", title=f"Drawing {i}", guardian_name="G",
                    guardian_email="g@example.org", consent_version="1", consent_given_at=now,
                    original=f"originals/bench/{i}", processing_status="ready", moderation_status="approved",
                    guardian_confirmed_at=now,
                )
                for i in range(args.entries)
            ],
            batch_size=2000,
        )
    # Each judge has a lean (strict or lenient) and every entry a quality,
    # so normalization has something to correct; pseudo-random but fixed.
    batch = []
    for n, entry in enumerate(entries):
        quality = (n * 7919) % 101 / 100
        for k in range(args.per_entry):
            j = (n * args.per_entry + k) % len(judges)
            lean = (j % 5 - 2) / 10
            for c, criterion in enumerate(criteria):
                noise = ((n * 31 + j * 17 + c * 13) % 21 - 10) / 50
                share = min(1, max(0, quality + lean + noise))
                points = Decimal(round(share * criterion.max_points))
                batch.append(Score(judge=judges[j], entry=entry, criterion=criterion, points=points,
                                   max_points=criterion.max_points))
        if len(batch) >= 50_000:
            Score.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Score.objects.bulk_create(batch, batch_size=5000)
    print(f"loaded in {time.perf_counter() - start:.1f} s")
    return contest, organizer


if __name__ == "__main__":
    main()
