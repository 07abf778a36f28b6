"""The agreement statistics of `judging.scoring` against references (no
database): Krippendorff's alpha (interval) against the `krippendorff`
package and Krippendorff's own worked example, Kendall's W against a hand-
computed table and against its identity with the mean Spearman correlation.
"""

import math
from decimal import Decimal

import krippendorff
import numpy as np
import pytest

from judging import scoring

pytestmark = pytest.mark.unit

NAN = float("nan")

# Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability",
# Annenberg School for Communication, University of Pennsylvania, section C
# ("nominal data, any number of observers, missing data", the same table
# read at other levels): four observers, twelve units, values 1-5, blanks
# missing. The paper gives alpha_interval = 0.849.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def _units(table):
    """Observers x units (NaN missing) -> per unit, the values given, as
    `krippendorff_alpha_interval` takes them."""
    columns = zip(*table)
    return [[Decimal(repr(v)) for v in column if not math.isnan(v)] for column in columns]


def _ours(table) -> float:
    return float(scoring.krippendorff_alpha_interval(_units(table)))


def _reference(table) -> float:
    return float(krippendorff.alpha(reliability_data=np.array(table, dtype=float), level_of_measurement="interval"))


def test_alpha_matches_krippendorffs_worked_example():
    assert round(_ours(KRIPPENDORFF_2011), 3) == 0.849
    assert _ours(KRIPPENDORFF_2011) == pytest.approx(_reference(KRIPPENDORFF_2011), abs=1e-12)


@pytest.mark.parametrize(
    "table",
    [
        # Perfect agreement except one unit.
        [[10, 20, 30, 40], [10, 20, 30, 45], [10, 20, 30, 40]],
        # Two judges who disagree a lot.
        [[90, 10, 50, 70, 20], [15, 85, 40, 30, 95]],
        # Incomplete design: every judge scored only some entries.
        [[72.5, NAN, 64, 81, NAN, 55], [70, 58.25, NAN, 79, 66, NAN], [NAN, 61, 60, NAN, 68.5, 52]],
        # A unit with a single value (not pairable) and one nobody scored.
        [[50, 60, NAN, 75, NAN], [55, 58, 40, 80, NAN], [NAN, 62, NAN, 70, NAN]],
    ],
    ids=["near-perfect", "disagreeing", "incomplete", "unpairable-units"],
)
def test_alpha_matches_the_krippendorff_package_on_hand_made_tables(table):
    assert _ours(table) == pytest.approx(_reference(table), abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_alpha_matches_the_krippendorff_package_on_random_tables_with_missing_values(seed):
    rng = np.random.default_rng(seed)
    judges, entries = rng.integers(2, 7), rng.integers(3, 40)
    quality = rng.uniform(20, 90, size=entries)  # what the drawings are worth
    table = np.round(quality + rng.normal(0, rng.uniform(2, 25), size=(judges, entries)), 2)
    table[rng.random(size=table.shape) < 0.3] = np.nan  # each judge skips some entries
    rows = table.tolist()
    assert sum(1 for column in zip(*rows) if sum(not math.isnan(v) for v in column) >= 2) >= 2  # a table alpha is defined on
    assert _ours(rows) == pytest.approx(_reference(rows), abs=1e-9)


def test_kendalls_w_on_a_hand_computed_table():
    # Three judges rank four entries (scores: higher is better, ranks as
    # given): J1 1 2 3 4, J2 1 3 2 4, J3 2 1 3 4. Rank sums 4, 6, 8, 12 around
    # their mean m(n+1)/2 = 7.5: S = 3.5^2 + 1.5^2 + 0.5^2 + 4.5^2 = 35;
    # W = 12 S / (m^2 (n^3 - n)) = 420 / 540 = 7/9.
    matrix = [[Decimal(v) for v in row] for row in ([1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4])]
    assert scoring.kendalls_w(matrix) == pytest.approx(Decimal(7) / 9, abs=Decimal("1e-20"))


def test_kendalls_w_with_ties_on_a_hand_computed_table():
    # Two judges, three entries; judge 2 ties the last two (average rank
    # 2.5 each, one tie group of t = 2, T = 2^3 - 2 = 6). Ranks: J1 1 2 3,
    # J2 1 2.5 2.5; sums 2, 4.5, 5.5 around 4: S = 4 + 0.25 + 2.25 = 6.5;
    # W = 12 S / (m^2 (n^3 - n) - m T) = 78 / (4 * 24 - 2 * 6) = 78 / 84.
    matrix = [[Decimal(1), Decimal(2), Decimal(3)], [Decimal(1), Decimal(2), Decimal(2)]]
    assert scoring.kendalls_w(matrix) == pytest.approx(Decimal(78) / 84, abs=Decimal("1e-20"))


def _mean_spearman(matrix: np.ndarray) -> float:
    ranks = matrix.argsort(axis=1).argsort(axis=1).astype(float)  # no ties in continuous data
    correlations = np.corrcoef(ranks)
    m = len(matrix)
    return (correlations.sum() - m) / (m * (m - 1))


@pytest.mark.parametrize("seed", range(6))
def test_kendalls_w_agrees_with_the_mean_spearman_correlation(seed):
    # Without ties, W and the mean of the m(m-1)/2 pairwise Spearman
    # correlations r determine each other: r = (m W - 1) / (m - 1) (Kendall,
    # M. G. & Gibbons, J. D. (1990), "Rank Correlation Methods", 5th ed.,
    # Edward Arnold, ch. 6).
    rng = np.random.default_rng(100 + seed)
    judges, entries = rng.integers(2, 8), rng.integers(3, 30)
    quality = rng.uniform(0, 100, size=entries)
    matrix = quality + rng.normal(0, rng.uniform(5, 40), size=(judges, entries))
    w = float(scoring.kendalls_w([[Decimal(repr(v)) for v in row] for row in matrix.tolist()]))
    assert (judges * w - 1) / (judges - 1) == pytest.approx(_mean_spearman(matrix), abs=1e-9)


def test_kendalls_w_is_one_for_complete_agreement_and_none_without_variation():
    rows = [[Decimal(v) for v in (10, 40, 20, 90)] for _judge in range(4)]
    assert scoring.kendalls_w(rows) == 1
    flat = [[Decimal(50)] * 3 for _judge in range(3)]
    assert scoring.kendalls_w(flat) is None
