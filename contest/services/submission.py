"""Submitting an entry: receipt codes, the child's age category, the caps
per child and per guardian, the duplicate-image check, and `entry_submit`
itself (one transaction, renditions and the receipt e-mail queued after
commit)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .. import imaging, phrases
from ..text_privacy import text_flags
from ..ages import age_band_of, age_on
from ..models import AgeCategory, Contest, Entry, Teacher
from ..selectors import consent_text_current
from .filestore import file_delete_quietly, file_store
from .jobs import renditions_enqueue
from .mail import guardian_mail_queue
from .policy import window_check

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


def age_category_for(*, contest: Contest, birth_date: dt.date) -> tuple[AgeCategory, int]:
    """The category a child born on `birth_date` belongs to, and the age.

    Raises `ValidationError` when the age falls outside every category.
    """
    age = age_on(birth_date=birth_date, on=contest.age_reference_date)
    categories = list(contest.age_categories.all())
    index = age_band_of(age=age, bands=[(c.min_age, c.max_age) for c in categories])
    if index is not None:
        return categories[index], age
    bands = ", ".join(f"{c.min_age}–{c.max_age}" for c in categories)
    raise ValidationError(
        phrases.AGE_OUTSIDE_BANDS
        % {"date": contest.age_reference_date.strftime("%d.%m.%Y"), "age": age, "bands": bands},
        code="age",
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
    guardian_relationship: str = Entry.Relationship.GUARDIAN
    publish_region_consent: bool = False
    submission_token: str = ""


def name_normalize(value: str) -> str:
    """Case-folded, single-spaced, without accents' look-alike variants of
    `ё`: 'Тимур  ' and 'тимур' are the same child's name."""
    return " ".join(value.casefold().replace("ё", "е").split())


def entry_caps_check(*, contest: Contest, data: Submission, teacher: Teacher | None = None) -> None:
    """Raise `ValidationError` when the child already has
    `contest.max_entries_per_child` entries (same normalized first and last
    name, birth date and guardian e-mail, or, for a teacher's entry, the
    same teacher) or the guardian's address already sent
    `contest.max_entries_per_guardian` entries. A teacher's entry also
    counts against `contest.max_entries_per_teacher` (code 'cap_teacher')
    and `contest.max_teacher_entries` (all teachers, 'cap_teachers').
    Unconfirmed entries count too: otherwise the cap is a loop away.

    Only a check: to be race-safe it must run under `entry_caps_lock`, in
    the transaction that inserts the entry (as `entry_submit` does)."""
    email = data.guardian_email.strip()
    mine = Entry.objects.none()
    if email:
        mine = Entry.objects.filter(contest=contest, guardian_email__iexact=email)
    if teacher is not None:
        mine = mine | Entry.objects.filter(contest=contest, teacher=teacher)
    same_guardian = list(mine.values_list("child_first_name", "child_last_name", "child_birth_date", "guardian_email"))
    key = (name_normalize(data.child_first_name), name_normalize(data.child_last_name), data.child_birth_date)
    same_child = sum(
        1 for first, last, born, _email in same_guardian if (name_normalize(first), name_normalize(last), born) == key
    )
    if same_child >= contest.max_entries_per_child:
        raise ValidationError(
            phrases.CAP_CHILD
            % {"n": same_child},
            code="cap_child",
        )
    by_address = sum(1 for *_child, address in same_guardian if email and address.lower() == email.lower())
    if email and by_address >= contest.max_entries_per_guardian:
        raise ValidationError(
            phrases.CAP_GUARDIAN
            % {"n": by_address},
            code="cap_guardian",
        )
    if teacher is not None:
        teacher_caps_check(contest=contest, teacher=teacher)


def teacher_caps_check(*, contest: Contest, teacher: Teacher) -> None:
    """Raise `ValidationError` when `teacher` already sent
    `contest.max_entries_per_teacher` entries to `contest` ('cap_teacher'),
    or all teachers together `contest.max_teacher_entries` ('cap_teachers')."""
    sent = Entry.objects.filter(contest=contest, teacher=teacher).count()
    if sent >= contest.max_entries_per_teacher:
        raise ValidationError(phrases.CAP_TEACHER % {"n": sent}, code="cap_teacher")
    if Entry.objects.filter(contest=contest, teacher__isnull=False).count() >= contest.max_teacher_entries:
        raise ValidationError(str(phrases.CAP_TEACHERS_ALL), code="cap_teachers")


def entry_caps_lock(*, contest: Contest, guardian_email: str, teacher: Teacher | None = None) -> None:
    """Serialize submissions from one guardian address to one contest until
    the current transaction ends, so that two at once cannot both pass
    `entry_caps_check` (both caps count only that address's entries). A
    teacher's submission also takes the contest's teachers' lock (its caps
    count every teacher's entries); no address: that lock only.

    PostgreSQL: a transaction-level advisory lock on a 64-bit key hashed
    from (contest id, lower-cased address); other guardians are not held up.
    SQLite: nothing to do, its transactions take the database's write lock
    when they begin (`transaction_mode` IMMEDIATE in the settings). Must be
    called inside `transaction.atomic()`."""
    if connection.vendor != "postgresql":
        return
    keys = [f"entry-caps-teachers:{contest.pk}"] if teacher is not None else []
    if guardian_email.strip():
        keys.append(f"entry-caps:{contest.pk}:{guardian_email.strip().lower()}")
    for key in keys:  # always in this order: no two sessions wait for each other's
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def duplicate_image_error(
    *, contest: Contest, sha256: str, guardian_email: str, teacher: Teacher | None = None,
) -> ValidationError | None:
    """The refusal for an image (same SHA-256) already sent to `contest`, or
    None. It names the earlier reference only to the guardian who sent it
    (same non-empty e-mail address) or the teacher who sent it: a reference
    is no one else's business."""
    earlier = (
        Entry.objects.filter(contest=contest, original_sha256=sha256)
        .values_list("reference", "guardian_email", "teacher_id").first()
    )
    if earlier is None:
        return None
    reference, email, teacher_id = earlier
    same_address = bool(email.strip()) and email.strip().lower() == guardian_email.strip().lower()
    if same_address or (teacher is not None and teacher_id == teacher.pk):
        return ValidationError(
            phrases.DUPLICATE_IMAGE_OWN % {"ref": reference},
            code="duplicate",
        )
    return ValidationError(str(phrases.DUPLICATE_IMAGE), code="duplicate")


