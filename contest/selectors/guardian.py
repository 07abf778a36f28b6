"""The guardian's reads: consent texts, their entry and its stage, and the
entry a repeated submission already made."""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from ..models import ConsentText, Contest, Entry

@dataclass(frozen=True)
class Consent:
    version: str
    language: str
    text: str


def consent_text_current(*, contest: Contest, language: str) -> Consent:
    """The consent text a guardian sees on the form: the newest version in
    `language`, else in the contest's default language, else in the site's
    default language, else the contest's own text and version.

    `language` of the result is the language of the text shown, which the
    entry records (issue 6: which version the guardian accepted): the
    contest's own text is written in its default language."""
    for code in dict.fromkeys((language, contest.default_language, settings.LANGUAGE_CODE)):
        row = ConsentText.objects.filter(contest=contest, language=code).order_by("-created_at", "-id").first()
        if row is not None:
            return Consent(version=row.version, language=row.language, text=row.text)
    return Consent(version=contest.consent_version, language=contest.default_language, text=str(contest.consent_text))


def consent_text_for_entry(*, entry: Entry) -> str:
    """The full text of the consent version this entry's guardian accepted:
    its ConsentText row, else (no row: the guardian saw the contest's own
    text) `contest.consent_text`, which cannot change once an entry exists
    (see ContestAdmin)."""
    row = ConsentText.objects.filter(
        contest_id=entry.contest_id, language=entry.consent_language, version=entry.consent_version
    ).first()
    return row.text if row is not None else str(entry.contest.consent_text)


def consent_version_accepted(*, contest_id: int, language: str, version: str) -> bool:
    """Whether any entry of the contest records that its guardian accepted
    this (language, version) of the consent text. One query."""
    return Entry.objects.filter(contest_id=contest_id, consent_language=language, consent_version=version).exists()


def entry_for_guardian(*, public_id) -> Entry | None:
    """The entry a guardian's link names, with what the status page shows;
    None once it was withdrawn or purged."""
    return (
        Entry.objects.select_related("contest", "age_category")
        .prefetch_related("renditions", "special_awards")
        .filter(public_id=public_id, personal_data_purged_at__isnull=True)
        .first()
    )


def entry_for_receipt(*, reference: str, slug: str) -> Entry | None:
    """The entry the receipt page shows (`reference` in the contest `slug`),
    with what its status block needs (contest, category, renditions); None
    when there is none (never submitted by this session, or withdrawn or
    deleted since)."""
    return (
        Entry.objects.select_related("contest", "age_category")
        .prefetch_related("renditions", "special_awards")
        .filter(reference=reference, contest__slug=slug, personal_data_purged_at__isnull=True)
        .first()
    )


class Stage(StrEnum):
    RECEIVED = "received"
    CONFIRMED = "confirmed"
    APPROVED = "approved"
    JUDGED = "judged"
    RESULTS = "results"


STAGES = [Stage.RECEIVED, Stage.CONFIRMED, Stage.APPROVED, Stage.JUDGED, Stage.RESULTS]


def entry_stage(*, entry: Entry) -> Stage:
    """Where the entry is, in the five steps the guardian's page and the
    receipt show. A rejected entry stays at "confirmed" (the page says so
    plainly instead of showing the steps: see `entry_status`). One query
    (whether judges scored it) once it is approved."""
    contest = entry.contest
    if contest.results_published_at is not None and entry.moderation_status == Entry.Moderation.APPROVED:
        return Stage.RESULTS
    if entry.guardian_confirmed_at is None:
        return Stage.RECEIVED
    if entry.moderation_status != Entry.Moderation.APPROVED:
        return Stage.CONFIRMED
    if entry.scores.exists():
        return Stage.JUDGED
    return Stage.APPROVED


@dataclass(frozen=True)
class Step:
    """One step of the indicator: its stage and "done", "current" or "todo"."""

    stage: Stage
    state: str


