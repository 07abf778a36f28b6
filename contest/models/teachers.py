"""Teachers and art studios who submit a class's drawings: a profile on a
user account, usable once its e-mail address is verified and an organizer
approved it (`contest.services.teachers`, `contest.rules.is_approved_teacher`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel
from .contest import Country


def consent_scan_upload_to(instance, filename):
    # Random names, as for originals: the scan is a signed form naming the child.
    return f"consent_scans/{instance.contest_id}/{uuid.uuid4().hex}"


class Teacher(TimeStampedModel):
    """A teacher's (or studio's) profile. `email_verified_at` is set by the
    signed link e-mailed at registration; `approved_at`/`approved_by` by an
    organizer. Only a verified and approved teacher submits."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="teacher"
    )
    full_name = models.CharField(_("teacher's name"), max_length=200)
    school = models.CharField(_("school or studio"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("city or region"), max_length=120)
    language = models.CharField(_("language"), max_length=10, default="en")
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        constraints = [
            # Approval follows the verification of the address, never precedes it.
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(email_verified_at__isnull=False),
                name="teacher_approved_only_verified",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(approved_at__isnull=False),
                name="teacher_approver_only_approved",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} · {self.school}"

    @property
    def is_approved(self) -> bool:
        return self.email_verified_at is not None and self.approved_at is not None