def entry_submit(
    *, contest: Contest, data: Submission, image, image_info: imaging.ImageInfo, language: str,
    send_receipt: bool = True, teacher: Teacher | None = None, consent_scan=None,
) -> Entry:
    """Save a new entry and its original in one transaction and queue its
    renditions, and (unless `send_receipt` is False: the demo seeding, whose
    guardians confirmed long ago) the receipt e-mail, after commit.

    `image` is the uploaded file, already accepted by `imaging.inspect`
    (giving `image_info`), or a direct upload already in the store (an
    object with a `storage_name`, `contest.direct_uploads.StagedImage`,
    checked from its head; the worker decodes it whole). Raises `ValidationError` (nothing saved) when the
    window is closed, the age fits no category, consent is missing, the
    country does not take part, a cap of `entry_caps_check` is reached or
    the same image was already sent, and `StorageUnavailable` (nothing
    saved, no file kept) when the file store refuses or times out. The original is stored before the
    transaction; the caps are checked again inside it, under
    `entry_caps_lock`, so concurrent submissions cannot pass a cap together.
    """
    window_check(contest=contest)
    if not data.consent:
        raise ValidationError(str(phrases.CONSENT_REQUIRED), code="consent")
    if data.country not in contest.countries:
        raise ValidationError(str(phrases.COUNTRY_NOT_TAKING_PART), code="country")
    if data.guardian_relationship not in Entry.Relationship.values:
        raise ValidationError(str(phrases.RELATIONSHIP_REQUIRED), code="relationship")
    category, age = age_category_for(contest=contest, birth_date=data.child_birth_date)
    entry_caps_check(contest=contest, data=data, teacher=teacher)
    consent = consent_text_current(contest=contest, language=language)
    duplicate = duplicate_image_error(
        contest=contest, sha256=image_info.sha256, guardian_email=data.guardian_email, teacher=teacher
    )
    if duplicate:
        raise duplicate

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
        text_flags=text_flags(
            title=data.title, description=data.description, first_name=data.child_first_name,
            last_name=data.child_last_name, school=data.school,
        ),
        guardian_name=data.guardian_name.strip(),
        guardian_email=data.guardian_email.strip(),
        guardian_relationship=data.guardian_relationship,
        consent_version=consent.version,
        consent_language=consent.language,
        consent_given_at=timezone.now(),
        consent_participation=True,
        publish_consent=data.publish_consent,
        publish_region_consent=data.publish_consent and data.publish_region_consent,
        language=language,
        original_format=image_info.format,
        original_width=image_info.width,
        original_height=image_info.height,
        original_sha256=image_info.sha256,
        low_resolution=image_info.low_resolution,
        submission_token=data.submission_token,
        teacher=teacher,
    )
    # The file first, with no lock held (a write to S3 can take seconds);
    # removed again below if the entry is not saved: Django never deletes a
    # stored file when a transaction rolls back. A store that refuses or
    # times out raises StorageUnavailable, and nothing is kept.
    # A direct upload (`contest.direct_uploads`) is in the store already:
    # the entry takes its name as it is, nothing is written here.
    staged_name = getattr(image, "storage_name", "")
    if staged_name:
        entry.original.name = stored_name = staged_name
    else:
        stored_name = file_store(field_file=entry.original, content=image)
    scan_name = ""
    try:
        if consent_scan is not None:
            scan_name = file_store(field_file=entry.consent_scan, content=consent_scan)
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    # The caps again, now serialized with any other submission
                    # from this address: the check above could race.
                    entry_caps_lock(contest=contest, guardian_email=data.guardian_email, teacher=teacher)
                    entry_caps_check(contest=contest, data=data, teacher=teacher)
                    entry.save()
                    # The receipt is owed in the same commit as the entry
                    # (an outbox row); its job is queued after that commit.
                    if send_receipt and entry.guardian_email:
                        guardian_mail_queue(entry=entry, kind="receipt")
            except IntegrityError as exc:
                duplicate = duplicate_image_error(
                    contest=contest, sha256=image_info.sha256, guardian_email=data.guardian_email, teacher=teacher
                )
                if duplicate:
                    raise duplicate from exc
                entry.reference = reference_generate()  # a reference code collision: draw another
                continue
            break
        else:  # pragma: no cover - 5 collisions in 8.5e11 codes
            raise RuntimeError("could not draw a unique reference code")
    except BaseException:
        if not staged_name:  # a direct upload stays for the view to keep or drop
            file_delete_quietly(storage=entry.original.storage, name=stored_name)
        if scan_name:
            file_delete_quietly(storage=entry.consent_scan.storage, name=scan_name)
        raise

    entry_id = entry.pk
    transaction.on_commit(lambda: renditions_enqueue(entry_id=entry_id))
    return entry
