"""What the portal records about its own work on children's data: the
privacy audit log, the runs of the purges and of the stuck-entry sweeper,
and the anonymous counts left of deleted entries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .contest import AgeCategory, Contest, Country


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
        TEXT_EDITED = "text_edited", _("title or description changed")
        PUBLICATION_CHANGED = "publication", _("publication answers changed")
        WITHDRAWN = "withdrawn", _("entry withdrawn by the guardian")
        EXPORTED = "exported", _("personal data exported")
        PURGED = "purged", _("personal data purged")
        DELETED = "deleted", _("entry deleted by an organizer")
        AWARDED = "awarded", _("award given")
        ROLE_GRANTED = "role_granted", _("role granted")
        ROLE_REVOKED = "role_revoked", _("role revoked")
        EDITED = "edited", _("entry details changed by the guardian")
        REPLACED = "replaced", _("drawing replaced by the guardian")
        SHEET_CHANGED = "sheet", _("straightening of the drawing changed")
        MASKED = "masked", _("regions of the drawing hidden")
        PRIVACY_FLAGGED = "privacy_flag", _("a face or a written name found in the photo")
        PRIVACY_CLEARED = "privacy_ok", _("photo checked by a moderator")
        PHOTO_REQUESTED = "photo_asked", _("guardian asked for a photo of the drawing alone")
        VOTES_VOIDED = "votes_voided", _("people's choice votes voided")
        PROMOTED = "promoted", _("entry promoted to the regional final")
        TEACHER_APPROVED = "teacher_ok", _("teacher's account approved")
        SCAN_CHECKED = "scan_checked", _("signed consent form checked")
        SCAN_REFUSED = "scan_refused", _("signed consent form refused")
        ROUNDS_CREATED = "rounds_made", _("national rounds created")

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
