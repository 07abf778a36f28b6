"""The contest's judging settings, its rounds and their criteria, and the
contests judging pages are about (plain reads, no access decisions: the
views decide who may see what, `judging.rules`)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from contest.models import Contest, ContestRole, Entry

from .. import scoring
from ..models import Criterion, JudgingSettings, Round, RoundEntry, Score


def contest_get(*, slug: str) -> Contest | None:
    """The contest `slug` with its translations prefetched (for the title
    in the page's language), or None. Two queries."""
    return Contest.objects.filter(slug=slug).prefetch_related("translations").first()


def judging_settings_get(*, contest: Contest) -> JudgingSettings:
    """The contest's settings, or unsaved defaults (one query)."""
    found = JudgingSettings.objects.filter(contest=contest).first()
    return found or JudgingSettings(contest=contest)


def round_has_scores(*, contest: Contest, round_number: int) -> bool:
    """Whether any score was given on a criterion of that round (one query)."""
    return Score.objects.filter(criterion__contest=contest, criterion__round_number=round_number).exists()


def round_list(*, contest: Contest) -> list[Round]:
    """The contest's rounds by number; an unsaved, open round 1 when none
    was recorded yet (one query)."""
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    return rounds or [Round(contest=contest, number=1, is_open=True)]


def round_current(*, contest: Contest) -> Round:
    """The latest round (see `round_list`; one query)."""
    return round_list(contest=contest)[-1]


def judging_over(*, contest: Contest, at=None) -> bool:
    """Whether the contest's judging is over: its results are published,
    or its submissions are closed (`closes_at` passed, `at` defaults to
    now) and every judging round recorded is closed (at least one; with
    none recorded round 1 is open). At most one query."""
    if contest.results_published_at is not None:
        return True
    if (at or timezone.now()) < contest.closes_at:
        return False
    states = set(Round.objects.filter(contest=contest).values_list("is_open", flat=True))
    return states == {False}


def round_entries(*, contest: Contest, round: Round) -> QuerySet[Entry]:
    """Entries judged in `round`: every judgeable entry in round 1, the
    advanced ones later."""
    entries = Entry.objects.judgeable().filter(contest=contest)
    if round.number > 1:
        entries = entries.filter(Exists(RoundEntry.objects.filter(round_id=round.pk, entry=OuterRef("pk"))))
    return entries


def judgeable_entries(*, contest: Contest) -> QuerySet[Entry]:
    """Entries judges see: approved by a moderator and with renditions ready."""
    return Entry.objects.judgeable().filter(contest=contest)


def criterion_list(*, contest: Contest, round_number: int = 1) -> list[Criterion]:
    """The round's criteria in the rubric's order (one query)."""
    return list(Criterion.objects.filter(contest=contest, round_number=round_number).order_by("order", "id"))


def scoring_criteria(*, contest: Contest, round_number: int) -> list[scoring.Criterion]:
    """The round's criteria as `judging.scoring` takes them (weight and
    maximum points only; one query)."""
    return [
        scoring.Criterion(id=c["id"], weight=c["weight"], max_points=Decimal(c["max_points"]))
        for c in Criterion.objects.filter(contest=contest, round_number=round_number).values("id", "weight", "max_points")
    ]


def contest_list_for_organizer(*, user) -> QuerySet[Contest]:
    """The contests `user` organizes (every contest for an active
    superuser), newest first, with their translations prefetched (titles
    in the page's language). Two queries when read."""
    contests = Contest.objects.order_by("-opens_at").prefetch_related("translations")
    if user.is_active and user.is_superuser:
        return contests
    return contests.filter(roles__user=user, roles__role=ContestRole.Role.ORGANIZER)
