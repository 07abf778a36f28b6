"""Integer-scaled sheets as numpy arrays (`SheetArrays`) and the few
vector operations the ranking and the agreement figures are made of:
per-entry and per-judge integer sums, values sorted within each entry,
rounding to hundredths and average ranks. No Django.

Every integer sum is exact: `SheetArrays.of` refuses (returns None)
sheets whose sums of squares could reach 2**53, and the callers then
take the pure Python path, which gives the same figures. Floats come out
of the same IEEE operations, in the same order, as the pure Python path
(`scaled`), so both paths round alike.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np

EXACT_LIMIT = 2**53  # integer sums stay below it (float64 bincounts are then exact too)


class SheetArrays:
    """Complete sheets as int64 arrays sorted by entry (stable: the sheets
    of one entry keep their order): `judge`, `entry`, `units` per sheet;
    `entries` the distinct entries ascending, `entry_code` each sheet's
    index into them, `starts` / `counts` / `sums` / `squares` per entry;
    `judges`, `judge_code`, `judge_counts` / `judge_sums` /
    `judge_squares` per judge."""

    def __init__(self, judge: np.ndarray, entry: np.ndarray, units: np.ndarray):
        order = np.argsort(entry, kind="stable")
        self.judge, self.entry, self.units = judge[order], entry[order], units[order]
        self.size = len(self.units)
        boundaries = np.flatnonzero(self.entry[1:] != self.entry[:-1]) + 1 if self.size else np.empty(0, np.int64)
        self.starts = np.concatenate(([0], boundaries)).astype(np.int64) if self.size else np.empty(0, np.int64)
        self.entries = self.entry[self.starts]
        self.counts = np.diff(np.append(self.starts, self.size))
        self.entry_code = np.repeat(np.arange(len(self.starts)), self.counts)
        self.sums = segment_sums(self.units, self.starts)
        self.squares = segment_sums(self.units * self.units, self.starts)
        self.judges, self.judge_code = np.unique(self.judge, return_inverse=True)
        self.judge_code = self.judge_code.reshape(-1)
        self.judge_counts = np.bincount(self.judge_code, minlength=len(self.judges))
        self.judge_sums = np.bincount(self.judge_code, weights=self.units, minlength=len(self.judges)).astype(np.int64)
        self.judge_squares = np.bincount(
            self.judge_code, weights=self.units * self.units, minlength=len(self.judges)
        ).astype(np.int64)

    @classmethod
    def of(cls, judge, entry, units) -> SheetArrays | None:
        """The arrays of (judge, entry, units) sequences of integers; None
        when a value is not an integer or the sums could lose exactness."""
        try:
            arrays = [np.asarray(values) for values in (judge, entry, units)]
        except (TypeError, ValueError):
            return None
        if any(a.dtype.kind not in "iu" for a in arrays if a.size) or len({a.size for a in arrays}) != 1:
            return None
        judge, entry, units = (a.astype(np.int64) for a in arrays)
        if units.size:
            big = max(abs(int(units.max())), abs(int(units.min())))
            if units.size * big * big >= EXACT_LIMIT:
                return None
        return cls(judge, entry, units)

    def keep(self, mask: np.ndarray) -> SheetArrays:
        """The sheets where `mask` (per sheet, in this order) is True."""
        return SheetArrays(self.judge[mask], self.entry[mask], self.units[mask])

    def triples(self) -> list[tuple[int, int, int]]:
        """The sheets as (judge, entry, units) tuples of Python ints."""
        return list(zip(self.judge.tolist(), self.entry.tolist(), self.units.tolist()))


def segment_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of `values` over the segments beginning at `starts` (int64, exact)."""
    if not len(starts):
        return np.zeros(0, dtype=values.dtype)
    return np.add.reduceat(values, starts)


def rows_by_count(counts: np.ndarray) -> dict[int, np.ndarray]:
    """Segment count -> indexes of the segments of that count."""
    return {int(k): np.flatnonzero(counts == k) for k in np.unique(counts)}


def within(starts: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` values of each segment in `rows` (a matrix,
    one segment a line)."""
    return starts[rows][:, None] + np.arange(k)


def sequential_sums(matrix: np.ndarray) -> np.ndarray:
    """Row sums added left to right, as Python's `sum` adds a list (the
    same float on both paths)."""
    total = matrix[:, 0].copy()
    for column in range(1, matrix.shape[1]):
        total = total + matrix[:, column]
    return total


def float_cents(values: np.ndarray, boundary: float) -> tuple[np.ndarray, np.ndarray]:
    """`values` in hundredths, rounded half up (away from zero), and the
    mask of those within `boundary` hundredths of a rounding boundary
    (whose hundredths the caller computes exactly instead)."""
    hundredths = values * 100
    magnitude = np.abs(hundredths)
    near = np.abs(magnitude % 1 - 0.5) < boundary
    return (np.sign(hundredths) * np.floor(magnitude + 0.5)).astype(np.int64), near


def int_cents(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator (> 0) in hundredths, rounded half up (away
    from zero), exactly (as `scaled.cents`)."""
    sign = np.where(numerator < 0, -1, 1)
    return sign * ((200 * np.abs(numerator) + denominator) // (2 * denominator))


def doubled_ranks(values: np.ndarray) -> np.ndarray:
    """Twice the average ranks 1..n (ascending, ties sharing their mean),
    as `scaled_agreement.doubled_ranks`."""
    n = len(values)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.concatenate(([True], ordered[1:] != ordered[:-1])) if n else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], n) - 1
    group = np.cumsum(first) - 1
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = (starts + ends + 2)[group]
    return ranks


def top_votes(arrays: SheetArrays, category_code: np.ndarray, n: int) -> np.ndarray:
    """Per entry of `arrays`, how many judges put it in their own top `n`
    of its category (`category_code` per entry), ties at place n counting."""
    votes = np.zeros(len(arrays.entries), dtype=np.int64)
    if not arrays.size:
        return votes
    group = arrays.judge_code * (int(category_code.max()) + 1) + category_code[arrays.entry_code]
    order = np.lexsort((-arrays.units, group))
    grouped, units = group[order], arrays.units[order]
    first = np.concatenate(([True], grouped[1:] != grouped[:-1]))
    starts = np.flatnonzero(first)
    sizes = np.diff(np.append(starts, len(grouped)))
    threshold = units[starts + np.minimum(n, sizes) - 1]
    counted = units >= threshold[np.cumsum(first) - 1]
    return np.bincount(arrays.entry_code[order][counted], minlength=len(arrays.entries))


def codes(keys: Sequence[Hashable], mapping: Mapping[Hashable, Hashable]) -> tuple[np.ndarray, list[Hashable]]:
    """Each key's value in `mapping` as a code (int64), and the values by
    code in order of first appearance in `mapping`."""
    found: dict[Hashable, int] = {}
    for value in mapping.values():
        found.setdefault(value, len(found))
    return np.array([found[mapping[k]] for k in keys], dtype=np.int64), list(found)
