"""Contest data: contests, age categories, entries and their renditions.

The entry row holds the child's personal data; judges and the public only
ever see what selectors expose (see `contest/selectors.py`).
"""

import re
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


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
    # Per-contest upload limits: empty means the site's setting; a value can
    # only tighten it (see contest.services.upload_policy).
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

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="contest_opens_before_closes"),
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
    def results_published(self):
        return self.results_published_at is not None


class AgeCategory(models.Model):
    """An age band, inclusive at both ends, in whole years on the contest's
    reference date. Bands of one contest never overlap: checked in `clean`,
    by `contest.services.age_bands_validate` for the admin's formset, and by
    the database itself (triggers of migration 0009, on SQLite and
    PostgreSQL), so a raw ORM write that overlaps raises `IntegrityError`.
    SQLite drops a table's triggers when a migration rebuilds the table: a
    migration that alters this model must create them again."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="age_categories",
    )
    name = models.CharField(_("name"), max_length=100)
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

    def clean(self):
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError(_("The minimum age must not be above the maximum age."))
        if self.contest_id and self.min_age is not None and self.max_age is not None:
            overlapping = AgeCategory.objects.filter(
                contest_id=self.contest_id, min_age__lte=self.max_age, max_age__gte=self.min_age
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("This age range overlaps another category of the contest."))


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


def original_upload_to(instance, filename):
    # Random names: the parent's file name is personal data and never kept.
    return f"originals/{instance.contest_id}/{uuid.uuid4().hex}"


class EntryQuerySet(models.QuerySet):
    def judgeable(self):
        """Entries judges may see and score: confirmed by the guardian,
        approved by a moderator, renditions ready. `Entry.is_judgeable` is
        the same rule for one entry in hand."""
        return self.filter(
            guardian_confirmed_at__isnull=False,
            moderation_status=Entry.Moderation.APPROVED,
            processing_status=Entry.Processing.READY,
        )


class Entry(TimeStampedModel):
    """One child's drawing in one contest.

    `reference` is the parent's receipt code (8 symbols, see
    `contest.services.reference_generate`); `public_id` names the entry in
    every public URL. Personal data: the child's names, birth date, region,
    school and the guardian fields.
    """

    class Processing(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSING = "processing", _("processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    objects = EntryQuerySet.as_manager()

    class Award(models.IntegerChoices):
        FIRST = 1, _("1st place")
        SECOND = 2, _("2nd place")
        THIRD = 3, _("3rd place")

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GUARDIAN = "guardian", _("legal guardian")
        OTHER = "other", _("other person with parental responsibility")

    class RejectionReason(models.TextChoices):
        NOT_A_DRAWING = "not_a_drawing", _("The picture is not a drawing.")
        OFF_THEME = "off_theme", _("The drawing is not about the contest's theme.")
        NOT_BY_CHILD = "not_by_child", _("The drawing does not seem to be the child's own work.")
        PERSONAL_DATA = "personal_data", _("The picture shows personal data (a full name, an address or a face).")
        UNREADABLE = "unreadable", _("The photo is too blurred or dark to judge the drawing.")
        DUPLICATE = "duplicate", _("The same drawing was already sent.")
        INAPPROPRIATE = "inappropriate", _("The picture is not suitable for children.")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="entries")
    age_category = models.ForeignKey(
        AgeCategory, verbose_name=_("age category"), on_delete=models.PROTECT, related_name="entries",
    )
    reference = models.CharField(_("reference code"), max_length=9, unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    child_first_name = models.CharField(_("child's first name"), max_length=100)
    child_last_name = models.CharField(_("child's last name"), max_length=100)
    child_birth_date = models.DateField(_("child's date of birth"), null=True, blank=True)
    # Empty only on a winner stripped by the retention purge without consent to publish.
    child_age = models.PositiveSmallIntegerField(_("age on the reference date"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("city or region"), max_length=120)
    school = models.CharField(_("school"), max_length=200, blank=True)

    title = models.CharField(_("artwork title"), max_length=120)
    description = models.TextField(_("description by the child"), max_length=1000, blank=True)

    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relationship = models.CharField(
        _("relationship to the child"), max_length=10, choices=Relationship.choices, blank=True
    )
    guardian_email = models.EmailField(_("guardian's e-mail"), blank=True)
    consent_version = models.CharField(_("consent text version accepted"), max_length=20)
    consent_language = models.CharField(_("language of the consent text"), max_length=10, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"))
    # (a) taking part and processing: required, so always true on a saved entry.
    consent_participation = models.BooleanField(_("agreed to take part and to the processing"), default=True)
    # (b) publishing the artwork with first name, age and country if it wins.
    publish_consent = models.BooleanField(_("may publish first name, age and country"), default=False)
    # (c) also the city or region; only together with (b).
    publish_region_consent = models.BooleanField(_("may also publish the city or region"), default=False)
    publication_changed_at = models.DateTimeField(_("publication answers changed at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    guardian_confirmed_at = models.DateTimeField(_("guardian confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation link sent at"), null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)

    original = models.FileField(_("original image"), upload_to=original_upload_to, max_length=255, blank=True)
    original_format = models.CharField(_("original format"), max_length=10, blank=True)
    original_width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    original_height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    original_sha256 = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    # The submit form's one-time token: a second, simultaneous post of the
    # same form (a double click) lands on this entry's receipt.
    submission_token = models.CharField(_("submission token"), max_length=32, blank=True, editable=False)
    low_resolution = models.BooleanField(_("low resolution"), default=False)
    phash = models.CharField(_("perceptual hash"), max_length=16, blank=True)
    near_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("near duplicate of")
    )

    processing_status = models.CharField(
        _("processing"), max_length=12, choices=Processing.choices, default=Processing.RECEIVED
    )
    processing_error = models.CharField(_("processing error"), max_length=300, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    placeholder = models.CharField(_("placeholder (BlurHash)"), max_length=64, blank=True)
    dominant_color = models.CharField(_("dominant colour"), max_length=7, blank=True)

    moderation_status = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_note = models.CharField(_("moderation note"), max_length=300, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged for a closer look"), default=False)
    award = models.PositiveSmallIntegerField(_("award"), choices=Award.choices, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["age_category", "award"], condition=Q(award__isnull=False), name="entry_one_award_per_place"
            ),
            models.CheckConstraint(condition=Q(award__isnull=True) | Q(award__in=[1, 2, 3]), name="entry_award_1_to_3"),
            models.UniqueConstraint(
                fields=["contest", "original_sha256"], condition=~Q(original_sha256=""), name="entry_unique_image_per_contest"
            ),
            models.CheckConstraint(
                condition=Q(publish_region_consent=False) | Q(publish_consent=True), name="entry_region_only_with_publication"
            ),
            models.CheckConstraint(
                condition=Q(consent_participation=True) | Q(personal_data_purged_at__isnull=False),
                name="entry_participation_consent",
            ),
            # Only an entry its guardian confirmed can be approved.
            models.CheckConstraint(
                condition=~Q(moderation_status="approved") | Q(guardian_confirmed_at__isnull=False),
                name="entry_approved_only_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "moderation_status", "processing_status"], name="entry_visible_idx"),
            models.Index(fields=["processing_status", "updated_at"], name="entry_processing_idx"),
        ]

    def __str__(self):
        # Only the reference: this text outlives the entry in the admin's
        # change history, and a title may name the child.
        return self.reference

    @property
    def is_judgeable(self):
        return (
            self.guardian_confirmed_at is not None
            and self.moderation_status == self.Moderation.APPROVED
            and self.processing_status == self.Processing.READY
        )

    @property
    def is_confirmed(self):
        return self.guardian_confirmed_at is not None


class Rendition(TimeStampedModel):
    """A derived image of an entry: metadata-free, upright, sRGB.

    Stored under a deterministic key (`renditions/<public_id>/<kind>.<ext>`)
    so a task that runs twice overwrites instead of adding files; one row per
    (entry, kind, format) is enforced by the database.
    """

    class Kind(models.TextChoices):
        CARD = "card", _("card (400 px wide)")
        CARD_2X = "card2x", _("card for high-density screens (800 px wide)")
        DISPLAY = "display", _("display (1200 px long side)")

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    format = models.CharField(max_length=5, choices=Format.choices)
    file = models.FileField(max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()

    class Meta:
        ordering = ["entry", "kind", "format"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "format"], name="rendition_one_per_kind_format"),
        ]

    def __str__(self):
        return f"{self.entry.reference} {self.kind} {self.format} {self.width}×{self.height}"


class SweepRun(models.Model):
    """One run of the stuck-entry sweeper: when, and how many entries it
    queued again (see `contest.services.entries_requeue_stuck`)."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    requeued = models.PositiveIntegerField(_("entries queued again"))
    older_than_seconds = models.PositiveIntegerField(_("stuck for at least (seconds)"))

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("sweeper run")
        verbose_name_plural = _("sweeper runs")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M:%S} · {self.requeued}"


