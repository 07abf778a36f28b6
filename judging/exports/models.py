"""One export of a contest's data, made by the worker: what was asked, by
whom, how far the build is and the file once it is ready.

Loaded with `judging.models`, so it is a model of the judging app.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contest.models import Contest


def export_upload_to(instance, filename):
    # A random name: an export holds personal data and its name must not
    # be guessable; the download view gives it a readable name.
    return f"exports/{instance.contest_id}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix}"


class Export(models.Model):
    """A file of a contest's data asked for by an organizer and built by the
    worker (`judging.services.exports.export_build`): queued → running →
    ready (with its file) or failed (with a reason, and no file)."""

    class Kind(models.TextChoices):
        ENTRIES_CSV = "entries_csv", _("Entries (CSV)")
        ENTRIES_XLSX = "entries_xlsx", _("Entries (Excel)")
        SCORES_CSV = "scores_csv", _("Score sheets (CSV)")
        SCORES_XLSX = "scores_xlsx", _("Score sheets (Excel)")
        WINNERS_ZIP = "winners_zip", _("Winners' originals for printing (ZIP)")
        CERTIFICATES_PDF = "certificates_pdf", _("Certificates for printing (PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    # The language of the column headings and labels: the organizer's.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_to, max_length=255, blank=True)
    error = models.CharField(_("reason of the failure"), max_length=300, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="export_progress_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[
                    "entries_csv", "entries_xlsx", "scores_csv", "scores_xlsx", "winners_zip", "certificates_pdf",
                ]),
                name="export_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]), name="export_status_valid"
            ),
            # Ready means a file, complete; failed means a reason and no file.
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(progress=100) & Q(finished_at__isnull=False)),
                name="export_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | (~Q(error="") & Q(file="")), name="export_failed_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["contest", "-created_at"], name="export_contest_created_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_ready(self):
        return self.status == self.Status.READY and bool(self.file)

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
