"""The people's choice forms: a vote (with its CAPTCHA-free challenge) and
an organizer's voiding of votes.

The challenge is a time-based honeypot: the form carries the moment it was
rendered, signed (`form_stamp`), and a field hidden from people
(`website`). A form sent back sooner than `VOTE_MIN_FORM_SECONDS` after it
was rendered, with a stamp that is missing, forged or older than a day, or
with the hidden field filled, is refused.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

STAMP_SALT = "contest.vote.form"
STAMP_MAX_AGE = 24 * 3600


def form_stamp(*, at: float | None = None) -> str:
    """The signed moment (`at`, seconds since the epoch; now by default)
    the voting form was rendered."""
    return signing.dumps(at if at is not None else time.time(), salt=STAMP_SALT)


class VoteForm(forms.Form):
    """A vote for one of `entries` (the ballot of one age category);
    `cleaned_data["entry"]` is the chosen Entry."""

    entry = forms.TypedChoiceField(label=_("Your choice"), coerce=int, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        help_text=_("We send you a link: your vote counts once you open it. One vote per address in each age category."),
    )
    # Hidden from people by the stylesheet and from screen readers
    # (aria-hidden, tabindex -1): only a script fills it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, entries, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = {entry.pk: entry for entry in entries}
        self.now = now
        self.fields["entry"].choices = [(entry.pk, entry.title) for entry in entries]
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        if not self.is_bound:
            self.initial["stamp"] = form_stamp(at=now)

    def clean_entry(self):
        return self.entries[self.cleaned_data["entry"]]

    def clean(self):
        cleaned = super().clean()
        refused = forms.ValidationError(
            _("Your vote could not be taken. Please wait a few seconds, then send the form again."), code="challenge"
        )
        if self.data.get(self.add_prefix("website")):
            raise refused
        try:
            rendered = float(signing.loads(self.data.get(self.add_prefix("stamp"), ""), salt=STAMP_SALT, max_age=STAMP_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            self._fresh_stamp()
            raise refused from None
        now = self.now if self.now is not None else time.time()
        if now - rendered < settings.VOTE_MIN_FORM_SECONDS:
            raise refused
        return cleaned

    def _fresh_stamp(self):
        # A page shown again after an expired stamp gets a new one.
        self.data = self.data.copy()
        self.data[self.add_prefix("stamp")] = form_stamp(at=self.now)


class VotesVoidForm(forms.Form):
    """The votes an organizer voids: `votes`, ids separated by commas (a
    burst of the report), and an optional reason."""

    votes = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)

    def clean_votes(self):
        try:
            ids = [int(part) for part in self.cleaned_data["votes"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Choose the votes to void."), code="invalid") from None
        if not ids:
            raise forms.ValidationError(_("Choose the votes to void."), code="required")
        return ids
