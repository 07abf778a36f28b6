"""Judging data: settings, rounds, rubric criteria, panels, scores,
conflicts, calibration and the audit trail.

`judging` builds on `contest` and never the reverse.

Rounds: round 1 is implicit. A contest without `Round` rows is in round 1,
open, and judges score every approved entry; `judging.services` creates the
row the first time something must be recorded about the round (closing it,
assigning entries). A criterion belongs to one round (`round_number`), so a
score belongs to its criterion's round and scores written before rounds
existed are round-1 scores.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round as RoundTo
from django.utils.translation import gettext_lazy as _

from contest.models import AgeCategory, Contest, Entry, TimeStampedModel

# Exports live in their own module; imported here, they are judging's models.
from .exports.models import Export  # noqa: F401


class JudgingSettings(TimeStampedModel):
    """How a contest is judged. A contest without a row uses the defaults
    (see `judging.selectors.judging_settings_get`)."""

    class Normalization(models.TextChoices):
        RAW = "raw", _("raw totals")
        ZSCORE = "zscore", _("z-scores per judge")

    class PeerScores(models.TextChoices):
        NEVER = "never", _("never")
        AFTER_OWN = "after_own", _("once the judge has scored the entry")
        AFTER_CLOSE = "after_close", _("once the judge has scored the entry and the round is closed")

    contest = models.OneToOneField(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judging_settings",
    )
    normalization = models.CharField(
        _("ranking by"), max_length=10, choices=Normalization.choices, default=Normalization.RAW,
        help_text=_("Z-scores even out lenient and strict judges: each judge's totals are compared with that judge's own."),
    )
    half_points = models.BooleanField(_("allow half points"), default=False)
    min_judges = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, help_text=_("Entries with fewer score sheets are marked incomplete.")
    )
    peer_scores = models.CharField(
        _("judges see the other judges' scores"), max_length=12, choices=PeerScores.choices, default=PeerScores.NEVER
    )

    class Meta:
        verbose_name = _("judging settings")
        verbose_name_plural = _("judging settings")
        constraints = [
            models.CheckConstraint(condition=Q(min_judges__gte=1), name="judgingsettings_min_judges_positive"),
            models.CheckConstraint(
                condition=Q(normalization__in=["raw", "zscore"]), name="judgingsettings_normalization_valid"
            ),
        ]

    def __str__(self):
        return f"{self.contest}: {self.get_normalization_display()}, K={self.min_judges}"


class Round(TimeStampedModel):
    """A judging round. Round 1 scores every approved entry; a later round
    scores the entries advanced into it (`RoundEntry`). A closed round locks
    its scores. `entries_assigned_at` is set once entries were spread over
    the judges (`EntryAssignment`); before that each judge of the round sees
    every entry of their categories."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judging_rounds",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    entries_assigned_at = models.DateTimeField(_("entries assigned at"), null=True, blank=True)

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self):
        return f"{self.contest} · {self.label}"

    @property
    def label(self):
        return self.name or _("Round %(number)d") % {"number": self.number}


class RoundEntry(models.Model):
    """An entry advanced into a round after the first."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="round_entries")
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("entry of a round")
        verbose_name_plural = _("entries of a round")
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="roundentry_unique")]

    def __str__(self):
        return f"{self.round} · {self.entry_id}"


class Criterion(models.Model):
    """One rubric criterion of one round: a judge gives 0 to `max_points`
    points; the criterion counts in a judge's total in proportion to
    `weight`."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="criteria")
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "round_number", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_points_positive"),
            models.CheckConstraint(condition=Q(round_number__gte=1), name="criterion_round_positive"),
            models.UniqueConstraint(fields=["contest", "round_number", "name"], name="criterion_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} (×{self.weight}, 0–{self.max_points})"


class JudgeAssignment(TimeStampedModel):
    """A user on the panel of one round of a contest, optionally limited to
    some age categories (none chosen: every category)."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judge_assignments",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="judge_assignments",
    )
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    categories = models.ManyToManyField(
        AgeCategory, blank=True, related_name="+", verbose_name=_("age categories"),
        help_text=_("Leave empty for every category."),
    )

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        constraints = [
            models.UniqueConstraint(fields=["contest", "round_number", "judge"], name="judgeassignment_unique"),
        ]

    def __str__(self):
        return f"{self.judge} → {self.contest} ({self.round_number})"


class EntryAssignment(models.Model):
    """One entry given to one judge in one round by the automatic
    assignment (`judging.services.entries_assign`)."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entry_assignments",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("entry assignment")
        verbose_name_plural = _("entry assignments")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge", "entry"], name="entryassignment_unique"),
        ]

    def __str__(self):
        return f"{self.round} · {self.judge} · {self.entry_id}"


