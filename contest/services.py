"""Writes for the contest app: submission, moderation, contest setup rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    """The upload policy: the site's settings (`UPLOAD_*`: bytes, pixels,
    pixels, ratio, pixels), tightened by the contest's own limits where an
    organizer set them (decimal megabytes and megapixels, pixels, a ratio
    such as 4.0 for 4:1). A contest can only make a limit stricter, never
    looser."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    max_pixels = settings.UPLOAD_MAX_PIXELS
    min_side = settings.UPLOAD_MIN_SIDE
    max_aspect = settings.UPLOAD_MAX_ASPECT
    if contest is not None:
        if contest.upload_max_megabytes:
            max_bytes = min(max_bytes, contest.upload_max_megabytes * 1_000_000)
        if contest.upload_max_megapixels:
            max_pixels = min(max_pixels, contest.upload_max_megapixels * 1_000_000)
        if contest.upload_min_side:
            min_side = max(min_side, contest.upload_min_side)
        if contest.upload_max_aspect:
            max_aspect = min(max_aspect, float(contest.upload_max_aspect))
    return imaging.Policy(
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        min_side=min_side,
        max_aspect=max_aspect,
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
    guardian_relationship: str = Entry.Relationship.GUARDIAN
    publish_region_consent: bool = False
    submission_token: str = ""


def name_normalize(value: str) -> str:
    """Case-folded, single-spaced, without accents' look-alike variants of
    `ё`: 'Тимур  ' and 'тимур' are the same child's name."""
    return " ".join(value.casefold().replace("ё", "е").split())


def entry_caps_check(*, contest: Contest, data: Submission) -> None:
    """Raise `ValidationError` when the child already has
    `contest.max_entries_per_child` entries (same normalized first and last
    name, birth date and guardian e-mail) or the guardian's address already
    sent `contest.max_entries_per_guardian` entries. Unconfirmed entries
    count too: otherwise the cap is a loop away.

    Only a check: to be race-safe it must run under `entry_caps_lock`, in
    the transaction that inserts the entry (as `entry_submit` does)."""
    email = data.guardian_email.strip()
    same_guardian = list(
        Entry.objects.filter(contest=contest, guardian_email__iexact=email).values_list(
            "child_first_name", "child_last_name", "child_birth_date"
        )
    )
    key = (name_normalize(data.child_first_name), name_normalize(data.child_last_name), data.child_birth_date)
    same_child = sum(1 for first, last, born in same_guardian if (name_normalize(first), name_normalize(last), born) == key)
    if same_child >= contest.max_entries_per_child:
        raise ValidationError(
            _("This child has already sent %(n)d drawing(s) to this contest, the most allowed.")
            % {"n": same_child},
            code="cap_child",
        )
    if len(same_guardian) >= contest.max_entries_per_guardian:
        raise ValidationError(
            _("This e-mail address has already sent %(n)d drawings to this contest, the most allowed.")
            % {"n": len(same_guardian)},
            code="cap_guardian",
        )


def entry_caps_lock(*, contest: Contest, guardian_email: str) -> None:
    """Serialize submissions from one guardian address to one contest until
    the current transaction ends, so that two at once cannot both pass
    `entry_caps_check` (both caps count only that address's entries).

    PostgreSQL: a transaction-level advisory lock on a 64-bit key hashed
    from (contest id, lower-cased address); other guardians are not held up.
    SQLite: nothing to do, its transactions take the database's write lock
    when they begin (`transaction_mode` IMMEDIATE in the settings). Must be
    called inside `transaction.atomic()`."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(
        f"entry-caps:{contest.pk}:{guardian_email.strip().lower()}".encode(), digest_size=8
    ).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])


def duplicate_image_error(*, contest: Contest, sha256: str, guardian_email: str) -> ValidationError | None:
    """The refusal for an image (same SHA-256) already sent to `contest`, or
    None. It names the earlier reference only to the guardian who sent it
    (same e-mail address): a reference is no one else's business."""
    earlier = (
        Entry.objects.filter(contest=contest, original_sha256=sha256).values_list("reference", "guardian_email").first()
    )
    if earlier is None:
        return None
    reference, email = earlier
    if email.strip().lower() == guardian_email.strip().lower():
        return ValidationError(
            _("This image was already sent to this contest (reference %(ref)s).") % {"ref": reference},
            code="duplicate",
        )
    return ValidationError(_("This image was already sent to this contest."), code="duplicate")


def entry_submit(*, contest: Contest, data: Submission, image, image_info: imaging.ImageInfo, language: str) -> Entry:
    """Save a new entry and its original in one transaction and queue its
    renditions after commit.

    `image` is the uploaded file, already accepted by `imaging.inspect`
    (giving `image_info`). Raises `ValidationError` (nothing saved) when the
    window is closed, the age fits no category, consent is missing, the
    country does not take part, a cap of `entry_caps_check` is reached or
    the same image was already sent. The original is stored before the
    transaction; the caps are checked again inside it, under
    `entry_caps_lock`, so concurrent submissions cannot pass a cap together.
    """
    from .selectors import consent_text_current

    window_check(contest=contest)
    if not data.consent:
        raise ValidationError(_("The guardian's consent is required to take part."), code="consent")
    if data.country not in contest.countries:
        raise ValidationError(_("This country does not take part in this contest."), code="country")
    if data.guardian_relationship not in Entry.Relationship.values:
        raise ValidationError(_("Choose how you are related to the child."), code="relationship")
    category, age = age_category_for(contest=contest, birth_date=data.child_birth_date)
    entry_caps_check(contest=contest, data=data)
    consent = consent_text_current(contest=contest, language=language)
    duplicate = duplicate_image_error(contest=contest, sha256=image_info.sha256, guardian_email=data.guardian_email)
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
    )
    # The file first, with no lock held (a write to S3 can take seconds);
    # removed again below if the entry is not saved: Django never deletes a
    # stored file when a transaction rolls back.
    image.seek(0)
    entry.original.save("upload", image, save=False)
    stored_name = entry.original.name
    try:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    # The caps again, now serialized with any other submission
                    # from this address: the check above could race.
                    entry_caps_lock(contest=contest, guardian_email=data.guardian_email)
                    entry_caps_check(contest=contest, data=data)
                    entry.save()
            except IntegrityError as exc:
                duplicate = duplicate_image_error(
                    contest=contest, sha256=image_info.sha256, guardian_email=data.guardian_email
                )
                if duplicate:
                    raise duplicate from exc
                entry.reference = reference_generate()  # a reference code collision: draw another
                continue
            break
        else:  # pragma: no cover - 5 collisions in 8.5e11 codes
            raise RuntimeError("could not draw a unique reference code")
    except BaseException:
        entry.original.storage.delete(stored_name)
        raise

    entry_id = entry.pk
    transaction.on_commit(lambda: _enqueue_renditions(entry_id))
    transaction.on_commit(lambda: entry_confirmation_send(entry=entry))
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


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def guardian_links(*, entry: Entry) -> dict[str, str]:
    """Absolute URLs of the guardian's links for `entry`: `confirm` (only
    while unconfirmed) and `manage` (the self-service page)."""
    from .links import Purpose, token_make

    links = {
        "manage": _absolute(
            reverse("contest:guardian_entry", args=[token_make(public_id=entry.public_id, purpose=Purpose.MANAGE)])
        )
    }
    if entry.guardian_confirmed_at is None:
        links["confirm"] = _absolute(
            reverse("contest:guardian_confirm", args=[token_make(public_id=entry.public_id, purpose=Purpose.CONFIRM)])
        )
    return links


