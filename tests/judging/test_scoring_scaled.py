"""The ranking on integer-scaled totals (`judging.scoring.scaled`) against
the Decimal reference (the previous implementation, `aggregate` of
tests/judging/reference_ranking.py, on `sheet_totaller` totals): the same
ranks, tie flags, tie-breaks and shown figures on random rounds with
constructed ties; and the agreement figures alike."""

import random
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from judging import scoring
from judging.scoring import scaled as fast
from judging.scoring import scaled_agreement as agree

from .reference_ranking import aggregate as reference_aggregate

RUBRICS = [
    [(Decimal(2), 10), (Decimal(1), 10), (Decimal(1), 5), (Decimal(1), 10), (Decimal("0.5"), 5)],
    [(Decimal("1.25"), 3), (Decimal("0.75"), 7), (Decimal(3), 4)],
    [(Decimal(1), 10)],
]


def random_round(seed, rubric, *, entries=60, judges=7, per_entry=4, half=True):
    """Sheets of a random round: each entry scored by `per_entry` judges;
    one entry in four copies the sheets of an earlier one (same judges,
    same points: a tie no tie-break can resolve), one in four copies its
    totals under other judges' names or in another order."""
    rng = random.Random(seed)
    criteria = [scoring.Criterion(id=i, weight=w, max_points=Decimal(m)) for i, (w, m) in enumerate(rubric)]
    step = Decimal("0.5") if half else Decimal(1)
    points: dict[tuple[int, int], dict] = {}
    for entry in range(entries):
        earlier = rng.randrange(entry) if entry else None
        panel = rng.sample(range(judges), per_entry)
        if earlier is not None and rng.random() < 0.25:
            for (judge, e), sheet in list(points.items()):
                if e == earlier:
                    points[(judge, entry)] = dict(sheet)
            continue
        lean = {j: rng.choice([-0.2, 0, 0.2]) for j in panel}
        for judge in panel:
            quality = rng.random() + lean[judge]
            sheet = {}
            for c in criteria:
                value = round(max(0, min(1, quality + rng.uniform(-0.2, 0.2))) * float(c.max_points) / float(step))
                sheet[c.id] = step * value
            points[(judge, entry)] = sheet
    categories = {entry: entry % 3 for entry in range(entries + 3)}  # 3 entries nobody scored
    return criteria, points, categories


def both(criteria, points):
    total = scoring.sheet_totaller(criteria)
    factors, scale = fast.sheet_scale(criteria)
    reference = [scoring.Sheet(judge=j, entry=e, total=total(p)) for (j, e), p in points.items()]
    units = [(j, e, sum(factors[c] * int(v * 10) for c, v in p.items())) for (j, e), p in points.items()]
    return reference, fast.ScaledRound(units, scale)


def shown(line):
    return (
        line.entry, line.rank, line.tie, line.tie_break, line.judges, line.top3_votes, line.complete,
        scoring.mean_display(line.mean), scoring.mean_display(line.raw_mean),
        scoring.mean_display(line.normalized_mean), scoring.mean_display(line.median),
    )


@pytest.mark.parametrize("normalization", [scoring.RAW, scoring.ZSCORE])
@pytest.mark.parametrize("rubric", range(len(RUBRICS)))
@pytest.mark.parametrize("seed", range(12))
def test_same_ranking_as_the_decimal_reference(seed, rubric, normalization):
    criteria, points, categories = random_round(seed, RUBRICS[rubric], half=seed % 2 == 0)
    reference, scaled = both(criteria, points)
    old = reference_aggregate(sheets=reference, categories=categories, normalization=normalization, min_judges=3)
    new = fast.aggregate_scaled(scaled=scaled, categories=categories, normalization=normalization, min_judges=3)
    assert list(new.categories) == list(old.categories)
    for category, lines in old.categories.items():
        assert [shown(line) for line in new.categories[category]] == [shown(line) for line in lines]
    assert {j: (s.used, s.sheets) for j, s in new.judges.items()} == {j: (s.used, s.sheets) for j, s in old.judges.items()}
    ties = [line for lines in old.categories.values() for line in lines if line.tie]
    assert ties, "the constructed copies make unresolved ties"


def test_constructed_tie_with_the_same_totals_in_another_order_shares_its_rank():
    criteria = [scoring.Criterion(id=0, weight=Decimal(1), max_points=Decimal(3))]
    # Totals 100/3 and 200/3 (no finite decimal) given by judges in another order.
    points = {(1, "a"): {0: Decimal(1)}, (2, "a"): {0: Decimal(2)}, (1, "b"): {0: Decimal(2)}, (2, "b"): {0: Decimal(1)},
              (1, "c"): {0: Decimal(3)}, (2, "c"): {0: Decimal(3)}, (3, "c"): {0: Decimal(0)}}
    _reference, scaled = both(criteria, points)
    result = fast.aggregate_scaled(scaled=scaled, categories=dict.fromkeys("abc", 1), normalization="raw", min_judges=2)
    lines = {line.entry: line for line in result.categories[1]}
    assert (lines["a"].rank, lines["b"].rank, lines["c"].rank) == (2, 2, 1)
    assert lines["a"].tie and lines["b"].tie and not lines["c"].tie
    assert lines["a"].mean == Decimal("50.00") and lines["c"].mean == Decimal("66.67")


