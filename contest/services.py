"""Writes for the contest app: submission, moderation, contest setup rules."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import imaging
from .models import AgeCategory, Contest, Entry

logger = logging.getLogger(__name__)

# Crockford's base 32 without the look-alikes (0/O, 1/I/L, U): easy to read
# aloud and to type from a phone. 8 symbols = 31**8 ≈ 8.5e11 codes.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference_generate() -> str:
    """A random receipt code `XXXX-XXXX` (9 characters) from `secrets`."""
    symbols = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{symbols[:4]}-{symbols[4:]}"


def reference_normalize(value: str) -> str:
    """Upper-case, drop spaces and dashes, re-insert the dash: '7qk4 m2zp' → '7QK4-M2ZP'."""
    raw = "".join(ch for ch in value.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else value.strip().upper()


def age_on(*, birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on `on` (a birthday on 29 February counts on 1 March
    in other years, as in most civil codes)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_bands_validate(*, bands: list[tuple[int, int]]) -> None:
    """Raise `ValidationError` unless every (min, max) band is ordered and no
    two bands share an age (bounds are inclusive)."""
    ordered = sorted(bands)
    for lo, hi in ordered:
        if lo > hi:
            raise ValidationError(_("An age category's minimum age must not be above its maximum age."))
    for (lo1, hi1), (lo2, hi2) in zip(ordered, ordered[1:]):
        if lo2 <= hi1:
            raise ValidationError(
                _("Age categories %(a)s and %(b)s overlap.") % {"a": f"{lo1}–{hi1}", "b": f"{lo2}–{hi2}"}
            )


def age_category_for(*, contest: Contest, birth_date: dt.date) -> tuple[AgeCategory, int]:
    """The category a child born on `birth_date` belongs to, and the age.

    Raises `ValidationError` when the age falls outside every category.
    """
    age = age_on(birth_date=birth_date, on=contest.age_reference_date)
    for category in contest.age_categories.all():
        if category.min_age <= age <= category.max_age:
            return category, age
    bands = ", ".join(f"{c.min_age}–{c.max_age}" for c in contest.age_categories.all())
    raise ValidationError(
        _("On %(date)s the child will be %(age)d years old; this contest is for ages %(bands)s.")
        % {"date": contest.age_reference_date.strftime("%d.%m.%Y"), "age": age, "bands": bands},
        code="age",
    )


def window_check(*, contest: Contest, at: dt.datetime | None = None) -> None:
    """Raise `ValidationError` unless `opens_at <= at < closes_at`; the
    message gives the window in the contest's time zone."""
    at = at or timezone.now()
    if contest.is_open(at):
        return
    tz = contest.tzinfo
    fmt = "%d.%m.%Y %H:%M"
    params = {
        "opens": timezone.localtime(contest.opens_at, tz).strftime(fmt),
        "closes": timezone.localtime(contest.closes_at, tz).strftime(fmt),
        "tz": contest.timezone,
    }
    if at < contest.opens_at:
        raise ValidationError(_("Submissions open on %(opens)s (%(tz)s).") % params, code="not_open")
    raise ValidationError(_("Submissions closed on %(closes)s (%(tz)s).") % params, code="closed")


def upload_policy(*, contest: Contest | None = None) -> imaging.Policy:
    """The upload policy from settings (bytes, pixels, ratio)."""
    return imaging.Policy(
        max_bytes=settings.UPLOAD_MAX_BYTES,
        max_pixels=settings.UPLOAD_MAX_PIXELS,
        min_side=settings.UPLOAD_MIN_SIDE,
        max_aspect=settings.UPLOAD_MAX_ASPECT,
        low_res_side=settings.UPLOAD_LOW_RES_SIDE,
    )


@dataclass(frozen=True)
class Submission:
    """Cleaned submission data, as the public form produces it."""

    child_first_name: str
    child_last_name: str
    child_birth_date: dt.date
    country: str
    region: str
    school: str
    title: str
    description: str
    guardian_name: str
    guardian_email: str
    consent: bool
    publish_consent: bool


