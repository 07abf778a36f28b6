"""The ranking computed by the database in one statement (the benchmark's
cross-check of the Python path, `ranking.contest_ranking`)."""

from __future__ import annotations

import numpy as np
from django.db import connection

from contest.models import Contest

from .. import scoring
from ..models import Criterion

_RANKING_SQL = """
WITH sheet AS (
    SELECT s.judge_id, s.entry_id,
           100.0 * SUM(1.0 * c.weight * s.points / c.max_points) / SUM(1.0 * c.weight) AS total
    FROM judging_score s
    JOIN judging_criterion c ON c.id = s.criterion_id
    WHERE c.contest_id = %(contest)s AND c.round_number = %(round)s
      AND NOT EXISTS (SELECT 1 FROM judging_conflict k WHERE k.judge_id = s.judge_id AND k.entry_id = s.entry_id)
    GROUP BY s.judge_id, s.entry_id
    HAVING COUNT(*) = %(criteria)s
),
judge AS (
    SELECT judge_id, AVG(total) AS m, SQRT(MAX(AVG(total * total) - AVG(total) * AVG(total), 0)) AS sd,
           COUNT(*) AS n
    FROM sheet GROUP BY judge_id
),
pooled AS (
    SELECT AVG(total) AS m, SQRT(MAX(AVG(total * total) - AVG(total) * AVG(total), 0)) AS sd FROM sheet
),
normalized AS (
    SELECT sheet.entry_id, sheet.total,
           CASE WHEN judge.n >= 3 AND judge.sd > 1e-9 AND pooled.sd > 1e-9
                THEN pooled.m + pooled.sd * (sheet.total - judge.m) / judge.sd
                ELSE sheet.total END AS norm
    FROM sheet JOIN judge ON judge.judge_id = sheet.judge_id CROSS JOIN pooled
),
per_entry AS (
    SELECT e.id AS entry_id, e.age_category_id, AVG(n.total) AS raw_mean, AVG(n.norm) AS norm_mean, COUNT(*) AS judges
    FROM normalized n JOIN contest_entry e ON e.id = n.entry_id
    GROUP BY e.id, e.age_category_id
)
SELECT entry_id, age_category_id, raw_mean, norm_mean, judges,
       RANK() OVER (PARTITION BY age_category_id ORDER BY ROUND(%(figure)s, 2) DESC) AS rank
FROM per_entry
ORDER BY age_category_id, rank, entry_id
"""


def ranking_in_database(*, contest: Contest, round_number: int = 1, normalization: str = scoring.RAW) -> list[tuple]:
    """The ranking computed by the database in one statement: sheet totals,
    per-judge z-scores, means and the rank per category (rows of entry id,
    category id, raw mean, normalized mean, judges, rank). It ranks on the
    mean only: the median and top-3 tie-breaks, completeness and the
    flagging of ties stay with `judging.scoring.scaled`. Used by the
    benchmark (bench/bench_ranking.py) to compare with the Python path;
    SQLite needs its math functions (SQRT), PostgreSQL has them; SQLite
    keeps whole decimals as integers, hence the `1.0 *` against integer
    division. Two queries."""
    criteria = Criterion.objects.filter(contest=contest, round_number=round_number).count()
    figure = "norm_mean" if normalization == scoring.ZSCORE else "raw_mean"
    sql = _RANKING_SQL.replace("%(figure)s", figure)
    if connection.vendor == "postgresql":
        sql = sql.replace("MAX(AVG(total * total) - AVG(total) * AVG(total), 0)",
                          "GREATEST(AVG(total * total) - AVG(total) * AVG(total), 0)")
        sql = sql.replace("ROUND(norm_mean, 2)", "ROUND(norm_mean::numeric, 2)").replace(
            "ROUND(raw_mean, 2)", "ROUND(raw_mean::numeric, 2)")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"contest": contest.pk, "round": round_number, "criteria": criteria})
        return cursor.fetchall()


def sheet_units(*, factors: dict[int, tuple[int, int]]) -> np.ndarray:
    """Per contest, judge and entry, what the database sums of the judge's
    points on the given criteria (`factors`: criterion id -> (integer
    factor of `scoring.scaled.sheet_scale`, contest id)): an int64 array
    of rows (contest id, judge id, entry id, units, criteria scored),
    `units` the integer-scaled total sum(factor_i * points_i * 10) (exact:
    integers only). Scores of judges who declared a conflict are left
    out. One query, for any number of contests; none without criteria."""
    if not factors:
        return np.empty((0, 5), dtype=np.int64)
    weights = " ".join(f"WHEN {int(pk)} THEN {int(factor)}" for pk, (factor, _c) in factors.items())
    contest_ids = {int(contest) for _f, contest in factors.values()}
    if len(contest_ids) == 1:
        contest = str(contest_ids.pop())
    else:
        contest = "MIN(CASE s.criterion_id " + " ".join(
            f"WHEN {int(pk)} THEN {int(c)}" for pk, (_f, c) in factors.items()) + " END)"
    ids = ", ".join(str(int(pk)) for pk in factors)
    # Points carry one decimal (NUMERIC(5,1): |points * 10| < 100,000).
    # Summed as 4-byte integers when the products fit (PostgreSQL then
    # sums in 8 bytes, far cheaper than its NUMERIC sum of 8-byte ones).
    narrow = max(abs(int(factor)) for factor, _c in factors.values()) * 100_000 < 2**31
    kind = "INT" if narrow else "BIGINT"
    tenths = "s.points * 10" if connection.vendor == "postgresql" else "ROUND(s.points * 10)"
    sql = f"""
        SELECT {contest}, s.judge_id, s.entry_id,
               CAST(SUM(CAST({tenths} AS {kind}) * CASE s.criterion_id {weights} END) AS BIGINT), COUNT(*)
        FROM judging_score s
        WHERE s.criterion_id IN ({ids})
          AND (s.judge_id, s.entry_id) NOT IN (SELECT k.judge_id, k.entry_id FROM judging_conflict k)
        GROUP BY s.judge_id, s.entry_id
    """
    # One group per sheet (100,000 for 10,000 entries): PostgreSQL groups
    # them in memory from a work_mem of about 32 MB (the default 4 MB
    # spills to disk); see the README's Benchmarks. The conflicts are a
    # hashed NOT IN (a NOT EXISTS on an empty conflict table was planned
    # as a nested loop over every score).
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, 5)
