"""Database constraints of judging models, bypassing forms and services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from judging.models import CalibrationScore, Criterion, Score
from tests.factories.judging import (
    CriterionFactory,
    EntryFactory,
    JudgingSettingsFactory,
    ScoreFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db]


def test_score_duplicate_judge_entry_criterion_refused():
    score = ScoreFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            judge=score.judge, entry=score.entry, criterion=score.criterion, points=Decimal("3"), max_points=10
        )

    assert Score.objects.count() == 1


@pytest.mark.parametrize("points", [Decimal("10.1"), Decimal("11"), Decimal("-0.1"), Decimal("-1")])
def test_score_out_of_range_refused(points):
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(judge=UserFactory(), entry=entry, criterion=criterion, points=points, max_points=10)

    assert Score.objects.count() == 0


@pytest.mark.parametrize("points", [Decimal("0"), Decimal("10")])
def test_score_bounds_accepted(points):
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)

    Score.objects.create(judge=UserFactory(), entry=entry, criterion=criterion, points=points, max_points=10)

    assert list(Score.objects.values_list("points", flat=True)) == [points]


def test_score_str_names_judge_entry_and_criterion():
    score = ScoreFactory(judge__username="ana", entry__reference="ABCD-EFGH", criterion__name="Colour", points=7)

    assert str(score) == "ana · ABCD-EFGH · Colour: 7"


def _raw_score(criterion, points, max_points=None):
    """A score written straight through the ORM, past forms and services."""
    entry = EntryFactory(contest=criterion.contest)
    with transaction.atomic():
        return Score.objects.create(
            judge=UserFactory(), entry=entry, criterion=criterion, points=Decimal(points),
            max_points=criterion.max_points if max_points is None else max_points,
        )


def test_score_above_the_criterion_maximum_refused_even_with_a_forged_copy():
    criterion = CriterionFactory(max_points=10)

    with pytest.raises(IntegrityError):
        _raw_score(criterion, "50", max_points=100)
    with pytest.raises(IntegrityError):
        _raw_score(criterion, "5", max_points=20)  # within range, but not this criterion's maximum

    assert Score.objects.count() == 0


@pytest.mark.parametrize("half_points", [True, False])
def test_score_off_the_half_point_grid_refused(half_points):
    criterion = CriterionFactory(max_points=10)
    JudgingSettingsFactory(contest=criterion.contest, half_points=half_points)

    with pytest.raises(IntegrityError):
        _raw_score(criterion, "3.7")

    assert Score.objects.count() == 0


def test_half_point_accepted_only_when_the_contest_allows_it():
    whole = CriterionFactory(max_points=10)  # no settings row: whole points
    halves = CriterionFactory(max_points=10)
    JudgingSettingsFactory(contest=halves.contest, half_points=True)

    with pytest.raises(IntegrityError):
        _raw_score(whole, "7.5")
    _raw_score(halves, "7.5")
    _raw_score(whole, "7")

    assert sorted(Score.objects.values_list("criterion_id", "points")) == sorted(
        [(halves.pk, Decimal("7.5")), (whole.pk, Decimal("7"))]
    )


def test_score_update_is_guarded_too():
    score = ScoreFactory(points=Decimal("5"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(points=Decimal("50"), max_points=100)

    assert Score.objects.get(pk=score.pk).points == Decimal("5")


def test_criterion_maximum_cannot_change_under_scores():
    score = ScoreFactory(criterion__max_points=10)
    unscored = CriterionFactory(contest=score.criterion.contest, max_points=10)

    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=score.criterion_id).update(max_points=5)
    Criterion.objects.filter(pk=unscored.pk).update(max_points=5)

    assert dict(Criterion.objects.values_list("pk", "max_points")) == {score.criterion_id: 10, unscored.pk: 5}


def test_calibration_score_above_the_criterion_maximum_refused():
    criterion = CriterionFactory(max_points=10)
    entry = EntryFactory(contest=criterion.contest)

    with pytest.raises(IntegrityError), transaction.atomic():
        CalibrationScore.objects.create(
            judge=UserFactory(), entry=entry, criterion=criterion, points=Decimal("50"), max_points=100
        )

    assert CalibrationScore.objects.count() == 0
