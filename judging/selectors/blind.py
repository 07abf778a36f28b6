"""What a judge may know of an entry, and the per-judge names for it.

Judges are blind: everything a judge's page shows about an entry comes from
`BlindEntry`, built with `values()` from an explicit list of columns
(`BLIND_FIELDS`), so the child's names, birth date, school, guardian data
and the original file are never loaded, not even lazily by a template. A
judge knows an entry by a per-judge label (`anonymous_label`) and sees the
entries in a per-judge, stable, random order (`judge_order_key`), so no two
judges meet the drawings in the same sequence. Every judging URL names an
entry by a per-judge token (`entry_token`), never by its public id, so two
judges cannot tell by URL that they score the same drawing, nor match a
published winner's page to what they scored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings as django_settings

# The only entry columns a judge ever gets; nothing here identifies the child.
BLIND_FIELDS = ("id", "contest_id", "title", "description", "age_category_id", "age_category__name")
LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class BlindEntry:
    """What a judge may know about an entry. `label` is this judge's name
    for it, `token` this judge's key for it in URLs (`entry_token`);
    `position` its place (1-based) in this judge's order. The public id is
    left out on purpose: it would let judges compare notes."""

    id: int
    contest_id: int
    title: str
    description: str
    age_category_id: int
    age_category_name: str
    scored_criteria: int = 0
    is_scored: bool = False
    label: str = ""
    token: str = ""
    position: int = 0


def anonymous_label(*, judge_id: int, entry_id: int) -> str:
    """A stable, per-judge name for an entry ("K7Q2-XM"): two judges call the
    same drawing differently, so they cannot compare notes by label."""
    digest = _digest("label", judge_id, entry_id)
    chars = [LABEL_ALPHABET[b % len(LABEL_ALPHABET)] for b in digest[:6]]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


ENTRY_TOKEN_BYTES = 16  # 128 bits: 22 URL-safe characters, not guessable


def entry_token(*, judge_id: int, entry_id: int) -> str:
    """The judge's key for an entry in judging URLs: 22 URL-safe
    characters (an HMAC of judge and entry under SECRET_KEY, so stable
    across requests and bookmarks, different for every judge, and not
    guessable). It replaces the entry's public id, which is the same for
    every judge and later names a published winner's public page."""
    digest = _digest("entry-url", judge_id, entry_id)[:ENTRY_TOKEN_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def entry_for_token(*, entries: list[BlindEntry], token: str) -> BlindEntry | None:
    """The entry of `entries` (one judge's queue or reference drawings,
    already loaded) whose `token` is `token`; None when none matches.
    No query."""
    for entry in entries:
        if hmac.compare_digest(entry.token, token):
            return entry
    return None


def _digest(*parts) -> bytes:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(django_settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def judge_order_key(*, judge_id: int, round_number: int, entry_id: int) -> bytes:
    """The sort key of an entry in one judge's order for one round."""
    # Keyed by the secret so nobody can predict another judge's order.
    return _digest("order", judge_id, round_number, entry_id)


def blind_entry(*, row: dict, judge_id: int, criteria_total: int, position: int = 0) -> BlindEntry:
    """A `BlindEntry` from a `values(*BLIND_FIELDS)` row (with an optional
    `scored_criteria` count): scored once every one of the round's
    `criteria_total` criteria has points. No query."""
    return BlindEntry(
        id=row["id"],
        contest_id=row["contest_id"],
        title=row["title"],
        description=row["description"],
        age_category_id=row["age_category_id"],
        age_category_name=row["age_category__name"],
        scored_criteria=row.get("scored_criteria", 0),
        is_scored=bool(criteria_total) and row.get("scored_criteria", 0) >= criteria_total,
        label=anonymous_label(judge_id=judge_id, entry_id=row["id"]),
        token=entry_token(judge_id=judge_id, entry_id=row["id"]),
        position=position,
    )
