"""Named special awards a contest's organizers define ("Jury prize",
"Honourable mention"), and which entries hold them.

Places (1st, 2nd, 3rd, 4th…) are `Entry.award`; a special award is given
to any number of entries, each at most once (a database constraint).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .contest import Contest
from .entry import Entry

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class SpecialAward(TimeStampedModel):
    """A named award of one contest. `name` is the name in the contest's
    default language (never empty); `names` holds the other languages'
    names, language code -> text (optional, missing or empty ones fall
    back to `name`). `order` places it among the contest's special awards
    (smallest first) in the gallery and on the results page."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="special_awards"
    )
    name = models.CharField(_("name"), max_length=80)
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    entries = models.ManyToManyField(
        Entry, through="SpecialAwardHolder", related_name="special_awards", verbose_name=_("entries")
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("special award")
        verbose_name_plural = _("special awards")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="specialaward_name_not_empty"),
            models.UniqueConstraint(fields=["contest", "name"], name="specialaward_unique_name"),
        ]

    def __str__(self):
        return self.name

    def name_in(self, language: str) -> str:
        """The award's name in `language` (a code of `settings.LANGUAGES`),
        falling back to `name`."""
        return (self.names or {}).get(language) or self.name


class SpecialAwardHolder(models.Model):
    """An entry holding a special award (at most once: a constraint). The
    service (`judging.services.entry_awards_set`) only gives a contest's
    awards to its own entries."""

    award = models.ForeignKey(
        SpecialAward, verbose_name=_("special award"), on_delete=models.CASCADE, related_name="holders"
    )
    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["award", "entry"]
        verbose_name = _("holder of a special award")
        verbose_name_plural = _("holders of special awards")
        constraints = [
            models.UniqueConstraint(fields=["award", "entry"], name="specialawardholder_unique"),
        ]

    def __str__(self):
        return f"{self.award_id} · {self.entry_id}"
