"""An entry (one child's drawing in one contest) and its renditions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from ..links import secret_hash_unknown
from .base import TimeStampedModel
from .contest import AgeCategory, Contest, Country
from .listed import listed_special_awards
from .teachers import Teacher, consent_scan_upload_to


def original_upload_to(instance, filename):
    # Random names: the parent's file name is personal data and never kept.
    return f"originals/{instance.contest_id}/{uuid.uuid4().hex}"


def place_label(place: int) -> str:
    """A place (1, 2, 3, 4…) in words in the active language: "1st
    place", "4th place", "22nd place"."""
    if place in Entry.Award.values:
        return str(Entry.Award(place).label)
    template = gettext("%(number)sth place")
    if template == "%(number)sth place" and place % 100 not in (11, 12, 13) and place % 10 in (1, 2, 3):
        template = "%(number)s" + {1: "st", 2: "nd", 3: "rd"}[place % 10] + " place"
    return template % {"number": place}


class EntryQuerySet(models.QuerySet):
    def judgeable(self):
        """Entries judges may see and score: confirmed by the guardian,
        approved by a moderator, renditions ready. `Entry.is_judgeable` is
        the same rule for one entry in hand."""
        return self.filter(
            guardian_confirmed_at__isnull=False,
            moderation_status=Entry.Moderation.APPROVED,
            processing_status=Entry.Processing.READY,
        ).exclude(privacy_review=Entry.PrivacyReview.FLAGGED)

    def winners(self):
        """Entries holding a place or at least one special award."""
        holders = self.model.special_awards.through.objects.filter(entry=OuterRef("pk"))
        return self.filter(Q(award__isnull=False) | Exists(holders))

    def on_ballot(self, *, contest):
        """The entries of `contest` the public may vote for (the rule of
        `contest.rules.is_on_ballot` as a query): shortlisted, the guardian
        agreed to publication, judgeable (confirmed, approved, rendered, no
        face or name pending); none unless the people's choice is on and
        its window has opened."""
        if not contest.peoples_choice or contest.vote_opens_at is None or contest.vote_opens_at > timezone.now():
            return self.none()
        return self.judgeable().filter(contest=contest, shortlisted=True, publish_consent=True)

    def published_winners(self, *, contest):
        """The winners of `contest` the public may see (the rule of
        `contest.rules.is_published_winner` as a query): the guardian agreed
        to publication, confirmed, approved and rendered; none before the
        results are published."""
        if contest.results_published_at is None:
            return self.none()
        return self.winners().filter(
            contest=contest,
            publish_consent=True,
            guardian_confirmed_at__isnull=False,
            moderation_status=self.model.Moderation.APPROVED,
            processing_status=self.model.Processing.READY,
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

    class SheetMode(models.TextChoices):
        """What the worker does with the photo (`contest.imaging.Geometry`)."""

        AUTO = "auto", _("sheet found and straightened automatically")
        PHOTO = "photo", _("photo kept as it was sent")
        MANUAL = "manual", _("sheet's corners set by a moderator")

    class PrivacyReview(models.TextChoices):
        """A person's face or the child's written name found in the photo:
        such an entry waits for a moderator, hidden from judges."""

        NONE = "none", _("nothing found")
        FLAGGED = "flagged", _("a face or a written name found: waits for a moderator")
        CLEARED = "cleared", _("checked by a moderator")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    objects = EntryQuerySet.as_manager()

    class Award(models.IntegerChoices):
        """The places the ranking suggests; `award` may be any place > 0
        (`place_label` names every one)."""

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
    # What the title or description seem to reveal about the child (codes
    # of `contest.text_privacy.TextFlag`), found at submission and after a
    # moderator's edit; shown as a badge in moderation.
    text_flags = models.JSONField(_("personal data in the title or description"), default=list, blank=True)

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
    # SHA-256 of the secret every guardian link carries (`contest.links`):
    # the plain secret is never stored here, and a new one (sent by e-mail)
    # makes every older link stop working.
    link_secret_hash = models.CharField(
        _("guardian link secret (SHA-256)"), max_length=64, default=secret_hash_unknown, editable=False
    )
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
    # The worker's bookkeeping (contest.renditions, contest.services.processing):
    # rendering attempts that started and did not finish (a killed worker, a
    # drawing that crashes the renderer), the lease of the run in progress
    # (the sweeper leaves a leased entry alone), and the automatic retries of
    # a transient failure (storage down) with the time of the next one.
    render_attempts = models.PositiveSmallIntegerField(_("unfinished rendering attempts"), default=0)
    render_lease_until = models.DateTimeField(_("rendering leased until"), null=True, blank=True)
    render_lease_owner = models.CharField(_("rendering task"), max_length=64, blank=True)
    render_retries = models.PositiveSmallIntegerField(_("automatic retries"), default=0)
    render_retry_at = models.DateTimeField(_("next automatic retry"), null=True, blank=True)
    # The sheet in the photo (`contest.imaging.geometry`, corners normalized
    # to the upright photo, top-left first, clockwise): what the worker is
    # asked to do, the corners a moderator set, and the corners the current
    # renditions were straightened along (None: the photo as it was).
    sheet_mode = models.CharField(_("straightening"), max_length=6, choices=SheetMode.choices, default=SheetMode.AUTO)
    sheet_corners_set = models.JSONField(_("corners set by a moderator"), null=True, blank=True)
    sheet_corners = models.JSONField(_("corners the drawing was straightened along"), null=True, blank=True)
    # Regions hidden on every rendition (never on the stored original):
    # [{"x", "y", "w", "h", "style": "blur"|"fill"}], normalized to the drawing as shown.
    image_masks = models.JSONField(_("hidden regions"), default=list, blank=True)
    privacy_review = models.CharField(
        _("face or name check"), max_length=8, choices=PrivacyReview.choices, default=PrivacyReview.NONE
    )
    # What the worker found: {"faces": [box…] in the photo, "names": [box…]
    # in the drawing}, boxes as {"x", "y", "w", "h"} normalized; never the text read.
    privacy_findings = models.JSONField(_("faces and names found"), default=dict, blank=True)
    photo_requested_at = models.DateTimeField(_("photo of the drawing alone asked for at"), null=True, blank=True)
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
    # The place (1st, 2nd, 3rd, 4th…) in its age category; one entry per place.
    award = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    # On the people's choice ballot (`EntryQuerySet.on_ballot`), set by an organizer.
    shortlisted = models.BooleanField(_("shortlisted for the people's choice"), default=False)
    # In a regional final: the round's entry it was promoted from (`services.national.entries_promote`).
    promoted_from = models.OneToOneField(
        "self", verbose_name=_("promoted from"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="promoted_to", editable=False,
    )
    # Sent by a teacher (`contest.services.teachers`): consent by the guardian's
    # e-mail or a signed paper form's scan, unconfirmed until a moderator checks it.
    teacher = models.ForeignKey(
        Teacher, verbose_name=_("teacher"), on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    consent_scan = models.FileField(
        _("scan of the signed consent form"), upload_to=consent_scan_upload_to, max_length=255, blank=True
    )
    consent_scan_checked_at = models.DateTimeField(_("consent form checked at"), null=True, blank=True)
    consent_scan_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consent form checked by"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["age_category", "award"], condition=Q(award__isnull=False), name="entry_one_award_per_place"
            ),
            models.CheckConstraint(condition=Q(award__isnull=True) | Q(award__gt=0), name="entry_award_positive"),
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
            models.CheckConstraint(condition=Exact(Length("link_secret_hash"), 64), name="entry_link_secret_hash_sha256"),
            # Only an entry its guardian confirmed can be approved.
            models.CheckConstraint(
                condition=~Q(moderation_status="approved") | Q(guardian_confirmed_at__isnull=False),
                name="entry_approved_only_confirmed",
            ),
            models.CheckConstraint(condition=Q(sheet_mode__in=["auto", "photo", "manual"]), name="entry_sheet_mode_known"),
            # A moderator's straightening has its corners.
            models.CheckConstraint(
                condition=~Q(sheet_mode="manual") | Q(sheet_corners_set__isnull=False), name="entry_manual_sheet_has_corners"
            ),
            models.CheckConstraint(
                condition=Q(privacy_review__in=["none", "flagged", "cleared"]), name="entry_privacy_review_known"
            ),
            # A face or a name found keeps the entry from approval until a moderator dealt with it.
            models.CheckConstraint(
                condition=~Q(moderation_status="approved") | ~Q(privacy_review="flagged"),
                name="entry_approved_not_privacy_flagged",
            ),
            # An automatic retry is planned only for a failed entry.
            models.CheckConstraint(
                condition=Q(render_retry_at__isnull=True) | Q(processing_status="failed"),
                name="entry_retry_only_failed",
            ),
            # A lease belongs to a run in progress.
            models.CheckConstraint(
                condition=Q(render_lease_until__isnull=True) | Q(processing_status="processing"),
                name="entry_lease_only_processing",
            ),
            # A teacher's entry has a way to the guardian's consent: an address or a scan.
            models.CheckConstraint(
                condition=Q(teacher__isnull=True) | ~Q(guardian_email="") | ~Q(consent_scan="")
                | Q(personal_data_purged_at__isnull=False),
                name="entry_teacher_consent_path",
            ),
            # A paper consent counts as the guardian's confirmation only once checked.
            models.CheckConstraint(
                condition=Q(consent_scan="") | Q(guardian_confirmed_at__isnull=True)
                | Q(consent_scan_checked_at__isnull=False),
                name="entry_scan_confirmed_only_checked",
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "moderation_status", "processing_status"], name="entry_visible_idx"),
            models.Index(fields=["processing_status", "updated_at"], name="entry_processing_idx"),
            models.Index(fields=["processing_status", "render_retry_at"], name="entry_retry_idx"),
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
            and self.privacy_review != self.PrivacyReview.FLAGGED
        )

    @property
    def is_winner(self) -> bool:
        """A place or a special award (no query if the awards were listed)."""
        return self.award is not None or bool(listed_special_awards(self))

    def get_award_display(self) -> str:
        """The place as words ("1st place", "4th place"), "" without one."""
        return place_label(self.award) if self.award else ""

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
        # Judges and organizers only, never public (`contest.rules`).
        ZOOM = "zoom", _("zoom for judges (2048 px long side)")
        # Moderators only, never judges or the public: the photo as sent.
        PHOTO = "photo", _("photo as sent, for moderators (1024 px long side)")

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
