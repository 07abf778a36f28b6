"""Reads for teachers (their class's entries and where each stands, never
a score) and for the moderators' check of signed paper consent forms."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Contest, Entry, Teacher

# What a teacher sees of an entry: no score, no judge, no award before the
# results are public (the class page shows the status only).
CLASS_ENTRY_FIELDS = (
    "pk", "reference", "public_id", "child_first_name", "child_last_name", "title", "created_at", "guardian_email",
    "consent_scan", "consent_scan_checked_at", "guardian_confirmed_at", "moderation_status", "processing_status",
)


@dataclass(frozen=True)
class ClassEntry:
    """One line of the class page: `status` is a sentence in the active language."""

    reference: str
    child: str
    title: str
    consent: str
    status: str


def class_entry_status(entry: Entry) -> tuple[str, str]:
    """(the consent's state, the entry's state) of a teacher's entry, as
    sentences: received, waiting for the guardian or the form's check, in
    moderation, accepted, not accepted, or the photo could not be read
    (the worker failed on it)."""
    if entry.consent_scan and entry.consent_scan_checked_at is None:
        consent = _("signed form waiting for a moderator's check")
    elif entry.consent_scan:
        consent = _("signed form checked")
    elif entry.guardian_confirmed_at is None:
        consent = _("waiting for the guardian's confirmation by e-mail")
    else:
        consent = _("confirmed by the guardian")
    if entry.moderation_status == Entry.Moderation.REJECTED:
        status = _("not accepted")
    elif entry.processing_status == Entry.Processing.FAILED:
        # The teacher may be the only one to hear of it (a paper consent, no guardian's e-mail).
        status = _("the photo could not be read")
    elif entry.guardian_confirmed_at is None:
        status = _("received")
    elif entry.moderation_status == Entry.Moderation.APPROVED:
        status = _("accepted")
    else:
        status = _("in moderation")
    return str(consent), str(status)


def teacher_class_entries(*, teacher: Teacher, contest: Contest) -> list[ClassEntry]:
    """The entries `teacher` sent to `contest`, newest first (one query)."""
    entries = Entry.objects.filter(teacher=teacher, contest=contest).only(*CLASS_ENTRY_FIELDS).order_by("-created_at")
    found = []
    for entry in entries:
        consent, status = class_entry_status(entry)
        found.append(ClassEntry(
            reference=entry.reference, child=f"{entry.child_first_name} {entry.child_last_name}", title=entry.title,
            consent=consent, status=status,
        ))
    return found


def consent_scans_waiting(*, contest: Contest) -> list[Entry]:
    """`contest`'s entries whose signed paper consent form waits for a
    moderator's check, oldest first (one query)."""
    return list(
        Entry.objects.filter(contest=contest, consent_scan_checked_at__isnull=True)
        .exclude(consent_scan="").select_related("teacher").order_by("created_at")
    )


def teachers_waiting(*, countries: frozenset[str] | None = None) -> list[Teacher]:
    """Teachers with a verified address waiting for approval, oldest first,
    of `countries` (codes; None: every country); one query, none for an
    empty set. `contest.rules.teacher_countries_approved_by` gives a user's."""
    if countries is not None and not countries:
        return []
    waiting = Teacher.objects.filter(email_verified_at__isnull=False, approved_at__isnull=True)
    if countries is not None:
        waiting = waiting.filter(country__in=countries)
    return list(waiting.select_related("user").order_by("created_at"))


def teacher_contests(*, teacher: Teacher, now=None) -> list[Contest]:
    """The contests `teacher` can send drawings to now (the rule of
    `contest.rules.is_approved_teacher` as a query): open
    (`opens_at <= now < closes_at`), an ordinary contest or a national round
    of the teacher's country, never a regional final with rounds (its
    entries come through its rounds). Closing soonest first, translations
    prefetched; two queries."""
    now = now or timezone.now()
    return list(
        Contest.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .filter(Q(parent__isnull=True) | Q(country=teacher.country))
        .exclude(national_rounds__isnull=False)
        .distinct()
        .order_by("closes_at", "pk")
        .prefetch_related("translations")
    )
