"""Invitations of judges to a contest's panel, and the one-time link they
carry (model and token; the writes are `judging.services.invitations`).

An organizer invites a judge by e-mail; the e-mail (in the judge's
language) holds a link to set a password. Accepting creates the account
when there is none for the address, signs the judge in and puts them on the
panel of the contest. The link is Django's `PasswordResetTokenGenerator`
keyed on the invitation: it dies once the invitation is accepted, when a
newer e-mail replaced it, or after `JUDGE_INVITATION_TIMEOUT` seconds.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import models
from django.db.models import Q
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from django.utils.translation import gettext_lazy as _

from contest.models import AgeCategory, Contest


class Invitation(models.Model):
    """One judge invited by e-mail to the panel (round 1) of one contest,
    optionally for some age categories (none chosen: every category). At
    most one open (not accepted) invitation per contest and address."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    categories = models.ManyToManyField(
        AgeCategory, blank=True, related_name="+", verbose_name=_("age categories"),
        help_text=_("Leave empty for every category."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    # SHA-256 of the token of the last e-mail sent: only that link works.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "email"], condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_contest_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_user__isnull=True) | Q(accepted_at__isnull=False),
                name="invitation_accepted_user_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.contest}"


def token_digest(token: str) -> str:
    """What `Invitation.token_hash` keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, keyed on an invitation instead of a user: it
    changes once the invitation is accepted, and expires after
    `JUDGE_INVITATION_TIMEOUT` seconds (not `PASSWORD_RESET_TIMEOUT`)."""

    key_salt = "judging.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, invitation, timestamp):
        accepted = "" if invitation.accepted_at is None else invitation.accepted_at.replace(microsecond=0, tzinfo=None)
        # `sent_at` is set just before each e-mail's token is made: a newer
        # e-mail's link replaces the older one's.
        sent = "" if invitation.sent_at is None else int(invitation.sent_at.timestamp() * 1_000_000)
        return f"{invitation.pk}{invitation.email}{invitation.contest_id}{sent}{accepted}{timestamp}"

    def check_token(self, invitation, token):
        """Whether `token` is this invitation's, unaccepted and not expired,
        and the one its last e-mail carried."""
        if not (invitation and token) or invitation.accepted_at is not None:
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(invitation, ts, s), token) for s in secrets):
            return False
        if self._num_seconds(self._now()) - ts > settings.JUDGE_INVITATION_TIMEOUT:
            return False
        return bool(invitation.token_hash) and constant_time_compare(invitation.token_hash, token_digest(token))


invitation_tokens = InvitationTokenGenerator()
