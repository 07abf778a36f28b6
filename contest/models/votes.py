"""The people's choice: the public's votes, one drawing per age category.

A vote is stored unconfirmed and counts only once its voter opens the
signed link e-mailed to them (`confirmed_at`) and no organizer voided it
(`voided_at`). `email_key` is the address as one mailbox
(`contest.services.votes.email_key`: lower case, no +tag, Gmail's dots
dropped), and the database allows one confirmed vote per key and age
category, voided or not: a voided voter does not vote again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .contest import AgeCategory, Contest
from .entry import Entry


class VoteQuerySet(models.QuerySet):
    def counted(self):
        """Votes that count: confirmed, not voided."""
        return self.filter(confirmed_at__isnull=False, voided_at__isnull=True)


class Vote(TimeStampedModel):
    """One person's vote for `entry` in its age category. `network` is the
    client's /24 (IPv4) or /64 (IPv6) as text, never the full address; it
    is what the organizers' burst report groups by."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="votes")
    age_category = models.ForeignKey(
        AgeCategory, verbose_name=_("age category"), on_delete=models.CASCADE, related_name="votes",
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="votes")
    email = models.EmailField(_("e-mail"))
    email_key = models.CharField(_("mailbox"), max_length=254, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    network = models.CharField(_("network"), max_length=43, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("voided by"),
    )

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["age_category", "email_key"], condition=Q(confirmed_at__isnull=False),
                name="vote_one_confirmed_per_mailbox_category",
            ),
        ]
        indexes = [models.Index(fields=["contest", "created_at"], name="vote_contest_created_idx")]

    def __str__(self):
        state = "voided" if self.voided_at else "confirmed" if self.confirmed_at else "unconfirmed"
        return f"vote {self.pk} · entry {self.entry_id} · {state}"
