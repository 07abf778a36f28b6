"""Judging data: rubric criteria, judge assignments and scores.

`judging` builds on `contest` and never the reverse.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contest.models import Contest, Entry, TimeStampedModel


class Criterion(models.Model):
    """One rubric criterion: a judge gives 0 to `max_points` points; the
    criterion counts in a judge's total in proportion to `weight`."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal("1"))
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["contest", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_points_positive"),
            models.UniqueConstraint(fields=["contest", "name"], name="criterion_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} (×{self.weight}, 0–{self.max_points})"


class JudgeAssignment(TimeStampedModel):
    """A user assigned to judge every approved, ready entry of a contest."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judge_assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_assignments")

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        constraints = [
            models.UniqueConstraint(fields=["contest", "judge"], name="judgeassignment_unique"),
        ]

    def __str__(self):
        return f"{self.judge} → {self.contest}"


class Score(TimeStampedModel):
    """One judge's points for one entry on one criterion.

    `max_points` is copied from the criterion when the score is written so
    that the database itself can refuse points outside 0..max.
    """

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    max_points = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry", "criterion"], name="score_one_per_judge_entry_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=F("max_points")), name="score_in_range"),
        ]

    def __str__(self):
        return f"{self.judge} · {self.entry.reference} · {self.criterion.name}: {self.points}"