def _guardian_mail(
    *, entry: Entry, subject, template: str, kind: str, context: dict | None = None
) -> bool:
    """Send one message to the guardian in the entry's language; False (logged)
    when the mail server refuses: the entry itself is never lost for that.

    `subject` is a lazy translation, rendered in the entry's language with
    `%(ref)s` (the reference) and `%(contest)s` (the contest's title in that
    language) filled in; lazy values in `context` are rendered there too.
    `kind` (of `EMAIL_KINDS`) names the organizers' wording to use when they
    wrote one for the entry's language (else the contest's default
    language, see `contest_content`): their subject replaces `subject`,
    their text replaces `template`, with `{placeholders}` filled in."""
    from .links import Purpose, lifetime

    from .selectors import contest_content

    content = contest_content(contest=entry.contest, language=entry.language)
    links = guardian_links(entry=entry)
    with translation.override(entry.language):
        full_context = {
            "entry": entry,
            "contest": entry.contest,
            "contest_title": content.title,
            "links": links,
            "confirm_days": lifetime(Purpose.CONFIRM).days,
            "manage_days": lifetime(Purpose.MANAGE).days,
            **(context or {}),
        }
        own_subject, own_body = content.email(kind)
        values = {
            "name": entry.guardian_name, "title": entry.title, "contest": content.title,
            "reference": entry.reference, "confirm_link": links.get("confirm", ""), "manage_link": links["manage"],
            "confirm_days": full_context["confirm_days"], "manage_days": full_context["manage_days"],
            "reason": full_context.get("reason_text", ""), "grace_days": full_context.get("grace_days", ""),
        }
        body = placeholders_fill(own_body, values) if own_body else render_to_string(template, full_context)
        subject = (
            placeholders_fill(own_subject, values) if own_subject
            else str(subject) % {"ref": entry.reference, "contest": content.title}
        )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [entry.guardian_email])
    except Exception:
        logger.exception("could not send the %s e-mail for entry %s", kind, entry.pk)
        return False
    return True


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """`text` with every `{name}` of `values` replaced; anything else is
    left as written. Not `str.format`: an organizer's text must not reach
    attributes (`{entry.__class__}`) or fail on a stray brace."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def entry_confirmation_send(*, entry: Entry) -> bool:
    """E-mail the guardian the reference code, the confirmation link (valid
    `GUARDIAN_CONFIRM_DAYS`) and the link to the self-service page, in the
    language of the form. The organizers' subject and text for that
    language (else for the contest's default language) replace the standard
    ones (`ContestTranslation`). Records when it was sent."""
    subject = gettext_lazy("Please confirm the entry %(ref)s to “%(contest)s”")
    sent = _guardian_mail(entry=entry, subject=subject, template="contest/email/confirm.txt", kind="receipt")
    if sent:
        Entry.objects.filter(pk=entry.pk).update(confirmation_sent_at=timezone.now())
    return sent


# Kept for callers of the first version: the receipt is the confirmation message.
entry_receipt_send = entry_confirmation_send


def entry_links_resend(*, entry: Entry) -> bool:
    """Send the guardian's links again: the confirmation link while the
    entry is unconfirmed, otherwise a fresh link to the self-service page."""
    if entry.guardian_confirmed_at is None:
        return entry_confirmation_send(entry=entry)
    subject = gettext_lazy("Your link to the entry %(ref)s")
    return _guardian_mail(entry=entry, subject=subject, template="contest/email/links.txt", kind="link")


def guardian_links_request(*, reference: str, email: str) -> bool:
    """A guardian asks for their links by reference code and e-mail. Sends
    them only when both match one entry; returns whether it did. The caller
    shows the same answer either way, so nobody learns which entries exist."""
    entry = (
        Entry.objects.select_related("contest")
        .filter(reference=reference_normalize(reference), guardian_email__iexact=email.strip(), personal_data_purged_at__isnull=True)
        .first()
    )
    if entry is None:
        return False
    return entry_links_resend(entry=entry)


def audit_log_record(
    *, action: str, actor=None, actor_label: str = "", contest: Contest | None = None, entry_reference: str = "",
    detail: dict | None = None,
):
    """Add one row to the privacy audit log (never changed afterwards).
    `actor` is a user or None; `actor_label` says who otherwise
    ('guardian', 'system')."""
    from .models import AuditLog

    user = actor if actor is not None and getattr(actor, "pk", None) else None
    return AuditLog.objects.create(
        action=action,
        actor=user,
        actor_label=actor_label or (user.get_username() if user else "system"),
        contest=contest,
        entry_reference=entry_reference,
        detail=detail or {},
    )


def entry_confirm(*, entry: Entry) -> bool:
    """The guardian confirmed through the link: from now on the entry goes
    to moderation and judging. Returns False when it was confirmed before."""
    from .models import AuditLog

    with transaction.atomic():
        changed = Entry.objects.filter(pk=entry.pk, guardian_confirmed_at__isnull=True).update(
            guardian_confirmed_at=timezone.now(), updated_at=timezone.now()
        )
        if changed:
            audit_log_record(
                action=AuditLog.Action.CONFIRMED, actor_label="guardian", contest=entry.contest,
                entry_reference=entry.reference,
            )
    entry.refresh_from_db(fields=["guardian_confirmed_at"])
    return bool(changed)


def entry_publication_update(*, entry: Entry, publish: bool, publish_region: bool, actor=None) -> Entry:
    """Change the guardian's publication answers (b) and (c). Revoking takes
    effect at once: the gallery, the entry page and the image view read the
    answer on every request, and `public_cache_clear` drops cached pages."""
    from .models import AuditLog

    publish_region = publish and publish_region
    before = (entry.publish_consent, entry.publish_region_consent)
    with transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(
            publish_consent=publish, publish_region_consent=publish_region,
            publication_changed_at=timezone.now(), updated_at=timezone.now(),
        )
        audit_log_record(
            action=AuditLog.Action.PUBLICATION_CHANGED, actor=actor, actor_label="" if actor else "guardian",
            contest=entry.contest, entry_reference=entry.reference,
            detail={"before": list(before), "after": [publish, publish_region]},
        )
    contest_id = entry.contest_id
    transaction.on_commit(lambda: public_cache_clear(contest_id=contest_id))
    entry.refresh_from_db()
    return entry


def public_cache_clear(*, contest_id: int) -> None:
    """Forget every cached public page of the contest (gallery, entry pages)."""
    from django.core.cache import cache

    key = f"contest:{contest_id}:public-version"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def _files_of(entry: Entry) -> list[tuple]:
    files = [(r.file.storage, r.file.name) for r in entry.renditions.all() if r.file.name]
    if entry.original.name:
        files.append((entry.original.storage, entry.original.name))
    return files


def _files_delete(files: list[tuple]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            # A file left behind is found by the next storage check
            # (`storage_orphans_purge`, Celery beat "purge-orphan-files").
            logger.exception("could not delete %s", name)
    _empty_folders_remove(files)


def _empty_folders_remove(files: list[tuple]) -> None:
    # On local storage an emptied `renditions/<public id>/` folder would stay
    # behind (object stores have no folders); leave any folder still in use.
    from django.core.files.storage import FileSystemStorage

    for folder in {os.path.dirname(s.path(n)) for s, n in files if isinstance(s, FileSystemStorage)}:
        try:
            os.rmdir(folder)
        except OSError:
            pass  # not empty, or already gone


# Where entries' files live (see contest.renditions and Entry.original).
STORAGE_PREFIXES = ("originals", "renditions")
# A file younger than this may belong to an upload or a rendering whose row
# is not committed yet: never touched.
ORPHAN_MIN_AGE = dt.timedelta(hours=1)


def _storage_walk(storage, prefix: str):
    """Every file name under `prefix`, through `storage.listdir` only (one
    call per folder: FileSystemStorage and S3Storage alike)."""
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:  # FileSystemStorage before the first upload
        return
    for name in files:
        yield f"{prefix}/{name}"
    for folder in folders:
        yield from _storage_walk(storage, f"{prefix}/{folder}")


def storage_orphans_purge(
    *, now: dt.datetime | None = None, min_age: dt.timedelta = ORPHAN_MIN_AGE, dry_run: bool = False
) -> int:
    """Delete every file under `STORAGE_PREFIXES` of the default storage
    that no row uses (no `Entry.original`, no `Rendition.file`) and that is
    older than `min_age`: what a failed delete after a withdrawal or purge
    left behind (see `_files_delete`), or what a rendering interrupted by a
    withdrawal wrote. The privacy requirement: after withdrawal and after
    each purge, no file of the child is left in storage.

    Cost: two queries (the names in use) and one storage call per folder,
    plus one age check per candidate only. The age is read only for files
    no row names, so a fresh upload whose row is not committed yet is never
    deleted. Records a `PurgeRun` (rule "orphan_files", `files` = how many)
    and, when files went, an audit row. Returns how many files were (or,
    with `dry_run`, would be) deleted.
    """
    from django.core.files.storage import default_storage

    from .models import AuditLog, Rendition

    now = now or timezone.now()
    in_use = set(Entry.objects.exclude(original="").values_list("original", flat=True))
    in_use.update(Rendition.objects.exclude(file="").values_list("file", flat=True))
    orphans = []
    for prefix in STORAGE_PREFIXES:
        for name in _storage_walk(default_storage, prefix):
            if name in in_use:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except FileNotFoundError:
                continue  # deleted meanwhile
            if modified > now - min_age:
                continue
            orphans.append(name)
    deleted = 0
    if not dry_run:
        for name in orphans:
            try:
                default_storage.delete(name)
            except Exception:
                logger.exception("could not delete the orphan file %s", name)
                continue
            logger.info("deleted the orphan file %s", name)
            deleted += 1
    count = len(orphans) if dry_run else deleted
    _purge_record(rule="orphan_files", per_contest={}, files=count, dry_run=dry_run)
    if not dry_run and deleted:
        audit_log_record(action=AuditLog.Action.PURGED, actor_label="system", detail={"rule": "orphan_files", "files": deleted})
    return count


def renditions_prune_retired(*, dry_run: bool = False) -> int:
    """Delete every rendition of a kind the portal no longer makes (such as
    the 2400 px `display2x` of the first versions): the rows, then, once
    that is committed, their files. Nothing shows them; they only keep a
    copy of a child's drawing for no purpose. Returns how many rows (would)
    go."""
    from .models import Rendition

    retired = list(Rendition.objects.exclude(kind__in=Rendition.Kind.values).only("pk", "file"))
    if not dry_run and retired:
        files = [(r.file.storage, r.file.name) for r in retired if r.file.name]
        with transaction.atomic():
            Rendition.objects.filter(pk__in=[r.pk for r in retired]).delete()
            transaction.on_commit(lambda: _files_delete(files))
    return len(retired)


def _anonymous_count_add(*, entry: Entry, reason: str) -> None:
    from .models import AnonymousCount

    row, _created = AnonymousCount.objects.get_or_create(
        contest_id=entry.contest_id, country=entry.country, age_category_id=entry.age_category_id, reason=reason
    )
    AnonymousCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def entry_erase(*, entry: Entry, reason: str, actor=None, actor_label: str = "") -> None:
    """Delete the entry, its renditions, its original in storage and every
    row that holds the child's or guardian's data (scores and judging rows
    cascade). Only an anonymous count per country and age category remains
    (`AnonymousCount`), plus an audit row naming the reference code.
    `reason` is an `AnonymousCount.Reason` ("deleted": by an organizer in
    the admin). Files are deleted after the commit, so a rollback never
    loses an image that still has its row."""
    from .models import AuditLog

    with transaction.atomic():
        entry = Entry.objects.select_related("contest").prefetch_related("renditions").get(pk=entry.pk)
        files = _files_of(entry)
        _anonymous_count_add(entry=entry, reason=reason)
        contest, reference = entry.contest, entry.reference
        was_published = entry.publish_consent and entry.award is not None
        entry.renditions.all().delete()
        entry.delete()
        action = {"withdrawn": AuditLog.Action.WITHDRAWN, "deleted": AuditLog.Action.DELETED}.get(
            reason, AuditLog.Action.PURGED
        )
        audit_log_record(
            action=action, actor=actor, actor_label=actor_label, contest=contest, entry_reference=reference,
            detail={"reason": reason},
        )
    transaction.on_commit(lambda: _files_delete(files))
    if was_published:
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))


def entry_withdraw(*, entry: Entry) -> None:
    """The guardian withdraws the entry: everything about the child is
    deleted at once (see `entry_erase`)."""
    entry_erase(entry=entry, reason="withdrawn", actor_label="guardian")


def entry_data_export(*, entry: Entry, actor=None, actor_label: str = "guardian") -> bytes:
    """A ZIP of everything the portal holds about the entry: `entry.json`
    (every field, the consent text accepted, the moderation and award) and
    the original image. Recorded in the audit log."""
    import io
    import json
    import zipfile

    from .models import AuditLog
    from .selectors import consent_text_for_entry

    fields = [f for f in Entry._meta.concrete_fields if f.name not in {"original", "near_duplicate_of"}]
    data = {}
    for field in fields:
        value = field.value_from_object(entry)
        data[field.name] = value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None and not isinstance(value, (int, bool, str)) else value)
    data["contest"] = entry.contest.title
    data["age_category"] = entry.age_category.name
    data["consent_text"] = consent_text_for_entry(entry=entry)
    data["renditions"] = [
        {"kind": r.kind, "format": r.format, "width": r.width, "height": r.height} for r in entry.renditions.all()
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("entry.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        if entry.original.name:
            with entry.original.open("rb") as fh:
                archive.writestr(f"original.{(entry.original_format or 'bin').lower()}", fh.read())
    audit_log_record(
        action=AuditLog.Action.EXPORTED, actor=actor, actor_label=actor_label, contest=entry.contest,
        entry_reference=entry.reference,
    )
    return buffer.getvalue()


# What a rejection removes, and when: stated on the moderation page and in the
# e-mail. The guardian has this long to ask about the decision.
def rejected_grace_days() -> int:
    return settings.REJECTED_ENTRY_DAYS


def entries_moderate(
    *, entries, approve: bool, reason: str = "", actor=None, notify: bool = True
) -> int:
    """Approve or reject the given entries; returns how many changed.

    Only entries their guardian confirmed can be approved (the others are
    skipped; the database refuses them too). A rejection takes a reason from
    `Entry.RejectionReason`, is e-mailed to the guardian in their language
    and deletes the entry with its images after `REJECTED_ENTRY_DAYS`.
    Every decision is in the audit log.
    """
    from .models import AuditLog

    if not approve and reason not in Entry.RejectionReason.values:
        raise ValidationError(_("Choose a reason for the rejection."), code="reason")
    status = Entry.Moderation.APPROVED if approve else Entry.Moderation.REJECTED
    target = entries.exclude(moderation_status=status).filter(personal_data_purged_at__isnull=True)
    if approve:
        target = target.filter(guardian_confirmed_at__isnull=False)
    changed = list(target.select_related("contest"))
    now = timezone.now()
    with transaction.atomic():
        Entry.objects.filter(pk__in=[e.pk for e in changed]).update(
            moderation_status=status, rejection_reason="" if approve else reason, moderated_at=now, updated_at=now
        )
        for entry in changed:
            audit_log_record(
                action=AuditLog.Action.APPROVED if approve else AuditLog.Action.REJECTED, actor=actor,
                contest=entry.contest, entry_reference=entry.reference, detail={"reason": reason} if reason else {},
            )
    if not approve and notify:
        for entry in changed:
            entry.rejection_reason = reason
            transaction.on_commit(lambda entry=entry: entry_rejection_send(entry=entry))
    return len(changed)


def entry_rejection_send(*, entry: Entry) -> bool:
    """Tell the guardian, in their language, why the entry was rejected and
    when its data will be deleted."""
    reason = Entry.RejectionReason(entry.rejection_reason).label
    return _guardian_mail(
        entry=entry, subject=gettext_lazy("Your entry %(ref)s was not accepted"), kind="rejection",
        template="contest/email/rejected.txt", context={"reason_text": reason, "grace_days": rejected_grace_days()},
    )


def entries_flag(*, entries, flagged: bool = True, actor=None) -> int:
    """Mark entries for a closer look by another organizer."""
    from .models import AuditLog

    changed = list(entries.exclude(flagged=flagged).select_related("contest"))
    Entry.objects.filter(pk__in=[e.pk for e in changed]).update(flagged=flagged, updated_at=timezone.now())
    for entry in changed:
        audit_log_record(
            action=AuditLog.Action.FLAGGED, actor=actor, contest=entry.contest, entry_reference=entry.reference,
            detail={"flagged": flagged},
        )
    return len(changed)


def _purge_record(*, rule: str, per_contest: dict[int, int], dry_run: bool, files: int = 0) -> None:
    """One `PurgeRun` for the whole run (all contests), and one audit row per
    contest that lost entries (`per_contest`: contest id -> entries), so each
    contest's audit page shows its own purges."""
    from .models import AuditLog, PurgeRun

    count = sum(per_contest.values())
    PurgeRun.objects.create(rule=rule, entries=count, files=files, dry_run=dry_run)
    if dry_run:
        return
    AuditLog.objects.bulk_create(
        AuditLog(
            action=AuditLog.Action.PURGED, actor_label="system", contest_id=contest_id,
            detail={"rule": rule, "entries": n},
        )
        for contest_id, n in sorted(per_contest.items())
        if n
    )


def _per_contest(entries: list[Entry]) -> dict[int, int]:
    from collections import Counter

    return dict(Counter(entry.contest_id for entry in entries))


def entries_purge_unconfirmed(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete every entry whose guardian did not confirm before the link
    expired: `GUARDIAN_CONFIRM_DAYS` after the last link was sent
    (`confirmation_sent_at`; "send the link again" starts a fresh period, as
    its e-mail says), or after submission when no link went out. Deletes
    the files too. Records a `PurgeRun`; returns how many (would be) deleted."""
    from django.db.models.functions import Coalesce

    from .links import Purpose, lifetime

    now = now or timezone.now()
    cutoff = now - lifetime(Purpose.CONFIRM)
    expired = list(
        Entry.objects.filter(guardian_confirmed_at__isnull=True)
        .alias(link_sent_at=Coalesce("confirmation_sent_at", "created_at"))
        .filter(link_sent_at__lt=cutoff)
        .only("pk", "contest_id")
    )
    if not dry_run:
        for entry in expired:
            entry_erase(entry=entry, reason="unconfirmed", actor_label="system")
    _purge_record(rule="unconfirmed", per_contest=_per_contest(expired), dry_run=dry_run)
    return len(expired)


def entries_purge_rejected(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete rejected entries `REJECTED_ENTRY_DAYS` after the decision."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=rejected_grace_days())
    rejected = list(
        Entry.objects.filter(moderation_status=Entry.Moderation.REJECTED, moderated_at__lt=cutoff).only("pk", "contest_id")
    )
    if not dry_run:
        for entry in rejected:
            entry_erase(entry=entry, reason="rejected", actor_label="system")
    _purge_record(rule="rejected", per_contest=_per_contest(rejected), dry_run=dry_run)
    return len(rejected)


def entry_anonymize_winner(*, entry: Entry) -> None:
    """Keep of a winning entry only what its publication answers cover (the
    retention rule of the privacy requirements: "winners keep only what
    their publication answers cover").

    With consent to publish (b): the drawing's renditions, its title and the
    child's own words, first name, age and country, and the city or region
    only with consent (c). Without it, only what the award and the anonymous
    statistics need stays: contest, age category, country, the award and the
    record of the consent answers; no name, age, title, words, image or
    image-derived placeholder. The original image goes in both cases.
    """
    with transaction.atomic():
        entry = Entry.objects.prefetch_related("renditions").get(pk=entry.pk)
        published = entry.publish_consent
        files = []
        if entry.original.name:
            files.append((entry.original.storage, entry.original.name))
        if not published:
            files += [(r.file.storage, r.file.name) for r in entry.renditions.all() if r.file.name]
            entry.renditions.all().delete()
        Entry.objects.filter(pk=entry.pk).update(
            child_first_name=entry.child_first_name if published else "",
            child_age=entry.child_age if published else None,
            title=entry.title if published else "",
            description=entry.description if published else "",
            placeholder=entry.placeholder if published else "",
            dominant_color=entry.dominant_color if published else "",
            region=entry.region if entry.publish_region_consent else "",
            child_last_name="", child_birth_date=None, school="",
            guardian_name="", guardian_email="", guardian_relationship="",
            original="", original_sha256="", phash="", near_duplicate_of=None, processing_error="",
            moderation_note="", personal_data_purged_at=timezone.now(), updated_at=timezone.now(),
        )
    transaction.on_commit(lambda: _files_delete(files))
    contest_id = entry.contest_id
    transaction.on_commit(lambda: public_cache_clear(contest_id=contest_id))


def entries_purge_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """For every contest whose results were published more than
    `contest.retention_days` ago: delete the entries that did not win
    (leaving anonymous counts) and strip the winners down to what their
    publication answers cover. Records a `PurgeRun`; returns how many
    entries were (or would be) deleted or anonymized."""
    now = now or timezone.now()
    per_contest = {}
    for contest in Contest.objects.filter(results_published_at__isnull=False):
        if contest.results_published_at + dt.timedelta(days=contest.retention_days) > now:
            continue
        entries = list(Entry.objects.filter(contest=contest, personal_data_purged_at__isnull=True).only("pk", "award"))
        per_contest[contest.pk] = len(entries)
        if dry_run:
            continue
        for entry in entries:
            if entry.award is None:
                entry_erase(entry=entry, reason="retention", actor_label="system")
            else:
                entry_anonymize_winner(entry=entry)
    _purge_record(rule="retention", per_contest=per_contest, dry_run=dry_run)
    return sum(per_contest.values())


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
