"""judging.scoring on hand-computed tables (no database)."""

from decimal import Decimal as D

import pytest

from judging import scoring

pytestmark = [pytest.mark.unit]

# Weights 2, 1, 1; C is scored out of 5, so per judge
# total = 100 * (2*a/10 + b/10 + c/5) / 4 = 5a + 2.5b + 5c.
CRITERIA = [
    scoring.Criterion(id="A", weight=D(2), max_points=D(10)),
    scoring.Criterion(id="B", weight=D(1), max_points=D(10)),
    scoring.Criterion(id="C", weight=D(1), max_points=D(5)),
]


def sheet(a=None, b=None, c=None):
    return {k: D(v) for k, v in (("A", a), ("B", b), ("C", c)) if v is not None}


# 3 judges x 4 entries (+ one entry nobody scored).
SHEETS = {
    # J1 8,6,4 -> 40+15+20 = 75; J2 10,10,5 -> 100; J3 6,8,3 -> 30+20+15 = 65; mean 240/3 = 80
    "E1": [sheet(8, 6, 4), sheet(10, 10, 5), sheet(6, 8, 3)],
    # J1 9,4,4 -> 45+10+20 = 75; J2 7,8,4 -> 35+20+20 = 75; J3 10,6,5 -> 50+15+25 = 90; mean 80
    "E2": [sheet(9, 4, 4), sheet(7, 8, 4), sheet(10, 6, 5)],
    # J1 5,5,5 -> 25+12.5+25 = 62.5; J2 4,2,1 -> 20+5+5 = 30; J3 only A: not counted; mean 92.5/2 = 46.25
    "E3": [sheet(5, 5, 5), sheet(4, 2, 1), sheet(a=10)],
    # J1 7,7,2 -> 35+17.5+10 = 62.5; J2 3,3,3 -> 15+7.5+15 = 37.5; J3 6,4,3 -> 30+10+15 = 55; mean 155/3 = 51.666...
    "E4": [sheet(7, 7, 2), sheet(3, 3, 3), sheet(6, 4, 3)],
    "E5": [],
}


def test_sheet_total_weighted_on_0_to_100_scale():
    assert scoring.sheet_total(criteria=CRITERIA, points=sheet(8, 6, 4)) == D(75)
    assert scoring.sheet_total(criteria=CRITERIA, points=sheet(10, 10, 5)) == D(100)
    assert scoring.sheet_total(criteria=CRITERIA, points=sheet(0, 0, 0)) == D(0)
    assert scoring.sheet_total(criteria=CRITERIA, points=sheet(5, 5, 5)) == D("62.5")


def test_sheet_total_incomplete_sheet_is_none():
    assert scoring.sheet_total(criteria=CRITERIA, points=sheet(a=10, b=3)) is None


def test_sheet_total_no_criteria_is_none():
    assert scoring.sheet_total(criteria=[], points={}) is None


def test_entry_result_means_complete_sheets_only():
    results = {key: scoring.entry_result(criteria=CRITERIA, sheets=s) for key, s in SHEETS.items()}

    assert results["E1"] == scoring.EntryResult(mean=D(80), judges=3, partial=0)
    assert results["E2"] == scoring.EntryResult(mean=D(80), judges=3, partial=0)
    assert results["E3"] == scoring.EntryResult(mean=D("46.25"), judges=2, partial=1)
    assert scoring.mean_display(results["E4"].mean) == D("51.67")
    assert results["E4"].judges == 3
    assert results["E5"] == scoring.EntryResult(mean=None, judges=0, partial=0)


def test_rank_hand_computed_table_ties_share_rank():
    results = {key: scoring.entry_result(criteria=CRITERIA, sheets=s) for key, s in SHEETS.items()}

    ranked = scoring.rank(results)

    assert [(r.key, r.rank, scoring.mean_display(r.result.mean)) for r in ranked] == [
        ("E1", 1, D("80.00")),
        ("E2", 1, D("80.00")),
        ("E4", 3, D("51.67")),
        ("E3", 4, D("46.25")),
        ("E5", None, None),
    ]


def test_rank_competition_ranking_skips_after_tie():
    results = {k: scoring.EntryResult(mean=D(m), judges=1) for k, m in [("a", 90), ("b", 80), ("c", 80), ("d", 70)]}

    assert [(r.key, r.rank) for r in scoring.rank(results)] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_rank_means_equal_after_rounding_tie():
    # 80.004 and 79.996 are both shown as 80.00, so they share rank 1;
    # the entry with more complete sheets is listed first.
    results = {
        "x": scoring.EntryResult(mean=D("79.996"), judges=3),
        "y": scoring.EntryResult(mean=D("80.004"), judges=2),
        "z": scoring.EntryResult(mean=D("79.994"), judges=3),
    }

    assert [(r.key, r.rank) for r in scoring.rank(results)] == [("x", 1), ("y", 1), ("z", 3)]


def test_rank_empty():
    assert scoring.rank({}) == []


def test_sheet_totaller_same_as_sheet_total():
    total = scoring.sheet_totaller(CRITERIA)

    assert [total(s) for s in SHEETS["E3"]] == [scoring.sheet_total(criteria=CRITERIA, points=s) for s in SHEETS["E3"]]
    assert [total(s) for s in SHEETS["E3"]] == [D("62.5"), D(30), None]
