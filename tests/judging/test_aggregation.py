"""The ranking (`judging.scoring.scaled.aggregate_scaled`, and the previous
Decimal implementation kept as the reference, `reference_ranking`) and the
agreement statistics on hand-computed tables (no database).

The main table: 3 judges x 6 entries, one category; the numbers are sheet
totals (0-100). J1 is lenient with a wide spread, J2 strict and narrow, J3
in between:

          E1  E2  E3  E4  E5  E6   mean  population SD
    J1    71  76  61  71  91  86    76   10
    J2    39  48  45  57  54  45    48    6
    J3    44  68  50  62  32  44    50   12

All 18 totals: mean M = 1044 / 18 = 58, population SD S = 16.
"""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from judging import scoring
from judging.scoring import scaled

from . import reference_ranking

pytestmark = [pytest.mark.unit]

TABLE = {
    "J1": {"E1": 71, "E2": 76, "E3": 61, "E4": 71, "E5": 91, "E6": 86},
    "J2": {"E1": 39, "E2": 48, "E3": 45, "E4": 57, "E5": 54, "E6": 45},
    "J3": {"E1": 44, "E2": 68, "E3": 50, "E4": 62, "E5": 32, "E6": 44},
}
ONE_CATEGORY = {e: "young" for e in ("E1", "E2", "E3", "E4", "E5", "E6")}


def product_aggregate(*, sheets, categories, normalization="raw", min_judges=3):
    # The tables' totals are whole numbers: one unit is one point of 100.
    units = scaled.ScaledRound([(s.judge, s.entry, int(s.total)) for s in sheets], Fraction(1))
    return scaled.aggregate_scaled(
        scaled=units, categories=categories, normalization=normalization, min_judges=min_judges
    )


@pytest.fixture(params=["product", "reference"])
def aggregate(request):
    """The ranking under test: the portal's, and the reference it must equal."""
    return product_aggregate if request.param == "product" else reference_ranking.aggregate


def sheets(table):
    return [scoring.Sheet(judge=j, entry=e, total=D(t)) for j, row in table.items() for e, t in row.items()]


def lines(result, category="young"):
    return [
        (
            line.entry, line.rank, scoring.mean_display(line.mean), scoring.mean_display(line.median),
            line.top3_votes, line.tie_break,
        )
        for line in result.categories[category]
    ]


def test_aggregate_raw_means_3_judges_6_entries(aggregate):
    # Raw means: E1 154/3 = 51.33, E2 192/3 = 64, E3 156/3 = 52, E4 190/3 = 63.33,
    # E5 177/3 = 59, E6 175/3 = 58.33. Medians: E2 68, E4 62, E5 54, E6 45, E3 50, E1 44.
    # Top 3 per judge: J1 E5 E6 E2; J2 E4 E5 E2; J3 E2 E4 E3.
    result = aggregate(sheets=sheets(TABLE), categories=ONE_CATEGORY, normalization="raw")

    assert lines(result) == [
        ("E2", 1, D("64.00"), D("68.00"), 3, ""),
        ("E4", 2, D("63.33"), D("62.00"), 2, ""),
        ("E5", 3, D("59.00"), D("54.00"), 2, ""),
        ("E6", 4, D("58.33"), D("45.00"), 1, ""),
        ("E3", 5, D("52.00"), D("50.00"), 1, ""),
        ("E1", 6, D("51.33"), D("44.00"), 0, ""),
    ]
    assert {line.entry: line.complete for line in result.categories["young"]} == dict.fromkeys(ONE_CATEGORY, True)