class AnonymousCount(models.Model):
    """What is left of deleted entries: a count per contest, country, age
    category and reason, nothing that names a child."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("withdrawn by the guardian")
        UNCONFIRMED = "unconfirmed", _("never confirmed by the guardian")
        REJECTED = "rejected", _("rejected in moderation")
        RETENTION = "retention", _("retention period over")
        DELETED = "deleted", _("deleted by an organizer")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="anonymous_counts",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    age_category = models.ForeignKey(
        AgeCategory, verbose_name=_("age category"), on_delete=models.CASCADE, related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    count = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        ordering = ["contest", "country", "age_category", "reason"]
        verbose_name = _("anonymous count of deleted entries")
        verbose_name_plural = _("anonymous counts of deleted entries")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "country", "age_category", "reason"], name="anonymouscount_one_per_group"
            ),
        ]

    def __str__(self):
        return f"{self.contest} · {self.country} · {self.age_category} · {self.reason}: {self.count}"


class PurgeRun(models.Model):
    """One run of a deletion rule: when, by which rule, how many entries
    (and, for the storage check, how many files without an entry)."""

    class Rule(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("unconfirmed entries after the link expired")
        RETENTION = "retention", _("personal data after the retention period")
        REJECTED = "rejected", _("rejected entries after the grace period")
        ORPHAN_FILES = "orphan_files", _("files in storage that no entry uses")

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    rule = models.CharField(_("rule"), max_length=12, choices=Rule.choices)
    entries = models.PositiveIntegerField(_("entries deleted or anonymized"))
    files = models.PositiveIntegerField(_("files deleted"), default=0)
    dry_run = models.BooleanField(_("dry run (nothing deleted)"), default=False)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M:%S} · {self.rule} · {self.entries} · {self.files}"


class AuditLog(models.Model):
    """Who did what to children's data and when: moderation, publication
    answers, withdrawals, purges and exports. Rows are only added
    (`contest.services.audit_log_record`); the entry is named by its
    reference code, so the row outlives the entry without personal data."""

    class Action(models.TextChoices):
        CONFIRMED = "confirmed", _("guardian confirmed the entry")
        APPROVED = "approved", _("entry approved")
        REJECTED = "rejected", _("entry rejected")
        FLAGGED = "flagged", _("entry flagged")
        PUBLICATION_CHANGED = "publication", _("publication answers changed")
        WITHDRAWN = "withdrawn", _("entry withdrawn by the guardian")
        EXPORTED = "exported", _("personal data exported")
        PURGED = "purged", _("personal data purged")
        DELETED = "deleted", _("entry deleted by an organizer")
        AWARDED = "awarded", _("award given")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    actor_label = models.CharField(_("by (role)"), max_length=40, help_text=_("guardian, system or a user name"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, null=True, blank=True, related_name="audit_log",
    )
    entry_reference = models.CharField(_("entry"), max_length=9, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} · {self.actor_label} · {self.action} {self.entry_reference}"
