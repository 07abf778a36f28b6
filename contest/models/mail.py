"""The outbox of e-mails to guardians: one row per e-mail the portal owes,
written in the same transaction as the event that calls for it (a
submission, a rejection, a request for the links), so no e-mail is lost
when the broker is down at that moment (see `contest.services.mail`)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .entry import Entry

# The kinds of `GuardianMail` that tell a family the results.
RESULTS_KINDS = ("winner", "thanks")


class GuardianMail(models.Model):
    """One e-mail to an entry's guardian: which one (`kind`), in which
    language, and how its sending went. Holds no personal data itself (the
    address and wording are read from the entry when it is sent); deleted
    with the entry. `link_secret` is the plain secret of the links the
    e-mail carries (`contest.links`): the entry keeps only its hash, so the
    row that sends the e-mail must hold it until then; it is emptied once
    the e-mail is sent or given up. `last_error` names the exception class and SMTP code
    only, never the server's message (it may quote the address)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("confirmation (receipt)")
        LINK = "link", _("link to the entry's page")
        REJECTION = "rejection", _("rejection")
        TEXT_EDITED = "text_edit", _("title or description changed by an organizer")
        PHOTO_REQUEST = "photo_ask", _("a photo of the drawing alone asked for")
        # The worker's full decode failed (a file damaged or cut short on its
        # way, e.g. straight to S3 where the portal reads only its head).
        UNREADABLE = "unreadable", _("the photo could not be read")
        # The results, once published (`contest.services.results_mails_owe`):
        # a winner's award, or everyone else's thanks; one of them per entry.
        WINNER = "winner", _("results: the award")
        THANKS = "thanks", _("results: thanks for taking part")

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="guardian_mails")
    kind = models.CharField(_("e-mail"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(
        _("last handed to the worker at"), null=True, blank=True,
        help_text=_("Empty while the task queue could not take it; the sweeper tries again."),
    )
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts to send"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=80, blank=True)
    link_secret = models.CharField(_("link secret until sent"), max_length=64, blank=True, editable=False)
    # An "unreadable" e-mail names the stored photo it is about (a random
    # key, no personal data): one e-mail per photo, however often it fails.
    photo_name = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail to a guardian")
        verbose_name_plural = _("e-mails to guardians")
        constraints = [
            models.CheckConstraint(condition=Q(attempts__gte=0), name="guardianmail_attempts_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=[
                    "receipt", "link", "rejection", "text_edit", "photo_ask", "unreadable", "winner", "thanks",
                ]),
                name="guardianmail_kind_known",
            ),
            # The results reach a family once: publishing twice, a task run
            # twice or a sweep racing a batch never owes a second one.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(kind__in=RESULTS_KINDS), name="guardianmail_one_results_mail_per_entry"
            ),
            # The plain link secret never outlives the sending.
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(link_secret=""), name="guardianmail_sent_keeps_no_secret"
            ),
            # A mail counts as sent only after an attempt was made.
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(attempts__gte=1), name="guardianmail_sent_after_an_attempt"
            ),
        ]
        indexes = [
            # The sweeper reads the unsent rows only.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="guardianmail_unsent"),
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%Y-%m-%d %H:%M}" if self.sent_at else f"unsent after {self.attempts} attempts"
        return f"{self.kind} #{self.pk} for entry #{self.entry_id} · {state}"