def test_aggregate_zscore_changes_the_winner(aggregate):
    # z per judge: J1 (t - 76) / 10, J2 (t - 48) / 6, J3 (t - 50) / 12, mapped
    # back as 58 + 16 z:
    #   J1: E1 50, E2 58, E3 34, E4 50, E5 82, E6 74
    #   J2: E1 34, E2 58, E3 50, E4 82, E5 74, E6 50
    #   J3: E1 50, E2 82, E3 58, E4 74, E5 34, E6 50
    # Means: E4 206/3 = 68.67 beats E2 198/3 = 66 (E2 won on raw means).
    result = aggregate(sheets=sheets(TABLE), categories=ONE_CATEGORY, normalization="zscore")

    assert lines(result) == [
        ("E4", 1, D("68.67"), D("74.00"), 2, ""),
        ("E2", 2, D("66.00"), D("58.00"), 3, ""),
        ("E5", 3, D("63.33"), D("74.00"), 2, ""),
        ("E6", 4, D("58.00"), D("50.00"), 1, ""),
        ("E3", 5, D("47.33"), D("50.00"), 1, ""),
        ("E1", 6, D("44.67"), D("50.00"), 0, ""),
    ]
    assert [scoring.mean_display(line.raw_mean) for line in result.categories["young"]] == [
        D("63.33"), D("64.00"), D("59.00"), D("58.33"), D("52.00"), D("51.33"),
    ]
    assert result.judges == {
        "J1": scoring.JudgeNormalization(mean=D(76), sd=D(10), sheets=6, used=True),
        "J2": scoring.JudgeNormalization(mean=D(48), sd=D(6), sheets=6, used=True),
        "J3": scoring.JudgeNormalization(mean=D(50), sd=D(12), sheets=6, used=True),
    }
    assert scoring.normalize(sheets(TABLE))[0][("J2", "E4")] == D(82)


def test_normalize_judge_with_fewer_than_3_sheets_or_no_spread_keeps_raw():
    table = {
        "wide": {"A": 40, "B": 50, "C": 60},
        "few": {"A": 90, "B": 10},
        "flat": {"A": 70, "B": 70, "C": 70},
    }

    normalized, stats = scoring.normalize(sheets(table))

    assert [stats["wide"].used, stats["few"].used, stats["flat"].used] == [True, False, False]
    assert [normalized[("few", "A")], normalized[("few", "B")], normalized[("flat", "C")]] == [D(90), D(10), D(70)]


def test_aggregate_tie_broken_by_median(aggregate):
    # Both means are 70; B's median 70 beats A's 60.
    table = {"J1": {"A": 60, "B": 70}, "J2": {"A": 60, "B": 70}, "J3": {"A": 90, "B": 70}}

    result = aggregate(sheets=sheets(table), categories={"A": "c", "B": "c"})

    assert lines(result, "c") == [
        ("B", 1, D("70.00"), D("70.00"), 3, "median"),
        ("A", 2, D("70.00"), D("60.00"), 3, "median"),
    ]


def test_aggregate_tie_broken_by_top3_votes(aggregate):
    # A and B: mean 70, median 70. J1's top 3 are F1 (99), F2 (96), A (90);
    # J2 scored only A and B (both in its top 3); J3's top 3 are F1, F2, F3.
    # So A has 2 votes (J1, J2) and B 1 (J2).
    table = {
        "J1": {"F1": 99, "F2": 96, "A": 90, "B": 50},
        "J2": {"A": 70, "B": 70},
        "J3": {"F1": 97, "F2": 96, "F3": 94, "B": 90, "A": 50},
    }
    categories = dict.fromkeys(["F1", "F2", "F3", "A", "B"], "c")

    result = aggregate(sheets=sheets(table), categories=categories)

    assert lines(result, "c") == [
        ("F1", 1, D("98.00"), D("98.00"), 2, ""),
        ("F2", 2, D("96.00"), D("96.00"), 2, ""),
        ("F3", 3, D("94.00"), D("94.00"), 1, ""),
        ("A", 4, D("70.00"), D("70.00"), 2, "top3"),
        ("B", 5, D("70.00"), D("70.00"), 1, "top3"),
    ]