def entry_submit(*, contest: Contest, data: Submission, image, image_info: imaging.ImageInfo, language: str) -> Entry:
    """Save a new entry and its original in one transaction and queue its
    renditions after commit.

    `image` is the uploaded file, already accepted by `imaging.inspect`
    (giving `image_info`). Raises `ValidationError` (nothing saved) when the
    window is closed, the age fits no category, consent is missing, the
    country does not take part or the same image was already sent.
    """
    window_check(contest=contest)
    if not data.consent:
        raise ValidationError(_("The guardian's consent is required to take part."), code="consent")
    if data.country not in contest.countries:
        raise ValidationError(_("This country does not take part in this contest."), code="country")
    category, age = age_category_for(contest=contest, birth_date=data.child_birth_date)
    earlier = Entry.objects.filter(contest=contest, original_sha256=image_info.sha256).values_list("reference", flat=True).first()
    if earlier:
        raise ValidationError(
            _("This image was already sent to this contest (reference %(ref)s).") % {"ref": earlier}, code="duplicate"
        )

    for _attempt in range(5):
        entry = Entry(
            contest=contest,
            age_category=category,
            reference=reference_generate(),
            child_first_name=data.child_first_name.strip(),
            child_last_name=data.child_last_name.strip(),
            child_birth_date=data.child_birth_date,
            child_age=age,
            country=data.country,
            region=data.region.strip(),
            school=data.school.strip(),
            title=data.title.strip(),
            description=data.description.strip(),
            guardian_name=data.guardian_name.strip(),
            guardian_email=data.guardian_email.strip(),
            consent_version=contest.consent_version,
            consent_given_at=timezone.now(),
            publish_consent=data.publish_consent,
            language=language,
            original_format=image_info.format,
            original_width=image_info.width,
            original_height=image_info.height,
            original_sha256=image_info.sha256,
            low_resolution=image_info.low_resolution,
        )
        stored_name = None
        try:
            with transaction.atomic():
                image.seek(0)
                entry.original.save("upload", image, save=False)
                stored_name = entry.original.name
                entry.save()
        except IntegrityError as exc:
            # Django never deletes a stored file when the transaction rolls back.
            if stored_name:
                entry.original.storage.delete(stored_name)
            if Entry.objects.filter(contest=contest, original_sha256=image_info.sha256).exists():
                ref = Entry.objects.filter(contest=contest, original_sha256=image_info.sha256).values_list("reference", flat=True).first()
                raise ValidationError(
                    _("This image was already sent to this contest (reference %(ref)s).") % {"ref": ref},
                    code="duplicate",
                ) from exc
            continue  # a reference code collision: draw another
        except BaseException:
            if stored_name:
                entry.original.storage.delete(stored_name)
            raise
        break
    else:  # pragma: no cover - 5 collisions in 8.5e11 codes
        raise RuntimeError("could not draw a unique reference code")

    entry_id = entry.pk
    transaction.on_commit(lambda: _enqueue_renditions(entry_id))
    transaction.on_commit(lambda: entry_receipt_send(entry=entry))
    return entry


def _enqueue_renditions(entry_id: int) -> bool:
    """Queue the rendition task; False (logged) when the broker is down: the
    entry stays saved and the sweeper queues it again later."""
    from .tasks import task_entry_renditions_generate

    try:
        task_entry_renditions_generate.apply_async(kwargs={"entry_id": entry_id})
    except Exception:
        logger.exception("could not queue renditions for entry %s", entry_id)
        return False
    return True


def entry_receipt_send(*, entry: Entry) -> None:
    """E-mail the guardian the reference code, in the language of the form."""
    with translation.override(entry.language):
        context = {"entry": entry, "contest": entry.contest}
        subject = _("Your entry %(ref)s to “%(contest)s”") % {"ref": entry.reference, "contest": entry.contest.title}
        body = render_to_string("contest/email/receipt.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [entry.guardian_email])
    except Exception:
        logger.exception("could not send the receipt for entry %s", entry.pk)


def entries_moderate(*, entries, approve: bool) -> int:
    """Approve or reject the given entries; returns how many changed."""
    status = Entry.Moderation.APPROVED if approve else Entry.Moderation.REJECTED
    return entries.exclude(moderation_status=status).update(moderation_status=status, updated_at=timezone.now())


STUCK_AFTER_SECONDS = 300


def entries_requeue_stuck(*, older_than_seconds: int = STUCK_AFTER_SECONDS) -> int:
    """Queue the rendition task again for every entry still `received` or
    `processing` after `older_than_seconds` (a lost broker message, a killed
    worker). Records a `SweepRun` and returns how many were queued.

    Safe to run at any time: the task is idempotent.
    """
    from .models import SweepRun

    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    stuck = list(
        Entry.objects.filter(
            processing_status__in=[Entry.Processing.RECEIVED, Entry.Processing.PROCESSING], updated_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    queued = 0
    for entry_id in stuck:
        # Touch first so the next sweep waits a full period for this one.
        Entry.objects.filter(pk=entry_id).update(updated_at=timezone.now())
        if _enqueue_renditions(entry_id):
            queued += 1
    SweepRun.objects.create(requeued=queued, older_than_seconds=older_than_seconds)
    return queued


def entries_retry_failed(*, entries) -> int:
    """Organizers' retry: put failed entries back to `received` and queue
    their renditions after commit. Returns how many were retried."""
    ids = list(entries.filter(processing_status=Entry.Processing.FAILED).values_list("pk", flat=True))
    Entry.objects.filter(pk__in=ids).update(
        processing_status=Entry.Processing.RECEIVED, processing_error="", updated_at=timezone.now()
    )
    for entry_id in ids:
        transaction.on_commit(lambda entry_id=entry_id: _enqueue_renditions(entry_id))
    return len(ids)
