"""Who runs a contest: its organizers and moderators (judges are its panel,
`judging.models.JudgeAssignment`). The rules that read these rows are
`contest.rules`'; they are written only through `contest.services.roles`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contest import Contest


class ContestRole(models.Model):
    """One person's role in one contest. An organizer runs everything of
    the contest (and moderates too); a moderator only moderates its
    entries. A person may hold roles in several contests."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("organizer")
        MODERATOR = "moderator", _("moderator")

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="contest_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("granted by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["contest", "role", "granted_at", "id"]
        verbose_name = _("role in a contest")
        verbose_name_plural = _("roles in contests")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user", "role"], name="contest_role_unique"),
            models.CheckConstraint(condition=models.Q(role__in=["organizer", "moderator"]), name="contest_role_known"),
        ]

    def __str__(self):
        return f"{self.contest_id} · {self.user_id} · {self.role}"