class Score(TimeStampedModel):
    """One judge's points for one entry on one criterion (so in one round).

    `max_points` is copied from the criterion when the score is written so
    that a check constraint can refuse points outside 0..max; triggers
    (migration 0003, SQLite and PostgreSQL) tie that copy to the criterion's
    `max_points` and refuse half points unless the contest allows them, and
    a check constraint keeps points to whole or half steps. Write through
    `judging.services.score_sheet_submit` only: it checks the round, the
    panel, conflicts and half points, and records the audit trail.
    """

    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="scores",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores",
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    max_points = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "criterion"], name="score_one_per_judge_entry_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=F("max_points")), name="score_in_range"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="score_max_points_positive"),
            models.CheckConstraint(condition=Q(points=RoundTo(F("points") * 2) / 2), name="score_half_point_steps"),
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry.reference} · {self.criterion.name}: {self.points}"


class SheetComment(TimeStampedModel):
    """A judge's private note on one entry in one round: shown to that judge
    and to organizers, never to other judges."""

    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    round_number = models.PositiveSmallIntegerField(_("round"), default=1)
    text = models.TextField(_("private comment"), max_length=2000)

    class Meta:
        verbose_name = _("private comment")
        verbose_name_plural = _("private comments")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "round_number"], name="sheetcomment_unique"),
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry_id} · {self.round_number}"


class Conflict(TimeStampedModel):
    """A judge abstains from an entry (conflict of interest or other reason):
    it leaves the judge's queue in every round and none of the judge's
    scores for it count anywhere."""

    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="conflict_unique")]

    def __str__(self):
        return f"{self.judge} ⟂ {self.entry_id}"


class CalibrationEntry(models.Model):
    """A reference drawing every judge scores before judging, so organizers
    can compare how strict each judge is."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="calibration_entries",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "order", "id"]
        verbose_name = _("reference drawing")
        verbose_name_plural = _("reference drawings")
        constraints = [models.UniqueConstraint(fields=["contest", "entry"], name="calibrationentry_unique")]

    def __str__(self):
        return f"{self.contest} · {self.entry_id}"


class CalibrationScore(TimeStampedModel):
    """A judge's points for a reference drawing on a round-1 criterion; kept
    apart from `Score` so calibration never enters a ranking."""

    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    max_points = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("calibration score")
        verbose_name_plural = _("calibration scores")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "criterion"], name="calibrationscore_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("max_points")), name="calibrationscore_in_range"
            ),
            models.CheckConstraint(
                condition=Q(points=RoundTo(F("points") * 2) / 2), name="calibrationscore_half_point_steps"
            ),
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry_id} · {self.criterion_id}: {self.points}"


class AuditEvent(models.Model):
    """Who did what and when: score changes, conflicts, awards and their
    overrides, rounds, assignment and publication. Rows are only ever
    added (`judging.services.audit_record`)."""

    class Action(models.TextChoices):
        SCORES_SAVED = "scores_saved", _("scores saved")
        SCORES_CHANGED = "scores_changed", _("scores changed")
        CONFLICT_DECLARED = "conflict_declared", _("conflict of interest declared")
        AWARDS_CONFIRMED = "awards_confirmed", _("suggested awards confirmed")
        AWARDS_OVERRIDDEN = "awards_overridden", _("suggested awards overridden")
        RESULTS_PUBLISHED = "results_published", _("results published")
        ROUND_CLOSED = "round_closed", _("round closed")
        ROUND_OPENED = "round_opened", _("round opened")
        ROUND_ADVANCED = "round_advanced", _("entries advanced to a new round")
        ENTRIES_ASSIGNED = "entries_assigned", _("entries assigned to judges")
        SETTINGS_CHANGED = "settings_changed", _("judging settings changed")
        CALIBRATION_SET = "calibration_set", _("reference drawings chosen")
        RUBRIC_CHANGED = "rubric_changed", _("criteria changed")
        DISCUSSION_FLAGGED = "discussion_flagged", _("flagged for discussion")
        DISCUSSION_UNFLAGGED = "discussion_unflagged", _("flag for discussion removed")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judging_audit",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    round_number = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} · {self.actor} · {self.action}"


# Invitations of judges and flags for discussion live in their own modules;
# imported here so that Django finds the models.
from .discussion import DiscussionFlag  # noqa: E402, F401
from .invitations import Invitation  # noqa: E402, F401
