"""Fixtures shared by the judging tests: a contest closed for entries (so
judging is open), its two-criterion rubric and an assigned judge.

A module may override `contest`; `criteria` and `judge` then build on it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories.judging import ContestFactory, CriterionFactory, JudgeAssignmentFactory


@pytest.fixture
def contest():
    return ContestFactory(
        slug="border-2025",
        opens_at=timezone.now() - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def criteria(contest):
    return [
        CriterionFactory(contest=contest, name="Idea", weight=Decimal(2), max_points=10, order=1),
        CriterionFactory(contest=contest, name="Colour", weight=Decimal(1), max_points=5, order=2),
    ]


@pytest.fixture
def judge(contest):
    return JudgeAssignmentFactory(contest=contest).judge