def test_aggregate_tie_that_remains_is_flagged_not_broken(aggregate):
    # Equal mean (70), median (70) and top-3 votes (2): same rank, flagged;
    # no submission time or id decides. C is ranked 3rd, not 2nd.
    table = {"J1": {"A": 60, "B": 80, "C": 50}, "J2": {"A": 80, "B": 60, "C": 50}}

    result = aggregate(sheets=sheets(table), categories={"A": "c", "B": "c", "C": "c"}, min_judges=2)

    assert [(line.entry, line.rank, line.tie, line.tie_break) for line in result.categories["c"]] == [
        ("A", 1, True, "unresolved"),
        ("B", 1, True, "unresolved"),
        ("C", 3, False, ""),
    ]


def test_aggregate_fewer_than_k_sheets_incomplete_and_unscored_last(aggregate):
    table = {"J1": {"A": 80, "B": 70}, "J2": {"A": 60}}

    result = aggregate(sheets=sheets(table), categories={"A": "c", "B": "c", "N": "c"}, min_judges=2)

    assert [(line.entry, line.rank, line.judges, line.complete) for line in result.categories["c"]] == [
        ("A", 1, 2, True),
        ("B", 2, 1, False),
        ("N", None, 0, False),
    ]


def test_aggregate_ranks_within_each_category_in_given_order(aggregate):
    table = {"J1": {"a1": 50, "a2": 60, "b1": 90}}

    result = aggregate(sheets=sheets(table), categories={"a1": "old", "a2": "old", "b1": "young"})

    assert list(result.categories) == ["old", "young"]
    assert [(line.entry, line.rank) for line in result.categories["old"]] == [("a2", 1), ("a1", 2)]
    assert [(line.entry, line.rank) for line in result.categories["young"]] == [("b1", 1)]


def test_kendalls_w_one_reversed_judge():
    # Rank sums 6, 7, 8, 9 around 7.5: S = 5; W = 12 * 5 / (3^2 * (4^3 - 4)) = 1/9.
    matrix = [[D(10), D(20), D(30), D(40)], [D(10), D(20), D(30), D(40)], [D(40), D(30), D(20), D(10)]]

    assert scoring.kendalls_w(matrix) == D(60) / D(540)


def test_kendalls_w_with_ties_corrected():
    # J1 ranks 1.5 1.5 3 4, J2 1 2 3 4; sums 2.5 3.5 6 8 around 5: S = 18.5;
    # T = 2^3 - 2 = 6; W = 12 * 18.5 / (4 * 60 - 2 * 6) = 222 / 228.
    matrix = [[D(10), D(10), D(30), D(40)], [D(10), D(20), D(30), D(40)]]

    assert scoring.kendalls_w(matrix) == D(222) / D(228)


def test_kendalls_w_full_agreement_and_undefined():
    assert scoring.kendalls_w([[D(1), D(2), D(3)], [D(5), D(6), D(7)]]) == D(1)
    assert scoring.kendalls_w([[D(1), D(2)]]) is None


def test_krippendorff_alpha_interval_incomplete_units():
    # Units (1, 2), (3, 3), (5, 4), (7): the last is not pairable; n = 6.
    # D_o = (2 + 0 + 2) / 6; D_e = (2*6*64 - 2*18^2) / (6*5) = 4; alpha = 1 - (4/6)/4 = 5/6.
    units = [[D(1), D(2)], [D(3), D(3)], [D(5), D(4)], [D(7)]]

    assert scoring.krippendorff_alpha_interval(units) == 1 - (D(4) / D(6)) / D(4)


def test_judge_outliers_reversed_judge_flagged():
    table = {
        "J1": {"A": 10, "B": 20, "C": 30, "D": 40},
        "J2": {"A": 15, "B": 25, "C": 35, "D": 45},
        "J3": {"A": 40, "B": 30, "C": 20, "D": 10},
    }

    rho = scoring.judge_outliers(sheets(table))

    # For J1 and J2 the others' mean is flat (25 for every entry): undefined.
    assert rho == {"J1": None, "J2": None, "J3": D(-1)}


def test_histogram_ten_bins_top_bin_includes_100():
    assert scoring.histogram([D(0), D("9.99"), D(10), D(55), D(100)]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
