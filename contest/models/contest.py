"""A contest, its participating countries and its age categories."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..ages import age_bands_validate
from .base import TimeStampedModel


class Country(models.TextChoices):
    """ISO 3166-1 alpha-2 codes of the participating states."""

    KAZAKHSTAN = "KZ", _("Kazakhstan")
    KYRGYZSTAN = "KG", _("Kyrgyzstan")
    TAJIKISTAN = "TJ", _("Tajikistan")
    TURKMENISTAN = "TM", _("Turkmenistan")
    UZBEKISTAN = "UZ", _("Uzbekistan")


def default_countries():
    return [c.value for c in Country]


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not an IANA time zone such as Asia/Bishkek."), params={"value": value})


def validate_countries(value):
    valid = set(Country.values)
    if not isinstance(value, list) or not value or not set(value) <= valid:
        raise ValidationError(_("Choose one or more of: %(codes)s."), params={"codes": ", ".join(Country.values)})


class Contest(TimeStampedModel):
    """A contest with a submission window [opens_at, closes_at), both aware
    datetimes; shown to people in `timezone` (an IANA name)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    theme = models.TextField(_("theme"))
    rules = models.TextField(_("rules"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Bishkek", validators=[validate_timezone])
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"), help_text=_("Submissions are refused from this moment on."))
    age_reference_date = models.DateField(
        _("age reference date"), help_text=_("A child's age is counted in whole years on this date.")
    )
    countries = models.JSONField(_("participating countries"), default=default_countries, validators=[validate_countries])
    consent_version = models.CharField(_("consent text version"), max_length=20, default="1")
    consent_text = models.TextField(
        _("consent text"),
        default=_(
            "I am the child's parent or legal guardian. I agree that the contest organizers store and "
            "process this entry, including my child's name, date of birth and drawing, to run the contest."
        ),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True, editable=False)
    retention_days = models.PositiveSmallIntegerField(
        _("keep personal data for (days after the results)"),
        default=90,
        help_text=_(
            "After this many days from the publication of the results, the personal data of entries that did "
            "not win is deleted; winners keep only what their guardian agreed to publish."
        ),
    )
    max_entries_per_child = models.PositiveSmallIntegerField(_("entries per child"), default=1)
    max_entries_per_guardian = models.PositiveSmallIntegerField(
        _("entries per guardian e-mail"), default=5, help_text=_("Room for brothers and sisters.")
    )
    # Teachers' batches (`contest.services.teachers`): a cap per teacher and
    # one on all teachers' entries together, both counted in this contest.
    max_entries_per_teacher = models.PositiveSmallIntegerField(
        _("entries per teacher"), default=40, help_text=_("How many drawings one teacher may send to this contest.")
    )
    max_teacher_entries = models.PositiveIntegerField(
        _("entries from all teachers"), default=2000,
        help_text=_("How many drawings all teachers together may send to this contest."),
    )
    # Per-contest upload limits: empty means the site's setting; a value can
    # only tighten it (see contest.services.policy.upload_policy).
    upload_max_megabytes = models.PositiveSmallIntegerField(
        _("largest upload (MB)"), null=True, blank=True, help_text=_("Empty: the site's limit. Only a lower value applies.")
    )
    upload_max_megapixels = models.PositiveSmallIntegerField(
        _("largest image (megapixels)"), null=True, blank=True,
        help_text=_("Empty: the site's limit. Only a lower value applies."),
    )
    upload_min_side = models.PositiveSmallIntegerField(
        _("smallest side (px)"), null=True, blank=True, help_text=_("Empty: the site's limit. Only a higher value applies.")
    )
    upload_max_aspect = models.DecimalField(
        _("longest to shortest side, at most"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("1.0"))],
        help_text=_("Empty: the site's limit (20 to 1). Only a lower value applies."),
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("Pages and e-mails fall back to this language when a text is missing in the visitor's language."),
    )
    # The people's choice (contest.services.votes): an optional public vote
    # among the shortlisted entries (`Entry.shortlisted`), one drawing per age
    # category, in the window [vote_opens_at, vote_closes_at).
    peoples_choice = models.BooleanField(
        _("people's choice vote"), default=False,
        help_text=_("The public votes for one shortlisted drawing per age category; each vote is confirmed by e-mail."),
    )
    vote_opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(
        _("voting closes at"), null=True, blank=True, help_text=_("The vote counts are shown from this moment on."),
    )
    # A national round (`contest.services.national`): a contest of its own
    # (dates, time zone, language, team, jury, ranking, results) whose best
    # entries are promoted to `parent`, the regional final. `country` is set
    # exactly when `parent` is, one round per country of the parent.
    parent = models.ForeignKey(
        "self", verbose_name=_("regional final"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="national_rounds",
    )
    country = models.CharField(_("country of the national round"), max_length=2, choices=Country.choices, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="contest_opens_before_closes"),
            # A people's choice needs its whole window (NULL would pass a bare comparison).
            models.CheckConstraint(
                condition=Q(peoples_choice=False) | Q(
                    vote_opens_at__isnull=False, vote_closes_at__isnull=False, vote_opens_at__lt=F("vote_closes_at"),
                ),
                name="contest_vote_window_valid",
            ),
            # A national round has both its regional final and its country; an ordinary contest neither.
            models.CheckConstraint(
                condition=Q(parent__isnull=True, country="") | (Q(parent__isnull=False) & ~Q(country="")),
                name="contest_round_parent_and_country",
            ),
            models.UniqueConstraint(
                fields=["parent", "country"], condition=Q(parent__isnull=False), name="contest_one_round_per_country",
            ),
            # A round's final is not itself a round.
            models.CheckConstraint(condition=~Q(parent=F("id")), name="contest_round_not_own_parent"),
        ]

    def __str__(self):
        return self.title

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def is_open(self, at=None):
        """True while `opens_at <= at < closes_at` (`at` defaults to now)."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def is_national_round(self) -> bool:
        """A national round of a regional final (no query)."""
        return self.parent_id is not None

    def clean(self):
        super().clean()
        if self.parent_id is not None and self.parent is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("A national round cannot have rounds of its own.")})
            if self.country not in (self.parent.countries or []):
                raise ValidationError({"country": _("The regional final does not take part in this country.")})
        if self.peoples_choice and not (
            self.vote_opens_at and self.vote_closes_at and self.vote_opens_at < self.vote_closes_at
        ):
            raise ValidationError(
                {"vote_closes_at": _("A people's choice vote needs its opening and closing time, the closing one later.")}
            )

    def voting_open(self, at=None) -> bool:
        """True while the people's choice is on and `vote_opens_at <= at <
        vote_closes_at` (`at` defaults to now)."""
        at = at or timezone.now()
        return self.peoples_choice and self.vote_opens_at <= at < self.vote_closes_at

    def voting_closed(self, at=None) -> bool:
        """True once a people's choice's window has closed: its counts are public."""
        at = at or timezone.now()
        return self.peoples_choice and self.vote_closes_at <= at

    @property
    def results_published(self):
        return self.results_published_at is not None


class AgeCategory(models.Model):
    """An age band, inclusive at both ends, in whole years on the contest's
    reference date. `name` is its name in the contest's default language;
    `names` holds the other languages' names, language code -> text
    (missing or empty ones fall back to `name`, see `name_in`). Bands of one contest never overlap: checked by
    `contest.ages.age_bands_validate` (in `clean` and the admin's formset), and by
    the database itself (triggers of migration 0009, on SQLite and
    PostgreSQL), so a raw ORM write that overlaps raises `IntegrityError`.
    SQLite drops a table's triggers when a migration rebuilds the table: a
    migration that alters this model must create them again."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="age_categories",
    )
    name = models.CharField(_("name"), max_length=100)
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"))
    max_age = models.PositiveSmallIntegerField(_("maximum age"))

    class Meta:
        ordering = ["contest", "min_age"]
        verbose_name = _("age category")
        verbose_name_plural = _("age categories")
        constraints = [
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="agecategory_min_lte_max"),
            models.UniqueConstraint(fields=["contest", "name"], name="agecategory_unique_name"),
            models.UniqueConstraint(fields=["contest", "min_age"], name="agecategory_unique_min_age"),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_age}–{self.max_age})"

    def name_in(self, language: str) -> str:
        """The category's name in `language` (a code of `settings.LANGUAGES`):
        `names[language]`, falling back to `name` (the name in the
        contest's default language). Every public page names a category
        through this (the `category_name` template filter)."""
        return (self.names or {}).get(language) or self.name

    def clean(self):
        if self.min_age is None or self.max_age is None:
            return
        others = []
        if self.contest_id:
            others = list(
                AgeCategory.objects.filter(contest_id=self.contest_id).exclude(pk=self.pk).values_list("min_age", "max_age")
            )
        age_bands_validate(bands=[*others, (self.min_age, self.max_age)])
