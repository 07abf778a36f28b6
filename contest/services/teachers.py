"""Teachers and studios: registration, the verification of their address
by a signed link, an organizer's approval, one child's entry from a
teacher's row, and a moderator's check of a signed paper consent form.

A teacher's entry is a family's entry in every rule (`entry_submit`: the
window, the age category, the caps, the duplicate image, one transaction,
no file left behind); only the consent path differs: the guardian's
address gets the usual receipt and confirmation link, or the scan of the
signed paper form waits for a moderator (`entry_consent_scan_check`), the
entry staying unconfirmed (neither moderated nor judged) until then."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import imaging
from ..links import LinkExpired, LinkInvalid
from ..models import AuditLog, Contest, Entry, Teacher
from .audit import audit_log_record
from .jobs import SEND_TEACHER_VERIFICATION, job_enqueue
from .submission import Submission, entry_submit

VERIFY_SALT = "contest.teacher.verify"


@dataclass(frozen=True)
class TeacherRow:
    """One child's cleaned row (`contest.teacher_forms.TeacherRowForm`)."""

    child_first_name: str
    child_last_name: str
    child_birth_date: dt.date
    title: str
    guardian_email: str = ""


def teacher_register(
    *, email: str, password: str, full_name: str, school: str, country: str, region: str, language: str,
) -> Teacher:
    """Create the account (login: `email`) and its teacher profile, neither
    verified nor approved, and queue the verification e-mail after commit."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=email, email=email, password=password)
        teacher = Teacher(
            user=user, full_name=full_name.strip(), school=school.strip(), country=country, region=region.strip(),
            language=language,
        )
        teacher.full_clean()
        teacher.save()
    teacher_id = teacher.pk
    transaction.on_commit(lambda: job_enqueue(name=SEND_TEACHER_VERIFICATION, teacher_id=teacher_id))
    return teacher


def teacher_verification_token(*, teacher: Teacher) -> str:
    """A signed, dated token naming the teacher and the address it verifies."""
    return signing.dumps({"t": teacher.pk, "e": teacher.user.email.lower()}, salt=VERIFY_SALT)


def teacher_verification_deliver(*, teacher_id: int) -> bool:
    """E-mail the verification link in the teacher's language; False when
    the teacher is gone or verified already."""
    teacher = Teacher.objects.select_related("user").filter(pk=teacher_id, email_verified_at__isnull=True).first()
    if teacher is None:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse(
        "contest:teacher_verify", args=[teacher_verification_token(teacher=teacher)]
    )
    with translation.override(teacher.language):
        context = {"teacher": teacher, "link": link, "days": settings.TEACHER_VERIFY_DAYS}
        subject = _("Confirm your e-mail address")
        body = render_to_string("contest/email/teacher_verify.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [teacher.user.email])
    return True


def teacher_email_verify(*, token: str) -> Teacher:
    """The teacher opened the link: the address is verified (once; a second
    opening changes nothing). Raises `LinkExpired` (older than
    `settings.TEACHER_VERIFY_DAYS`) or `LinkInvalid` (changed, or the
    address changed since)."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=dt.timedelta(days=settings.TEACHER_VERIFY_DAYS))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    teacher = Teacher.objects.select_related("user").filter(pk=data.get("t")).first()
    if teacher is None or teacher.user.email.lower() != data.get("e"):
        raise LinkInvalid
    Teacher.objects.filter(pk=teacher.pk, email_verified_at__isnull=True).update(
        email_verified_at=timezone.now(), updated_at=timezone.now()
    )
    teacher.refresh_from_db()
    return teacher


def teacher_approve(*, teacher: Teacher, actor) -> Teacher:
    """An organizer approves a verified teacher (audited). Raises
    `ValidationError` ('unverified') before the address is verified."""
    if teacher.email_verified_at is None:
        raise ValidationError(_("The teacher has not verified the e-mail address yet."), code="unverified")
    with transaction.atomic():
        changed = Teacher.objects.filter(pk=teacher.pk, approved_at__isnull=True).update(
            approved_at=timezone.now(), approved_by=actor, updated_at=timezone.now()
        )
        if changed:
            audit_log_record(
                action=AuditLog.Action.TEACHER_APPROVED, actor=actor, detail={"teacher": teacher.pk},
            )
    teacher.refresh_from_db()
    return teacher


def teacher_entry_submit(
    *, teacher: Teacher, contest: Contest, row: TeacherRow, image, image_info: imaging.ImageInfo, consent_scan,
    language: str,
) -> Entry:
    """One child's entry from a teacher's row, through `entry_submit` (in
    its own transaction; on any refusal nothing of the row is kept, files
    included). The child's country, city and school are the teacher's.
    `consent_scan` (a file or None) is required without `row.guardian_email`.
    Raises `ValidationError` with the refusal (codes of `entry_submit`,
    'consent_path'), `StorageUnavailable` when the store refuses."""
    if not row.guardian_email and consent_scan is None:
        raise ValidationError(
            _("Give the guardian's e-mail address or the scan of the signed consent form."), code="consent_path"
        )
    data = Submission(
        child_first_name=row.child_first_name, child_last_name=row.child_last_name,
        child_birth_date=row.child_birth_date, country=teacher.country, region=teacher.region, school=teacher.school,
        title=row.title, description="", guardian_name="", guardian_email=row.guardian_email.strip(), consent=True,
        publish_consent=False,
    )
    return entry_submit(
        contest=contest, data=data, image=image, image_info=image_info, language=language, teacher=teacher,
        consent_scan=consent_scan if not row.guardian_email else None,
    )


def entry_consent_scan_check(*, entry: Entry, actor, accepted: bool) -> Entry:
    """A moderator checked the scan of the signed paper consent form.
    Accepted: it counts as the guardian's confirmation (the entry goes on to
    moderation and judging). Refused: the entry is rejected. Audited either
    way; raises `ValidationError` ('no_scan') for an entry without a scan
    waiting."""
    now = timezone.now()
    waiting = Entry.objects.filter(pk=entry.pk).exclude(consent_scan="").filter(consent_scan_checked_at__isnull=True)
    with transaction.atomic():
        if accepted:
            changed = waiting.update(
                consent_scan_checked_at=now, consent_scan_checked_by=actor, guardian_confirmed_at=now, updated_at=now
            )
        else:
            changed = waiting.update(
                consent_scan_checked_at=now, consent_scan_checked_by=actor, moderation_status=Entry.Moderation.REJECTED,
                moderated_at=now, moderation_note=_("The signed consent form could not be accepted."), updated_at=now,
            )
        if not changed:
            raise ValidationError(_("This entry has no consent form waiting for a check."), code="no_scan")
        audit_log_record(
            action=AuditLog.Action.SCAN_CHECKED if accepted else AuditLog.Action.SCAN_REFUSED, actor=actor,
            contest=entry.contest, entry_reference=entry.reference,
        )
    entry.refresh_from_db()
    return entry
