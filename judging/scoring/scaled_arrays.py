"""The per-entry figures of a ranking on numpy arrays (the vector path of
`scaled.aggregate_scaled`). No Django."""

from __future__ import annotations

import numpy as np

from . import arrays
from .lines import TOP_N_VOTE
from .rounding import BOUNDARY, float_cents


def entry_figures_arrays(*, scaled, categories, params, pooled, exact, zscore: bool) -> dict:
    """entry -> (entry, (mean, median, top-3 votes), raw mean, normalized
    mean, sheets), figures in hundredths, from the arrays of `scaled` (a
    `scaled.ScaledRound`, numpy):
    the same floats, hundredths and exact recomputation near x.xx5 as the
    pure Python path (`scaled._entry_figures`). `params`: judge -> (mean,
    SD) floats or None (not normalized), `pooled` (mean, SD), `exact`
    (judge, units) -> the normalized total in Decimal."""
    a = scaled.arrays
    if not a.size:
        return {}
    num, den = scaled.scale.numerator, scaled.scale.denominator
    totals = a.units * (num / den)
    if params is not None:
        fitted = [params[j] for j in a.judges.tolist()]
        used = np.array([p is not None for p in fitted], dtype=bool)
        means = np.array([p[0] if p else 0.0 for p in fitted])
        sds = np.array([p[1] if p else 1.0 for p in fitted])
        pm, psd = pooled
        code = a.judge_code
        norm = np.where(used[code], pm + psd * (totals - means[code]) / sds[code], totals)
    else:
        norm = totals
    raw_cents = arrays.int_cents(a.sums * num, a.counts * den)
    by_value = np.lexsort((norm, a.entry_code))
    by_units = np.lexsort((a.units, a.entry_code))
    norm_mean = np.empty(len(a.entries))
    median = np.empty(len(a.entries))
    median_picks: dict[int, tuple] = {}
    median_units = np.empty(len(a.entries), dtype=np.int64)
    median_count = np.empty(len(a.entries), dtype=np.int64)
    for k, rows in arrays.rows_by_count(a.counts).items():
        positions = arrays.within(a.starts, rows, k)
        ordered = by_value[positions]
        matrix = norm[ordered]
        norm_mean[rows] = arrays.sequential_sums(matrix) / k
        mid = k // 2
        if k % 2:
            median[rows] = matrix[:, mid] / 1
            median_picks[k] = (rows, ordered[:, mid:mid + 1])
            median_units[rows], median_count[rows] = a.units[by_units[positions[:, mid]]], 1
        else:
            median[rows] = (matrix[:, mid - 1] + matrix[:, mid]) / 2
            median_picks[k] = (rows, ordered[:, mid - 1:mid + 1])
            picked = a.units[by_units[positions[:, mid - 1]]] + a.units[by_units[positions[:, mid]]]
            median_units[rows], median_count[rows] = picked, 2
    judges, units = a.judge.tolist(), a.units.tolist()

    def sheets_of(row: int, indexes) -> list[tuple]:
        return [(judges[i], units[i]) for i in indexes]

    norm_cents = _cents_of(norm_mean, lambda row: (lambda own=sheets_of(
        row, range(a.starts[row], a.starts[row] + a.counts[row])): sum(sorted(exact(j, u) for j, u in own)) / len(own)))
    if zscore:
        picks_of = {}
        for rows, picked in median_picks.values():
            picks_of.update(zip(rows.tolist(), picked.tolist()))
        median_cents = _cents_of(median, lambda row: (lambda own=sheets_of(row, picks_of[row]): sum(
            exact(j, u) for j, u in own) / len(own)))
        mean_cents = norm_cents
    else:
        median_cents = arrays.int_cents(median_units * num, median_count * den)
        mean_cents = raw_cents
    category_code, _order = arrays.codes(a.entries.tolist(), categories)
    votes = arrays.top_votes(a, category_code, TOP_N_VOTE)
    return {
        entry: (entry, (m, md, v), r, nc, k)
        for entry, m, md, v, r, nc, k in zip(
            a.entries.tolist(), mean_cents.tolist(), median_cents.tolist(), votes.tolist(), raw_cents.tolist(),
            norm_cents.tolist(), a.counts.tolist(),
        )
    }


def _cents_of(values: np.ndarray, exact_of) -> np.ndarray:
    """`rounding.float_cents` of every value; `exact_of(index)` gives the exact
    figure's function for the few values near x.xx5."""
    found, near = arrays.float_cents(values, BOUNDARY)
    for index in np.flatnonzero(near).tolist():
        found[index] = float_cents(float(values[index]), exact_of(index))
    return found
