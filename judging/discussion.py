"""Drawings a judge flags for discussion, with a note to the organizers
(the model; the writes are `judging.services.discussion`).

A flag is the judge's own: other judges never see it; organizers see every
flag with its note (the panel page). One flag per judge and entry; removing
it deletes the row (the audit trail keeps both events).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.models import Contest, Entry

NOTE_MAX_LENGTH = 1000


class DiscussionFlag(models.Model):
    """A judge asks the organizers to discuss one entry of `contest`; the
    `note` says why (may be blank)."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+",
    )
    note = models.CharField(_("note to the organizers"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("flag for discussion")
        verbose_name_plural = _("flags for discussion")
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="discussionflag_one_per_judge_entry"),
        ]
        indexes = [models.Index(fields=["contest", "judge"], name="discussionflag_contest_judge")]

    def __str__(self):
        return f"{self.judge} ? {self.entry_id}"
