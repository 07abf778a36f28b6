"""Plain factories for judging data, on top of `tests/factories/contest.py`."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.models import ContestRole
from contest.services import contest_update
from judging.services import round_close
from judging.models import CalibrationEntry, Conflict, Criterion, JudgeAssignment, JudgingSettings, Round, Score

from .contest import ContestFactory, EntryFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"judge{n}")
    email = factory.Sequence(lambda n: f"judge{n}@example.org")
    password = factory.django.Password("judge-password")
    is_active = True


class OrganizerFactory(UserFactory):
    """An organizer of each of `contests` (`OrganizerFactory(contests=[a, b])`):
    the organizer role there, nothing elsewhere; not staff."""

    username = factory.Sequence(lambda n: f"organizer{n}")

    @factory.post_generation
    def contests(obj, create, extracted, **kwargs):
        _roles_give(obj, create, extracted, ContestRole.Role.ORGANIZER)


class ModeratorFactory(UserFactory):
    """A moderator of each of `contests` (`ModeratorFactory(contests=[a])`)."""

    username = factory.Sequence(lambda n: f"moderator{n}")

    @factory.post_generation
    def contests(obj, create, extracted, **kwargs):
        _roles_give(obj, create, extracted, ContestRole.Role.MODERATOR)


def _roles_give(user, create, contests, role):
    if create and contests:
        ContestRole.objects.bulk_create(ContestRole(contest=contest, user=user, role=role) for contest in contests)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    contest = factory.SubFactory(ContestFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    max_points = 10
    order = factory.Sequence(lambda n: n)


class JudgeAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JudgeAssignment

    contest = factory.SubFactory(ContestFactory)
    judge = factory.SubFactory(UserFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score; `entry` and `criterion` share one contest by default."""

    class Meta:
        model = Score

    criterion = factory.SubFactory(CriterionFactory)
    entry = factory.SubFactory(EntryFactory, contest=factory.SelfAttribute("..criterion.contest"))
    judge = factory.SubFactory(UserFactory)
    points = Decimal("5")
    max_points = factory.SelfAttribute("criterion.max_points")


class JudgingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JudgingSettings

    contest = factory.SubFactory(ContestFactory)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    contest = factory.SubFactory(ContestFactory)
    number = 1


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    entry = factory.SubFactory(EntryFactory)
    judge = factory.SubFactory(UserFactory)
    reason = "I know the family."


class CalibrationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalibrationEntry

    entry = factory.SubFactory(EntryFactory)
    contest = factory.SelfAttribute("entry.contest")


__all__ = [
    "CalibrationEntryFactory", "ConflictFactory", "ContestFactory", "CriterionFactory", "EntryFactory",
    "JudgeAssignmentFactory", "JudgingSettingsFactory", "ModeratorFactory", "OrganizerFactory", "RoundFactory", "ScoreFactory",
    "UserFactory",
]


def judging_finished(contest, *, actor=None):
    """Finish `contest`'s judging as its organizer would: its submissions
    closed (the closing date moved to a minute ago, the opening before it
    when needed, through the settings' service) and its latest judging
    round closed (`judging.services.round_close`). Returns the contest."""
    now = timezone.now()
    fields = {"closes_at": now - dt.timedelta(minutes=1)}
    if contest.opens_at >= fields["closes_at"]:
        fields["opens_at"] = now - dt.timedelta(days=1)
    contest_update(contest=contest, user=actor, fields=fields)
    round_close(contest=contest, actor=actor)
    return contest
