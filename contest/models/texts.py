"""A contest's texts per language: its content, the organizers' wording
of the e-mails to guardians, and the versioned consent texts."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .contest import Contest


# The placeholders an organizer may use in an e-mail template.
EMAIL_PLACEHOLDERS = (
    "name", "title", "contest", "reference", "confirm_link", "manage_link", "confirm_days", "manage_days",
    "reason", "grace_days",
)

# The e-mails to guardians that organizers may reword per language: kind ->
# the placeholders its text must keep (without its links the guardian could
# neither confirm nor withdraw; without the reason a rejection says nothing).
# Each kind is a `<kind>_subject` and a `<kind>_body` field of
# `ContestTranslation`.
EMAIL_KINDS = {
    "receipt": ("{confirm_link}", "{manage_link}"),
    "link": ("{manage_link}",),
    "rejection": ("{reason}", "{manage_link}"),
}


def validate_email_placeholders(value):
    unknown = sorted(set(re.findall(r"\{(\w+)\}", value)) - set(EMAIL_PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Use only: %(known)s."),
            params={"unknown": ", ".join(unknown), "known": ", ".join(f"{{{p}}}" for p in EMAIL_PLACEHOLDERS)},
        )


class ContestTranslation(TimeStampedModel):
    """A contest's content in one language, edited by organizers. An empty
    field falls back to the contest's default language, then to the
    contest's own fields (see `contest.selectors.contest_content`)."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="translations",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200, blank=True)
    theme = models.TextField(_("theme"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    receipt_subject = models.CharField(
        _("confirmation e-mail: subject"), max_length=200, blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. Placeholders such as {reference} and {contest} are filled in."),
    )
    receipt_body = models.TextField(
        _("confirmation e-mail: text"), blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. It must contain {confirm_link} and {manage_link}."),
    )
    link_subject = models.CharField(
        _("new link e-mail: subject"), max_length=200, blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. Placeholders such as {reference} and {contest} are filled in."),
    )
    link_body = models.TextField(
        _("new link e-mail: text"), blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. It must contain {manage_link}."),
    )
    rejection_subject = models.CharField(
        _("rejection e-mail: subject"), max_length=200, blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. Placeholders such as {reference} and {contest} are filled in."),
    )
    rejection_body = models.TextField(
        _("rejection e-mail: text"), blank=True, validators=[validate_email_placeholders],
        help_text=_("Leave empty for the standard text. It must contain {reason} and {manage_link}."),
    )

    class Meta:
        ordering = ["contest", "language"]
        verbose_name = _("contest translation")
        verbose_name_plural = _("contest translations")
        constraints = [
            models.UniqueConstraint(fields=["contest", "language"], name="contesttranslation_one_per_language"),
        ]

    def __str__(self):
        return f"{self.contest} · {self.language}"

    def clean(self):
        errors = {}
        for kind, required in EMAIL_KINDS.items():
            body = getattr(self, f"{kind}_body")
            missing = [p for p in required if body and p not in body]
            if missing:
                errors[f"{kind}_body"] = _("The text must contain %(placeholders)s.") % {
                    "placeholders": ", ".join(missing)
                }
        if errors:
            raise ValidationError(errors)


class ConsentText(TimeStampedModel):
    """One version of a contest's consent text in one language.

    Rows are never edited once an entry accepted them (a new wording is a new
    version); the entry records the version and language its guardian saw.
    Without any row, the contest's own `consent_text` and `consent_version`
    are used.
    """

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="consent_texts",
    )
    language = models.CharField(_("language"), max_length=10)
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["contest", "language", "-created_at"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(fields=["contest", "language", "version"], name="consenttext_one_per_version"),
        ]

    def __str__(self):
        return f"{self.contest} · {self.language} · v{self.version}"