@dataclass(frozen=True)
class EntryStatus:
    """What the receipt and the guardian's page say about an entry.

    `stage` and `steps` (the five steps, each done, current or to do);
    `rejected` (the organizers did not accept it: no steps are shown, the
    reason is); `picture_ready` (its card rendition exists), `picture_failed`
    (the worker could not read the photo: the guardian may replace it);
    `editable` (the guardian may still change it: before the contest's
    closing time, not rejected; see `services.entry_edit_check`) and
    `closes_at` (aware); `sheet`: "straightened" (the picture shown is
    the sheet found in the photo, straightened), "as_sent" (the guardian
    chose the photo as it was) or "" (nothing to say, the picture is not
    ready, or a new photo is asked for: the notice speaks instead), and `sheet_changeable` (the guardian may switch between
    the two now: editable, no regions hidden by a moderator, no new photo
    asked for (the notice asks for one instead); judges'
    scores are checked by `services.entry_sheet_choose`); `photo_asked`
    (`entry_photo_asked`) and `replaceable` (a new photo may be sent:
    editable, or asked for)."""

    stage: Stage
    steps: list[Step]
    rejected: bool
    picture_ready: bool
    picture_failed: bool
    editable: bool
    closes_at: object
    sheet: str = ""
    sheet_changeable: bool = False
    photo_asked: bool = False
    replaceable: bool = False


def entry_status(*, entry: Entry, now=None) -> EntryStatus:
    """The `EntryStatus` of `entry` (with its contest; renditions prefetched
    or not: one query either way), at `now` (default: the current time)."""
    stage = entry_stage(entry=entry)
    index = STAGES.index(stage)
    steps = [
        Step(stage=s, state="done" if i < index else "current" if i == index else "todo") for i, s in enumerate(STAGES)
    ]
    rejected = entry.moderation_status == Entry.Moderation.REJECTED
    ready = entry.processing_status == Entry.Processing.READY and any(
        r.kind == "card" for r in entry.renditions.all()
    )
    now = now or timezone.now()
    editable = not rejected and now < entry.contest.closes_at
    asked = entry_photo_asked(entry=entry)
    return EntryStatus(
        stage=stage, steps=steps, rejected=rejected, picture_ready=ready,
        picture_failed=entry.processing_status == Entry.Processing.FAILED,
        editable=editable, closes_at=entry.contest.closes_at, sheet="" if asked else _sheet_state(entry, ready),
        sheet_changeable=ready and editable and not entry.image_masks and not asked, photo_asked=asked,
        replaceable=editable or asked,
    )


def _sheet_state(entry: Entry, ready: bool) -> str:
    if not ready:
        return ""
    if entry.sheet_mode == Entry.SheetMode.PHOTO:
        return "as_sent"
    return "straightened" if entry.sheet_corners else ""


def entry_photo_asked(*, entry: Entry) -> bool:
    """A moderator's request for a photo of the drawing alone is open for
    `entry`: asked (`photo_requested_at`), not yet dealt with by a
    moderator (hidden regions or "nothing to hide" clear the check), and
    the entry not rejected. No query."""
    return (
        entry.photo_requested_at is not None
        and entry.privacy_review != Entry.PrivacyReview.CLEARED
        and entry.moderation_status != Entry.Moderation.REJECTED
    )


def entry_reference_for_submission(*, contest: Contest, token: str, sha256: str, guardian_email: str) -> str | None:
    """The reference of the entry this very form post already created, or None.

    Matches the submit form's one-time `token`, the upload's SHA-256 (hex)
    and the guardian's e-mail (case-insensitive), so only a repeat of the
    same post (a double click whose twin got there first) finds it. One
    query, on the (contest, content hash) unique index."""
    if not token:
        return None
    entry = (
        Entry.objects.filter(contest=contest, original_sha256=sha256, submission_token=token)
        .only("reference", "guardian_email")
        .first()
    )
    if entry is None or entry.guardian_email.strip().lower() != guardian_email.strip().lower():
        return None
    return entry.reference
