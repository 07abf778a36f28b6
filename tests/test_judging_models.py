"""Database constraints of judging models, bypassing forms and services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from judging.models import Score
from tests.factories.judging import CriterionFactory, EntryFactory, ScoreFactory, UserFactory

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
