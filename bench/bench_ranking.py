"""Benchmark: the contest ranking for a large contest, in Python and in the
database, and the organizer's results page for it.

    .venv/bin/python bench/bench_ranking.py                  # 10,000 entries, 10 judges each, 5 criteria
    .venv/bin/python bench/bench_ranking.py --entries 1000   # quicker
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_ranking.py --keep   # another database

It builds a throwaway SQLite database in a temporary folder (or uses
DATABASE_URL when given; then the tables must be empty and are left as
they are only with --keep), migrates it, and bulk-loads one closed contest:
3 age categories, 5 weighted criteria, a panel of `--judges` judges of
whom `--per-entry` score every entry (balanced, round robin), so
entries x per-entry x 5 scores.

Measured, each the median of `--repeat` runs (wall clock, this process):
- python: `judging.selectors.contest_ranking` (the page's path): loads every
  score with one query and ranks with `judging.scoring.aggregate`, with
  z-score normalization, medians and top-3 tie-breaks;
- aggregate only: `scoring.aggregate` on the already computed sheet totals;
- database: `judging.selectors.ranking_in_database`, one SQL statement that
  computes sheet totals, per-judge z-scores, means and RANK() per category
  (no median / top-3 tie-breaks);
- page: GET of the organizer's results page through the test client.
Query counts come from `CaptureQueriesContext`. Not a test: it asserts
nothing but that both paths agree on every rank the mean alone decides.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--per-entry", type=int, default=10, help="judges per entry (default 10)")
    parser.add_argument("--judges", type=int, default=40, help="judges on the panel (default 40)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--normalization", choices=["raw", "zscore"], default="zscore")
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
    print(
        f"database: {connection.vendor}; {args.entries:,} entries x {args.per_entry} judges x 5 criteria "
        f"= {args.entries * args.per_entry * 5:,} scores; panel of {args.judges}; normalization {args.normalization}"
    )

    from judging import scoring, selectors

    def measure(label, fn):
        times, result, queries = [], None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - start)
            queries = len(ctx.captured_queries)
        print(f"{label:<34} {statistics.median(times):8.3f} s   {queries:3d} queries")
        return result

    ranking = measure("python (contest_ranking)", lambda: selectors.contest_ranking(contest=contest))
    _blocks, settings_, rnd, _rounds, sheets, _result, _names = selectors._ranking(contest=contest)
    categories = {}
    for block in ranking:
        for row in block.rows:
            categories[row.entry_id] = block.category.pk
    measure(
        "  of which scoring.aggregate",
        lambda: scoring.aggregate(
            sheets=sheets, categories=categories, normalization=args.normalization, min_judges=args.per_entry
        ),
    )
    db_rows = measure(
        "database (ranking_in_database)",
        lambda: selectors.ranking_in_database(contest=contest, round_number=1, normalization=args.normalization),
    )

    client = Client()
    client.force_login(organizer)
    url = reverse("judging:results", args=[contest.slug])

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    response = measure("results page (GET, rendered)", page)
    print(f"results page size: {len(response.content) / 1e6:.1f} MB")

    python_rank = {row.entry_id: (row.rank, row.tie_break) for block in ranking for row in block.rows}
    decided = [(entry_id, rank) for entry_id, _cat, _raw, _norm, _n, rank in db_rows if python_rank[entry_id][1] == ""]
    agree = sum(1 for entry_id, rank in decided if python_rank[entry_id][0] == rank)
    print(f"ranks decided by the mean alone: {len(decided):,}; python and database agree on {agree:,}")
    # Whole process: loading, migrating and every repeat included.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"whole process: {time.perf_counter() - process_start:.0f} s wall, peak RSS {peak:,.0f} MB")
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
