"""The ranking as a pure function of numbers (no Django, no database).

Units: a judge gives *points* per criterion, from 0 to that criterion's
`max_points`. A judge's *total* for one entry (one score sheet) is on a
0-100 scale:

    total = 100 * sum(w_i * p_i / max_i) / sum(w_i)

where, for every criterion i of the round, w_i is its weight, p_i the
judge's points and max_i its maximum. Dividing by max_i makes a criterion
scored out of 5 count as much as one scored out of 10 with the same weight;
dividing by sum(w_i) keeps the total between 0 and 100 whatever the weights.
Only complete sheets count (a judge halfway through a sheet does not count).

`scaled.aggregate_scaled` turns the complete sheets of one round
(integer-scaled totals) into a ranking per category; see its docstring
for normalization and tie-breaking. The
agreement statistics (`kendalls_w`, `krippendorff_alpha_interval`,
`judge_outliers`) and `histogram` serve the organizer's results page.

The Decimal helpers here compute in 28 significant digits; the ranking
itself is exact on integers (`scaled`).
Rankings compare figures rounded to `MEAN_PLACES` decimals, the precision
organizers see, so two entries shown with the same figures always share
a rank.

The package, by concern: `figures` (means, medians, spreads, display
rounding, histograms), `totals` (score sheets and their totals),
`normalization` (per-judge z-scores), `lines` (a ranking's lines and
tie-breaks), `agreement` (Kendall's W, Krippendorff's alpha, outliers),
and `scaled` / `scaled_agreement` (the ranking and agreement on integer
totals). Every public name of the first five is re-exported here:
`from judging import scoring` is enough.
"""

from .agreement import (
    DISAGREEMENT_SD, OUTLIER_GAP, OUTLIER_RHO, EntrySpread, entry_spreads, judge_outliers,
    kendalls_w, krippendorff_alpha_interval, spearman,
)
from .figures import HUNDRED, MEAN_PLACES, histogram, mean, mean_display, median, population_sd
from .lines import TOP_N_VOTE, Aggregate, EntryRanking, RankingLines, TieBreak
from .normalization import MIN_SHEETS_FOR_ZSCORE, RAW, ZSCORE, JudgeNormalization, normalize
from .totals import Criterion, EntryResult, Ranked, Sheet, entry_result, rank, sheet_total, sheet_totaller

__all__ = [
    "DISAGREEMENT_SD", "HUNDRED", "MEAN_PLACES", "MIN_SHEETS_FOR_ZSCORE", "OUTLIER_GAP", "OUTLIER_RHO", "RAW",
    "TOP_N_VOTE", "ZSCORE", "Aggregate", "Criterion", "EntryRanking", "EntryResult", "EntrySpread",
    "JudgeNormalization", "RankingLines", "Ranked", "Sheet", "TieBreak", "entry_result", "entry_spreads", "histogram",
    "judge_outliers", "kendalls_w", "krippendorff_alpha_interval", "mean", "mean_display", "median", "normalize",
    "population_sd", "rank", "sheet_total", "sheet_totaller", "spearman",
]
