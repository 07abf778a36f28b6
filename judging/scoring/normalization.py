"""Per-judge z-score normalization of the totals of one round (no Django)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .figures import mean, population_sd
from .totals import Sheet

RAW = "raw"
ZSCORE = "zscore"
# A judge needs this many sheets in a round before z-scores mean anything.
MIN_SHEETS_FOR_ZSCORE = 3


@dataclass(frozen=True)
class JudgeNormalization:
    """A judge's mean and population standard deviation over the round;
    `used` is False when the judge falls back to raw totals."""

    mean: Decimal
    sd: Decimal
    sheets: int
    used: bool


def normalize(sheets: Sequence[Sheet]) -> tuple[dict[tuple[Hashable, Hashable], Decimal], dict[Hashable, JudgeNormalization]]:
    """Per-judge z-score normalization of the sheets of one round.

    For judge j with totals t over all entries j scored in the round (all
    categories), z = (t - mean_j) / sd_j with the population standard
    deviation. To keep the figure on the 0-100 scale of raw totals (and
    comparable with the totals of judges who fall back), z is mapped back
    with the pooled mean M and population standard deviation S of all
    sheets of the round: normalized = M + S * z. The affine map changes no
    ranking among normalized judges; it only puts fallbacks on one scale.

    A judge with fewer than `MIN_SHEETS_FOR_ZSCORE` sheets or zero spread
    keeps raw totals (z-scores of two numbers, or of identical ones, say
    nothing). If S is 0 every total is equal and raw totals are returned.

    Returns ({(judge, entry): normalized total}, {judge: JudgeNormalization}).
    """
    by_judge: dict[Hashable, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        by_judge[sheet.judge].append(sheet)
    totals = [s.total for s in sheets]
    pooled_mean = mean(totals) if totals else Decimal(0)
    pooled_sd = population_sd(totals)

    normalized: dict[tuple[Hashable, Hashable], Decimal] = {}
    stats: dict[Hashable, JudgeNormalization] = {}
    for judge, own in by_judge.items():
        values = [s.total for s in own]
        judge_mean = mean(values)
        judge_sd = population_sd(values)
        used = len(values) >= MIN_SHEETS_FOR_ZSCORE and judge_sd > 0 and pooled_sd > 0
        stats[judge] = JudgeNormalization(mean=judge_mean, sd=judge_sd, sheets=len(values), used=used)
        for s in own:
            normalized[(judge, s.entry)] = (
                pooled_mean + pooled_sd * (s.total - judge_mean) / judge_sd if used else s.total
            )
    return normalized, stats