@pytest.mark.parametrize("seed", range(8))
def test_agreement_figures_as_the_decimal_reference(seed):
    criteria, points, categories = random_round(seed, RUBRICS[seed % 3], entries=40, judges=5, per_entry=5)
    reference, scaled = both(criteria, points)
    units_by_entry = defaultdict(dict)
    totals_by_entry = defaultdict(dict)
    for sheet, (judge, entry, units) in zip(reference, scaled.sheets):
        units_by_entry[entry][judge] = units
        totals_by_entry[entry][judge] = sheet.total
    old_alpha = scoring.krippendorff_alpha_interval(list(t.values()) for t in totals_by_entry.values())
    assert agree.alpha_exact([list(u.values()) for u in units_by_entry.values()]) == old_alpha.quantize(Decimal("0.001"))
    entries = sorted(units_by_entry)
    judges = sorted({j for u in units_by_entry.values() for j in u})
    old_w = scoring.kendalls_w([[totals_by_entry[e][j] for e in entries] for j in judges])
    assert agree.kendall_exact([[units_by_entry[e][j] for e in entries] for j in judges]) == old_w.quantize(
        Decimal("0.001"))
    old_rho = scoring.judge_outliers(reference)
    assert sorted(agree.outlying_judges(scaled.sheets)) == sorted(
        j for j, r in old_rho.items() if r is not None and r < scoring.OUTLIER_RHO)
    old_spreads = scoring.entry_spreads(reference)
    for entry, (sd, wide, outliers) in agree.entry_spreads_scaled(scaled).items():
        spread = old_spreads[entry]
        assert (fast.decimal_cents(sd), wide) == (scoring.mean_display(spread.sd), spread.disagreement)
        assert outliers == exact_outliers([u * scaled.scale for u in units_by_entry[entry].values()])
        # Decimal sums can fall just short of a gap of exactly 25 points; exact totals never do.
        assert outliers - spread.outliers in (0, boundary_outliers([u * scaled.scale for u in units_by_entry[entry].values()]))
    for judge, values in scaled.by_judge.items():
        own = [s.total for s in reference if s.judge == judge]
        assert agree.histogram_units(values, scaled.scale) == scoring.histogram(own)


def exact_outliers(totals):
    count, total = len(totals), sum(totals)
    return sum(1 for t in totals if abs(t - (total - t) / (count - 1)) >= scoring.OUTLIER_GAP) if count > 1 else 0


def boundary_outliers(totals):
    count, total = len(totals), sum(totals)
    return sum(1 for t in totals if abs(t - (total - t) / (count - 1)) == scoring.OUTLIER_GAP) if count > 1 else 0


def test_outlying_judge_ranks_unlike_the_panel():
    sheets = [(j, e, e * 10) for j in (1, 2, 3) for e in range(6)] + [(4, e, 60 - e * 10) for e in range(6)]
    assert agree.outlying_judges(sheets) == [4]


def test_sheet_scale_matches_sheet_total():
    criteria = [scoring.Criterion(id="a", weight=Decimal(2), max_points=Decimal(10)),
                scoring.Criterion(id="b", weight=Decimal("0.5"), max_points=Decimal(5))]
    factors, scale = fast.sheet_scale(criteria)
    units = factors["a"] * 75 + factors["b"] * 30  # 7.5 and 3 points
    assert units * scale == 100 * (Decimal(2) * Decimal("0.75") + Decimal("0.5") * Decimal("0.6")) / Decimal("2.5")
    assert fast.cents(-1, 200) == -1 and fast.cents(1, 200) == 1 and fast.cents(1, 201) == 0


def python_only(scaled):
    """The same round without its arrays: the pure Python path."""
    alone = fast.ScaledRound(scaled.sheets, scaled.scale)
    alone.arrays = None
    return alone


@pytest.mark.parametrize("normalization", [scoring.RAW, scoring.ZSCORE])
@pytest.mark.parametrize("seed", range(10))
def test_vector_path_equals_the_python_path(seed, normalization):
    # Panels of 2 to 6 judges per entry (sheet counts vary), copies that tie.
    criteria, points, categories = random_round(
        seed, RUBRICS[seed % 3], entries=90, judges=9, per_entry=2 + seed % 5, half=seed % 2 == 0)
    _reference, scaled = both(criteria, points)
    assert scaled.arrays is not None
    python = python_only(scaled)
    vector = fast.aggregate_scaled(scaled=scaled, categories=categories, normalization=normalization, min_judges=3)
    plain = fast.aggregate_scaled(scaled=python, categories=categories, normalization=normalization, min_judges=3)
    assert {c: lines.rows for c, lines in vector.categories.items()} == {
        c: lines.rows for c, lines in plain.categories.items()}
    assert vector.judges == plain.judges
    assert agree.entry_spreads_scaled(scaled) == agree.entry_spreads_scaled(python)
    assert agree.histograms(scaled) == agree.histograms(python)
    a = scaled.arrays
    assert sorted(agree.outlying_judges_arrays(a, np.arange(a.size))) == sorted(agree.outlying_judges(scaled.sheets))
    units_by_entry = defaultdict(list)
    for _judge, entry, units in scaled.sheets:
        units_by_entry[entry].append(units)
    assert agree.alpha_counts(a.counts, a.sums, a.squares) == agree.alpha_exact(list(units_by_entry.values()))


def test_sheets_too_large_for_exact_int64_sums_take_the_python_path():
    scaled = fast.ScaledRound([(1, 1, 2**40), (2, 1, 2**40 - 1), (1, 2, 3), (2, 2, 5)], Fraction(1, 2**40))
    assert scaled.arrays is None
    result = fast.aggregate_scaled(scaled=scaled, categories={1: 0, 2: 0}, normalization="raw", min_judges=2)
    assert [line.entry for line in result.categories[0]] == [1, 2]


def test_outlying_judge_found_on_arrays_too():
    sheets = [(j, e, e * 10) for j in (1, 2, 3) for e in range(6)] + [(4, e, 60 - e * 10) for e in range(6)]
    a = fast.ScaledRound(sheets, Fraction(1)).arrays
    assert agree.outlying_judges_arrays(a, np.arange(a.size)) == [4]
