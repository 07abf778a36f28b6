"""The moderation queue as the page shows it: one card per entry with the
facts a moderator needs (see `templates/contest/moderation.html`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from . import selectors
from .models import Contest, Entry, Rendition
from .text_privacy import text_flag_labels


@dataclass(frozen=True)
class ModerationCard:
    """One entry of the queue: the entry (with its age category, near
    duplicate and renditions), the guardian's language by name, the text
    flags in words, which renditions exist (`kinds`, {"card", "card2x",
    "display"} when ready), the arrival in the contest's zone, and the
    next entry's id (where the page goes after a decision; None at the end)."""

    entry: Entry
    language_name: str
    text_flags: list[str]
    kinds: frozenset[str]
    submitted_at: object
    next_id: int | None
    face_found: bool = False
    name_found: bool = False
    straightened: bool = False


def _photo_badges(entry: Entry) -> dict:
    flagged = entry.privacy_review == Entry.PrivacyReview.FLAGGED
    findings = entry.privacy_findings or {}
    return {
        "face_found": flagged and bool(findings.get("faces")),
        "name_found": flagged and bool(findings.get("names")),
        "straightened": bool(entry.sheet_corners),
    }


def moderation_cards(*, contest: Contest, filter: str = selectors.QueueFilter.NEW) -> list[ModerationCard]:
    """The cards of `contest`'s moderation queue under `filter` (see
    `selectors.moderation_queue`), oldest first. Two queries whatever the
    number of entries: the entries (with category and near duplicate) and
    their renditions."""
    names = dict(settings.LANGUAGES)
    entries = list(selectors.moderation_queue(contest=contest, filter=filter))
    zone = contest.tzinfo
    cards = []
    for i, entry in enumerate(entries):
        cards.append(ModerationCard(
            entry=entry,
            language_name=str(names.get(entry.language, entry.language)),
            text_flags=text_flag_labels(entry.text_flags or []),
            kinds=frozenset(r.kind for r in entry.renditions.all() if r.format == Rendition.Format.JPEG),
            submitted_at=timezone.localtime(entry.created_at, zone),
            next_id=entries[i + 1].pk if i + 1 < len(entries) else None,
            **_photo_badges(entry),
        ))
    return cards
