"""The judge's scoring page: the entry's renditions, the judge's saved
sheet and comment, and (when the contest allows) the other judges' totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from contest.models import Contest, Entry, Rendition

from .. import scoring
from ..models import Conflict, JudgingSettings, Round, Score, SheetComment
from .blind import BlindEntry
from .rounds import scoring_criteria


@dataclass(frozen=True)
class PeerScore:
    """Another judge's total for the entry, under a neutral label."""

    label: str
    total: Decimal


def rendition_for_judge(*, entry: BlindEntry, kind: str, fmt: str) -> Rendition | None:
    """The `kind`/`fmt` rendition of an entry a judge may see (resolved by
    `entry_visible_to_judge`), or None; never the moderators' `photo`
    (the photo as sent, unmasked). One query."""
    if kind == Rendition.Kind.PHOTO:
        return None
    return Rendition.objects.filter(entry_id=entry.id, kind=kind, format=fmt).first()


@dataclass(frozen=True)
class DisplayRenditions:
    """What the scoring page needs to draw an entry's picture: the width of
    each (kind, format) rendition among `card2x` and `display`, the JPEG
    display rendition's size, the JPEG `zoom` rendition's size (None when
    the original was not larger than the display rendition), and the
    entry's placeholder (BlurHash) and dominant colour. Data only: the view
    builds the URLs."""

    widths: dict[tuple[str, str], int]
    width: int
    height: int
    placeholder: str
    dominant_color: str
    zoom_size: tuple[int, int] | None = None


def display_renditions(*, entry: BlindEntry) -> DisplayRenditions | None:
    """The renditions the scoring page draws for an entry a judge may see
    (resolved by `entry_visible_to_judge`), or None when it has no JPEG
    display rendition. Two queries (one without a display rendition)."""
    rows = {
        (r.kind, r.format): r
        for r in Rendition.objects.filter(
            entry_id=entry.id, kind__in=[Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY, Rendition.Kind.ZOOM]
        ).only("kind", "format", "width", "height")
    }
    display = rows.get((Rendition.Kind.DISPLAY, Rendition.Format.JPEG))
    if display is None:
        return None
    looks = Entry.objects.filter(pk=entry.id).values("placeholder", "dominant_color").first()
    zoom = rows.get((Rendition.Kind.ZOOM, Rendition.Format.JPEG))
    return DisplayRenditions(
        zoom_size=(zoom.width, zoom.height) if zoom is not None else None,
        widths={key: row.width for key, row in rows.items() if key[0] != Rendition.Kind.ZOOM},
        width=display.width,
        height=display.height,
        placeholder=looks["placeholder"],
        dominant_color=looks["dominant_color"],
    )


def score_sheet_for_judge(*, judge, entry_id: int, round_number: int = 1) -> dict[int, Decimal]:
    """The judge's saved points for one entry in one round: criterion id -> points."""
    return dict(
        Score.objects.filter(judge=judge, entry_id=entry_id, criterion__round_number=round_number).values_list(
            "criterion_id", "points"
        )
    )


def sheet_comment_for_judge(*, judge, entry_id: int, round_number: int = 1) -> str:
    """The judge's private comment on one entry in one round ("" if none)."""
    return (
        SheetComment.objects.filter(judge=judge, entry_id=entry_id, round_number=round_number)
        .values_list("text", flat=True)
        .first()
        or ""
    )


def peer_scores_for_judge(
    *, contest: Contest, user, entry: BlindEntry, round: Round, settings: JudgingSettings
) -> list[PeerScore] | None:
    """Other judges' totals for the entry, labelled "Judge 1", "Judge 2"…,
    or None when the judge may not see them yet: never by default; with the
    contest's setting, only after scoring the entry themselves and, if so
    set, once the round is closed."""
    rule = settings.peer_scores
    if rule == JudgingSettings.PeerScores.NEVER or not entry.is_scored:
        return None
    if rule == JudgingSettings.PeerScores.AFTER_CLOSE and round.is_open and not contest.results_published:
        return None
    criteria = scoring_criteria(contest=contest, round_number=round.number)
    sheets: dict[int, dict] = defaultdict(dict)
    rows = (
        Score.objects.filter(entry_id=entry.id, criterion__contest=contest, criterion__round_number=round.number)
        .exclude(judge=user)
        .exclude(Exists(Conflict.objects.filter(judge=OuterRef("judge"), entry=OuterRef("entry"))))
        .values_list("judge_id", "criterion_id", "points")
    )
    for judge_id, criterion_id, points in rows:
        sheets[judge_id][criterion_id] = points
    totals = [scoring.sheet_total(criteria=criteria, points=s) for _j, s in sorted(sheets.items())]
    return [
        PeerScore(label=_("Judge %(n)d") % {"n": i}, total=scoring.mean_display(t))
        for i, t in enumerate((t for t in totals if t is not None), start=1)
    ]
