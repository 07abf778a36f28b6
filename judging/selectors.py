"""Reads for judging.

Judges are blind: everything a judge's page shows about an entry comes from
`BlindEntry`, built with `values()` from an explicit list of columns, so the
child's names, birth date, school, guardian data and the original file are
never loaded, not even lazily by a template. A judge knows an entry by a
per-judge label (`anonymous_label`) and sees the entries in a per-judge,
stable, random order (`_judge_order_key`), so no two judges meet the
drawings in the same sequence. Every judging URL names an entry by a
per-judge token (`entry_token`), never by its public id, so two judges
cannot tell by URL that they score the same drawing, nor match a
published winner's page to what they scored.

Every list selector here issues a fixed number of queries, whatever the
number of entries or judges.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from contest import pictures
from contest.models import AgeCategory, Contest, Entry, Rendition

from . import audit_text, scoring
from .models import (
    AuditEvent,
    CalibrationEntry,
    CalibrationScore,
    Conflict,
    Criterion,
    EntryAssignment,
    JudgeAssignment,
    JudgingSettings,
    Round,
    RoundEntry,
    Score,
    SheetComment,
)
from .rules import is_assigned_judge, is_organizer

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


@dataclass(frozen=True)
class Progress:
    """A judge has complete score sheets for `scored` of `total` entries."""

    scored: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 0


@dataclass(frozen=True)
class ContestProgress:
    contest: Contest
    progress: Progress


@dataclass(frozen=True)
class JudgeQueue:
    """A judge's work in one contest: the round they judge, their entries
    in their own order, and how many reference drawings are still to score
    before judging (`calibration_pending`)."""

    round: Round
    entries: list[BlindEntry]
    calibration_pending: int
    calibration_total: int

    @property
    def progress(self) -> Progress:
        return judge_progress(entries=self.entries)

    def next_unscored(self, *, after: int | None = None) -> BlindEntry | None:
        """The first unscored entry after entry id `after` in the judge's
        order, wrapping around; None when every entry is scored."""
        entries = self.entries
        start = next((i + 1 for i, e in enumerate(entries) if e.id == after), 0)
        for e in entries[start:] + entries[:start]:
            if not e.is_scored and e.id != after:
                return e
        return None

    def entry_for_token(self, token: str) -> BlindEntry:
        """The queue's entry with this judge's URL `token`; Http404 when
        none has it (another judge's token, an entry left out). No query."""
        return entry_for_token(entries=self.entries, token=token)


@dataclass(frozen=True)
class PeerScore:
    label: str
    total: Decimal


@dataclass(frozen=True)
class RankingRow:
    entry_id: int
    public_id: uuid.UUID
    reference: str
    title: str
    award: int | None
    rank: int | None
    mean: Decimal | None  # raw mean total, rounded to 2 decimals, 0-100
    judges: int  # complete score sheets (judges with a conflict left out)
    partial: int  # judges who scored only some criteria
    normalized: Decimal | None = None  # mean of z-score normalized totals, 0-100, rounded
    median: Decimal | None = None  # of the ranking figures, rounded
    top3_votes: int = 0
    complete: bool = True
    tie: bool = False
    tie_break: str = ""


@dataclass(frozen=True)
class Agreement:
    """Inter-judge agreement in one category (see `judging.scoring`)."""

    alpha: Decimal | None
    kendall_w: Decimal | None
    kendall_judges: int
    kendall_entries: int
    outliers: list[str]


@dataclass(frozen=True)
class CategoryRanking:
    category: AgeCategory
    rows: list[RankingRow]
    agreement: Agreement | None = None
    suggestions: list[RankingRow] = field(default_factory=list)  # the first three ranked rows

    @property
    def decided(self) -> dict[int, RankingRow]:
        """place (1-3) -> the suggested row, for the places the ranking
        decides: a row in an unresolved tie or with too few score sheets is
        left for the organizer (ids or submission time never decide)."""
        return {
            place: row
            for place, row in enumerate(self.suggestions, start=1)
            if row.complete and not row.tie
        }

    @property
    def undecided_places(self) -> list[int]:
        """Places among the suggestions the organizer must choose."""
        return [place for place in range(1, len(self.suggestions) + 1) if place not in self.decided]


@dataclass(frozen=True)
class JudgeDistribution:
    """One judge's totals in the round: count, mean, spread, 10 bins."""

    judge_id: int
    name: str
    sheets: int
    mean: Decimal | None
    sd: Decimal | None
    normalized: bool
    bins: list[int]
    bars: list[tuple[int, int, int]]  # (x, y, height) in the SVG's units


@dataclass(frozen=True)
class Results:
    settings: JudgingSettings
    round: Round
    rounds: list[Round]
    ranking: list[CategoryRanking]
    judges: list[JudgeDistribution]


# --- settings and rounds --------------------------------------------------


def judging_settings_get(*, contest: Contest) -> JudgingSettings:
    """The contest's settings, or unsaved defaults (one query)."""
    found = JudgingSettings.objects.filter(contest=contest).first()
    return found or JudgingSettings(contest=contest)


def round_has_scores(*, contest: Contest, round_number: int) -> bool:
    """Whether any score was given on a criterion of that round (one query)."""
    return Score.objects.filter(criterion__contest=contest, criterion__round_number=round_number).exists()


def round_list(*, contest: Contest) -> list[Round]:
    """The contest's rounds by number; an unsaved, open round 1 when none
    was recorded yet (one query)."""
    rounds = list(Round.objects.filter(contest=contest).order_by("number"))
    return rounds or [Round(contest=contest, number=1, is_open=True)]


def round_current(*, contest: Contest) -> Round:
    return round_list(contest=contest)[-1]


def round_entries(*, contest: Contest, round: Round) -> QuerySet[Entry]:
    """Entries judged in `round`: every judgeable entry in round 1, the
    advanced ones later."""
    entries = Entry.objects.judgeable().filter(contest=contest)
    if round.number > 1:
        entries = entries.filter(Exists(RoundEntry.objects.filter(round_id=round.pk, entry=OuterRef("pk"))))
    return entries


def judgeable_entries(*, contest: Contest) -> QuerySet[Entry]:
    """Entries judges see: approved by a moderator and with renditions ready."""
    return Entry.objects.judgeable().filter(contest=contest)


# --- access ---------------------------------------------------------------


def contest_for_judge(*, user, slug: str) -> Contest:
    """The contest `slug` if `user` is on a panel of it (its translations
    prefetched, for the title in the page's language); 404 otherwise."""
    contest = Contest.objects.filter(slug=slug).prefetch_related("translations").first()
    if contest is None or not is_assigned_judge(user, contest):
        raise Http404
    return contest


def contest_for_organizer(*, user, slug: str) -> Contest:
    """The contest `slug` if `user` is an organizer (its translations
    prefetched, for the title in the page's language); 404 otherwise."""
    if not is_organizer(user):
        raise Http404
    contest = Contest.objects.filter(slug=slug).prefetch_related("translations").first()
    if contest is None:
        raise Http404
    return contest


def contest_list_for_judge(*, user) -> list[ContestProgress]:
    """The contests `user` judges, newest first, each with the judge's
    progress in the latest round they are on. One query for the contests,
    then the judge's queue of each (`judge_queue`, a fixed number of
    queries): constant in the number of entries, linear in the number of
    contests a judge is on (one or two a year)."""
    contests = list(
        Contest.objects.filter(judge_assignments__judge=user).distinct().order_by("-opens_at")
        .prefetch_related("translations")
    )
    result = []
    for contest in contests:
        queue = judge_queue(contest=contest, user=user)
        result.append(ContestProgress(contest=contest, progress=queue.progress))
    return result


def contest_list_for_organizer() -> QuerySet[Contest]:
    """Every contest, newest first (organizers see every result page), with
    their translations prefetched (titles in the page's language)."""
    return Contest.objects.order_by("-opens_at").prefetch_related("translations")


# --- the judge's queue ----------------------------------------------------


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


def entry_for_token(*, entries: list[BlindEntry], token: str) -> BlindEntry:
    """The entry of `entries` (one judge's queue or reference drawings,
    already loaded) whose `token` is `token`; Http404 when none matches.
    No query."""
    for entry in entries:
        if hmac.compare_digest(entry.token, token):
            return entry
    raise Http404


def _digest(*parts) -> bytes:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(django_settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _judge_order_key(judge_id: int, round_number: int, entry_id: int) -> bytes:
    # Keyed by the secret so nobody can predict another judge's order.
    return _digest("order", judge_id, round_number, entry_id)


def judge_round(*, contest: Contest, user, rounds: list[Round] | None = None) -> tuple[Round, JudgeAssignment | None]:
    """The latest round whose panel `user` is on, and that assignment (with
    its categories prefetched); two or three queries."""
    rounds = rounds if rounds is not None else round_list(contest=contest)
    assignments = {
        a.round_number: a
        for a in JudgeAssignment.objects.filter(contest=contest, judge=user).prefetch_related("categories")
    }
    for r in reversed(rounds):
        if r.number in assignments:
            return r, assignments[r.number]
    return rounds[0], assignments.get(1)


def _queue_values(*, contest: Contest, user, round: Round, assignment: JudgeAssignment | None) -> QuerySet:
    entries = round_entries(contest=contest, round=round).exclude(
        Exists(Conflict.objects.filter(judge=user, entry=OuterRef("pk")))
    )
    if assignment is None:
        return entries.none().values(*BLIND_FIELDS)
    category_ids = [c.pk for c in assignment.categories.all()]
    if category_ids:
        entries = entries.filter(age_category_id__in=category_ids)
    if round.entries_assigned_at is not None:
        entries = entries.filter(
            Exists(EntryAssignment.objects.filter(round_id=round.pk, judge=user, entry=OuterRef("pk")))
        )
    return entries.values(*BLIND_FIELDS).annotate(
        scored_criteria=Count(
            "scores__criterion_id",
            filter=Q(scores__judge=user, scores__criterion__round_number=round.number),
            distinct=True,
        )
    )


def _blind(row: dict, *, judge_id: int, criteria_total: int, position: int = 0) -> BlindEntry:
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


def judge_queue(*, contest: Contest, user) -> JudgeQueue:
    """The entries `user` judges in the latest round they are on, in the
    judge's own stable random order, without entries they abstained from,
    limited to their categories and, once entries were assigned, to their
    assignment. A fixed number of queries (rounds, assignment, categories,
    criteria, entries, calibration). The caller checks access
    (`contest_for_judge`)."""
    rnd, assignment = judge_round(contest=contest, user=user)
    criteria_total = Criterion.objects.filter(contest=contest, round_number=rnd.number).count()
    rows = list(_queue_values(contest=contest, user=user, round=rnd, assignment=assignment))
    rows.sort(key=lambda row: _judge_order_key(user.pk, rnd.number, row["id"]))
    entries = [
        _blind(row, judge_id=user.pk, criteria_total=criteria_total, position=i)
        for i, row in enumerate(rows, start=1)
    ]
    pending, total = (0, 0)
    if rnd.number == 1:
        pending, total = calibration_pending_count(contest=contest, user=user, criteria_total=criteria_total)
    return JudgeQueue(round=rnd, entries=entries, calibration_pending=pending, calibration_total=total)


def entry_list_for_judge(*, contest: Contest, user) -> list[BlindEntry]:
    """The entries of `judge_queue`, in the judge's order."""
    return judge_queue(contest=contest, user=user).entries


def judge_progress(*, entries: list[BlindEntry]) -> Progress:
    """Scored N of M, from a list of `BlindEntry` (no query)."""
    return Progress(scored=sum(1 for e in entries if e.is_scored), total=len(entries))


def entry_visible_to_judge(*, contest: Contest, user, token: str) -> BlindEntry:
    """The entry `user` knows by URL `token` in `contest`: one of their
    queue (latest round, categories, assignment, conflicts respected) or
    one of the contest's reference drawings; Http404 otherwise. A fixed
    number of queries (the queue's, then the reference drawings'). The
    caller checks access (`contest_for_judge`)."""
    try:
        return judge_queue(contest=contest, user=user).entry_for_token(token)
    except Http404:
        return entry_for_token(entries=calibration_queue_for_judge(contest=contest, user=user), token=token)


def entry_in_judge_queue(*, contest: Contest, user, entry_id: int) -> bool:
    """Whether `entry_id` is in `user`'s queue of `contest` (the rule of
    `judge_queue`, which the judging pages use): the judge's latest
    round, their categories and, once entries were assigned, their own
    assigned entries; judgeable entries only, abstained ones excluded.
    Three or four queries."""
    rnd, assignment = judge_round(contest=contest, user=user)
    if assignment is None:
        return False
    return _queue_values(contest=contest, user=user, round=rnd, assignment=assignment).filter(pk=entry_id).exists()


def rendition_for_judge(*, entry: BlindEntry, kind: str, fmt: str) -> Rendition | None:
    """The `kind`/`fmt` rendition of an entry a judge may see (resolved by
    `entry_visible_to_judge`), or None. One query."""
    return Rendition.objects.filter(entry_id=entry.id, kind=kind, format=fmt).first()


DISPLAY_SIZES = "(max-width: 70rem) calc(100vw - 2rem), 68rem"  # as the public entry page


def display_picture(*, contest: Contest, entry: BlindEntry, alt: str) -> dict | None:
    """The scoring page's picture of an entry, as the public entry page
    draws it: WebP and JPEG sources whose srcset holds the `card2x` and
    `display` renditions (by width), the display size as width/height and
    the placeholder (dominant colour and BlurHash) as a style. The images
    come from the judges' image view under the judge's own token for the
    entry (`entry_token`): nothing that names the child or the entry's
    public id. None when the entry has no JPEG display rendition.
    Two queries."""
    entry_id = entry.id
    rows = {
        (r.kind, r.format): r
        for r in Rendition.objects.filter(
            entry_id=entry_id, kind__in=[Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY]
        ).only("kind", "format", "width", "height")
    }
    display = rows.get((Rendition.Kind.DISPLAY, Rendition.Format.JPEG))
    if display is None:
        return None
    looks = Entry.objects.filter(pk=entry_id).values("placeholder", "dominant_color").first()

    def image_url(kind, fmt):
        return reverse("judging:entry_image", args=[contest.slug, entry.token, kind, fmt])

    def srcset(fmt):
        candidates = {}
        for kind in (Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY):
            row = rows.get((kind, fmt))
            if row is not None and (kind == Rendition.Kind.DISPLAY or row.width < display.width):
                url = image_url(kind, fmt)
                candidates[row.width] = f"{url} {row.width}w"
        return ", ".join(candidates[w] for w in sorted(candidates))

    return {
        "src": image_url(Rendition.Kind.DISPLAY, Rendition.Format.JPEG),
        "jpeg_srcset": srcset(Rendition.Format.JPEG),
        "webp_srcset": srcset(Rendition.Format.WEBP),
        "sizes": DISPLAY_SIZES,
        "width": display.width,
        "height": display.height,
        "alt": alt,
        "style": pictures.placeholder_style(
            Entry(placeholder=looks["placeholder"], dominant_color=looks["dominant_color"]),
            width=display.width, height=display.height,
        ),
    }


def criterion_list(*, contest: Contest, round_number: int = 1) -> list[Criterion]:
    return list(Criterion.objects.filter(contest=contest, round_number=round_number).order_by("order", "id"))


def score_sheet_for_judge(*, judge, entry_id: int, round_number: int = 1) -> dict[int, Decimal]:
    """The judge's saved points for one entry in one round: criterion id -> points."""
    return dict(
        Score.objects.filter(judge=judge, entry_id=entry_id, criterion__round_number=round_number).values_list(
            "criterion_id", "points"
        )
    )


def sheet_comment_for_judge(*, judge, entry_id: int, round_number: int = 1) -> str:
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
    criteria = _scoring_criteria(contest=contest, round_number=round.number)
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


# --- calibration ----------------------------------------------------------


def calibration_pending_count(*, contest: Contest, user, criteria_total: int | None = None) -> tuple[int, int]:
    """(reference drawings the judge has not fully scored, all of them):
    one query without reference drawings, three with (two if the number of
    round-1 criteria is given)."""
    entries = list(CalibrationEntry.objects.filter(contest=contest).values_list("entry_id", flat=True))
    if not entries:
        return 0, 0
    if criteria_total is None:
        criteria_total = Criterion.objects.filter(contest=contest, round_number=1).count()
    done = (
        CalibrationScore.objects.filter(judge=user, entry_id__in=entries, criterion__contest=contest,
                                        criterion__round_number=1)
        .values("entry_id")
        .annotate(n=Count("criterion_id", distinct=True))
        .filter(n__gte=criteria_total)
        .count()
    )
    return len(entries) - done, len(entries)


def calibration_queue_for_judge(*, contest: Contest, user) -> list[BlindEntry]:
    """The reference drawings in the organizer's order, blind, each marked
    scored once the judge gave points on every round-1 criterion."""
    criteria_total = Criterion.objects.filter(contest=contest, round_number=1).count()
    rows = (
        Entry.objects.filter(Exists(CalibrationEntry.objects.filter(contest=contest, entry=OuterRef("pk"))))
        .values(*BLIND_FIELDS)
    )
    order = dict(CalibrationEntry.objects.filter(contest=contest).values_list("entry_id", "order"))
    scored = dict(
        CalibrationScore.objects.filter(judge=user, criterion__contest=contest, criterion__round_number=1)
        .values("entry_id")
        .annotate(n=Count("criterion_id", distinct=True))
        .values_list("entry_id", "n")
    )
    result = []
    for row in sorted(rows, key=lambda r: (order.get(r["id"], 0), r["id"])):
        row = {**row, "scored_criteria": scored.get(row["id"], 0)}
        result.append(_blind(row, judge_id=user.pk, criteria_total=criteria_total))
    return [replace(e, position=i) for i, e in enumerate(result, start=1)]


def calibration_sheet_for_judge(*, judge, entry_id: int) -> dict[int, Decimal]:
    return dict(
        CalibrationScore.objects.filter(judge=judge, entry_id=entry_id).values_list("criterion_id", "points")
    )


@dataclass(frozen=True)
class CalibrationRow:
    judge_id: int
    name: str
    scored: int
    mean: Decimal | None
    sd: Decimal | None
    totals: list[Decimal | None]  # per reference drawing, in order


@dataclass(frozen=True)
class CalibrationReport:
    references: list[dict]  # id, reference, title
    rows: list[CalibrationRow]
    overall_mean: Decimal | None


def calibration_report(*, contest: Contest) -> CalibrationReport:
    """For organizers: each judge's totals on the reference drawings, their
    mean and (population) standard deviation, next to the panel's mean. A
    judge far below the others is strict, one with a small spread does not
    tell drawings apart. Five queries."""
    criteria = _scoring_criteria(contest=contest, round_number=1)
    references = list(
        CalibrationEntry.objects.filter(contest=contest)
        .order_by("order", "id")
        .values("entry_id", "entry__reference", "entry__title")
    )
    judges = list(
        get_user_model()
        .objects.filter(judge_assignments__contest=contest)
        .distinct()
        .order_by("username")
        .values("id", "username")
    )
    sheets: dict[tuple[int, int], dict] = defaultdict(dict)
    for judge_id, entry_id, criterion_id, points in CalibrationScore.objects.filter(
        criterion__contest=contest, criterion__round_number=1
    ).values_list("judge_id", "entry_id", "criterion_id", "points"):
        sheets[(judge_id, entry_id)][criterion_id] = points
    rows = []
    every = []
    for judge in judges:
        totals = [
            scoring.sheet_total(criteria=criteria, points=sheets.get((judge["id"], r["entry_id"]), {}))
            for r in references
        ]
        present = [t for t in totals if t is not None]
        every.extend(present)
        rows.append(
            CalibrationRow(
                judge_id=judge["id"],
                name=judge["username"],
                scored=len(present),
                mean=scoring.mean_display(scoring.mean(present)),
                sd=scoring.mean_display(scoring.population_sd(present)) if present else None,
                totals=[scoring.mean_display(t) for t in totals],
            )
        )
    refs = [{"id": r["entry_id"], "reference": r["entry__reference"], "title": r["entry__title"]} for r in references]
    return CalibrationReport(references=refs, rows=rows, overall_mean=scoring.mean_display(scoring.mean(every)))


# --- results --------------------------------------------------------------


def _scoring_criteria(*, contest: Contest, round_number: int) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(id=c["id"], weight=c["weight"], max_points=Decimal(c["max_points"]))
        for c in Criterion.objects.filter(contest=contest, round_number=round_number).values("id", "weight", "max_points")
    ]


def _round_sheets(*, contest: Contest, round: Round, criteria, entry_ids: set[int]):
    """Complete sheets (scoring.Sheet) and partial-sheet counts per entry of
    one round, without the scores of judges who declared a conflict (one
    query)."""
    raw: dict[tuple[int, int], dict] = defaultdict(dict)
    rows = (
        Score.objects.filter(criterion__contest=contest, criterion__round_number=round.number)
        .exclude(Exists(Conflict.objects.filter(judge=OuterRef("judge"), entry=OuterRef("entry"))))
        .values_list("judge_id", "entry_id", "criterion_id", "points")
    )
    for judge_id, entry_id, criterion_id, points in rows:
        if entry_id in entry_ids:
            raw[(judge_id, entry_id)][criterion_id] = points
    sheets, partial = [], defaultdict(int)
    sheet_total = scoring.sheet_totaller(criteria)
    for (judge_id, entry_id), points in raw.items():
        total = sheet_total(points)
        if total is None:
            partial[entry_id] += 1
        else:
            sheets.append(scoring.Sheet(judge=judge_id, entry=entry_id, total=total))
    return sheets, partial


def contest_ranking(*, contest: Contest, round_number: int | None = None) -> list[CategoryRanking]:
    """The ranking per age category (youngest first) of the entries of one
    round (default: the latest), by `judging.scoring.aggregate` under the
    contest's settings, each block with its award suggestions (the first
    three ranked rows; `CategoryRanking.decided` keeps those the ranking
    decides). Six queries."""
    return _ranking(contest=contest, round_number=round_number)[0]


def _ranking(*, contest: Contest, round_number: int | None = None, with_stats: bool = False):
    settings = judging_settings_get(contest=contest)
    rounds = round_list(contest=contest)
    rnd = next((r for r in rounds if r.number == round_number), rounds[-1])
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = _scoring_criteria(contest=contest, round_number=rnd.number)
    entries = {
        e["id"]: e
        for e in round_entries(contest=contest, round=rnd).values(
            "id", "public_id", "reference", "title", "award", "age_category_id"
        )
    }
    sheets, partial = _round_sheets(contest=contest, round=rnd, criteria=criteria, entry_ids=set(entries))
    order = {c.pk: i for i, c in enumerate(categories)}
    entry_categories = {
        e_id: e["age_category_id"]
        for e_id, e in sorted(entries.items(), key=lambda kv: (order.get(kv[1]["age_category_id"], 0), kv[0]))
    }
    result = scoring.aggregate(
        sheets=sheets,
        categories=entry_categories,
        normalization=settings.normalization,
        min_judges=settings.min_judges,
    )
    blocks = []
    sheets_by_category: dict[int, list[scoring.Sheet]] = defaultdict(list)
    for s in sheets:
        sheets_by_category[entry_categories[s.entry]].append(s)
    names = _judge_names(contest=contest) if with_stats else {}
    for category in categories:
        rows = []
        for line in result.categories.get(category.pk, []):
            e = entries[line.entry]
            rows.append(
                RankingRow(
                    entry_id=e["id"],
                    public_id=e["public_id"],
                    reference=e["reference"],
                    title=e["title"],
                    award=e["award"],
                    rank=line.rank,
                    mean=scoring.mean_display(line.raw_mean),
                    judges=line.judges,
                    partial=partial.get(line.entry, 0),
                    normalized=scoring.mean_display(line.normalized_mean),
                    median=scoring.mean_display(line.median),
                    top3_votes=line.top3_votes,
                    complete=line.complete,
                    tie=line.tie,
                    tie_break=line.tie_break,
                )
            )
        agreement = _agreement(sheets_by_category[category.pk], names) if with_stats else None
        suggestions = [row for row in rows if row.rank is not None][:3]
        blocks.append(CategoryRanking(category=category, rows=rows, agreement=agreement, suggestions=suggestions))
    return blocks, settings, rnd, rounds, sheets, result, names


def _judge_names(*, contest: Contest) -> dict[int, str]:
    return dict(
        get_user_model().objects.filter(judge_assignments__contest=contest).distinct().values_list("id", "username")
    )


def _agreement(sheets: list[scoring.Sheet], names: dict[int, str]) -> Agreement:
    units: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for s in sheets:
        units[s.entry][s.judge] = s.total
    alpha = scoring.krippendorff_alpha_interval(list(u.values()) for u in units.values())
    judges = sorted({s.judge for s in sheets})
    complete_entries = [e for e, marks in sorted(units.items()) if all(j in marks for j in judges)]
    matrix = [[units[e][j] for e in complete_entries] for j in judges]
    w = scoring.kendalls_w(matrix) if complete_entries else None
    rho = scoring.judge_outliers(sheets)
    outliers = sorted(names.get(j, str(j)) for j, r in rho.items() if r is not None and r < scoring.OUTLIER_RHO)
    return Agreement(
        alpha=None if alpha is None else alpha.quantize(Decimal("0.001")),
        kendall_w=None if w is None else w.quantize(Decimal("0.001")),
        kendall_judges=len(judges) if w is not None else 0,
        kendall_entries=len(complete_entries) if w is not None else 0,
        outliers=outliers,
    )


BAR_WIDTH = 12
CHART_HEIGHT = 40


def results_for_organizer(*, contest: Contest, round_number: int | None = None) -> Results:
    """Everything the organizer's results page shows for one round: the
    ranking with agreement and suggestions, and every judge's distribution
    of totals (for the small SVG charts). A fixed number of queries."""
    blocks, settings, rnd, rounds, sheets, result, names = _ranking(
        contest=contest, round_number=round_number, with_stats=True
    )
    by_judge: dict[int, list[Decimal]] = defaultdict(list)
    for s in sheets:
        by_judge[s.judge].append(s.total)
    distributions = []
    for judge_id, totals in sorted(by_judge.items(), key=lambda kv: names.get(kv[0], "")):
        bins = scoring.histogram(totals)
        tallest = max(bins) or 1
        bars = []
        for i, count in enumerate(bins):
            height = round(CHART_HEIGHT * count / tallest)
            bars.append((i * BAR_WIDTH, CHART_HEIGHT - height, height))
        stats = result.judges.get(judge_id)
        distributions.append(
            JudgeDistribution(
                judge_id=judge_id,
                name=names.get(judge_id, str(judge_id)),
                sheets=len(totals),
                mean=scoring.mean_display(scoring.mean(totals)),
                sd=scoring.mean_display(scoring.population_sd(totals)),
                normalized=bool(stats and stats.used),
                bins=bins,
                bars=bars,
            )
        )
    return Results(settings=settings, round=rnd, rounds=rounds, ranking=blocks, judges=distributions)


# --- organizer lists ------------------------------------------------------


@dataclass(frozen=True)
class PanelJudge:
    assignment_id: int
    judge_id: int
    name: str
    round_number: int
    categories: list[str]
    assigned_entries: int
    scored_entries: int


def panel_for_organizer(*, contest: Contest) -> list[PanelJudge]:
    """Every judge on every round's panel, with categories, the number of
    entries the automatic assignment gave them and the sheets they started
    (four queries)."""
    assignments = list(
        JudgeAssignment.objects.filter(contest=contest)
        .select_related("judge")
        .prefetch_related("categories")
        .order_by("round_number", "judge__username")
    )
    load = {
        (row["round__number"], row["judge_id"]): row["n"]
        for row in EntryAssignment.objects.filter(round__contest=contest)
        .values("round__number", "judge_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    scored = {
        (row["criterion__round_number"], row["judge_id"]): row["n"]
        for row in Score.objects.filter(criterion__contest=contest)
        .values("criterion__round_number", "judge_id")
        .annotate(n=Count("entry_id", distinct=True))
        .order_by()
    }
    return [
        PanelJudge(
            assignment_id=a.pk,
            judge_id=a.judge_id,
            name=a.judge.get_username(),
            round_number=a.round_number,
            categories=[c.name for c in a.categories.all()],
            assigned_entries=load.get((a.round_number, a.judge_id), 0),
            scored_entries=scored.get((a.round_number, a.judge_id), 0),
        )
        for a in assignments
    ]


def conflict_list(*, contest: Contest) -> QuerySet[Conflict]:
    """Declared conflicts of interest, newest first, for organizers."""
    return (
        Conflict.objects.filter(entry__contest=contest)
        .select_related("judge", "entry")
        .only("id", "reason", "created_at", "judge__username", "entry__reference", "entry__title")
        .order_by("-created_at")
    )


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    text: str  # what happened, one sentence in the active language


AUDIT_PAGE_SIZE = 50


def audit_page(*, contest: Contest, page: str | int | None = 1, per_page: int = AUDIT_PAGE_SIZE):
    """One page of the contest's audit trail, newest first: (Django `Page`,
    [AuditRow]). Each event is told in words (`judging.audit_text`), with
    the entries, categories and judges its detail refers to looked up once
    for the whole page. At most five queries whatever the page or the trail's
    length: the count, the page, entries, categories and users."""
    events = (
        AuditEvent.objects.filter(contest=contest)
        .select_related("actor", "entry")
        .only(
            "id", "action", "detail", "reason", "round_number", "created_at", "entry_id", "actor__username",
            "entry__reference",
        )
        .order_by("-created_at", "-id")
    )
    shown = Paginator(events, per_page).get_page(page)
    entry_ids, category_ids, user_ids = audit_text.referenced_ids(shown.object_list)
    names = audit_text.AuditNames(
        entries=dict(Entry.objects.filter(pk__in=entry_ids).values_list("id", "reference")) if entry_ids else {},
        categories=(
            dict(AgeCategory.objects.filter(pk__in=category_ids).values_list("id", "name")) if category_ids else {}
        ),
        users=dict(get_user_model().objects.filter(pk__in=user_ids).values_list("id", "username")) if user_ids else {},
    )
    return shown, [AuditRow(event=e, text=audit_text.describe(e, names)) for e in shown.object_list]


def score_export_rows(*, contest: Contest):
    """Every score of the contest for the CSV export, one row per judge,
    entry and criterion (reference code and title only, nothing that
    identifies the child), with the judge's conflict flag and private
    comment. Two queries, streamed."""
    comments = {
        (c["judge_id"], c["entry_id"], c["round_number"]): c["text"]
        for c in SheetComment.objects.filter(entry__contest=contest).values(
            "judge_id", "entry_id", "round_number", "text"
        )
    }
    rows = (
        Score.objects.filter(criterion__contest=contest)
        .annotate(conflict=Exists(Conflict.objects.filter(judge=OuterRef("judge"), entry=OuterRef("entry"))))
        .order_by("criterion__round_number", "entry__reference", "judge__username", "criterion__order", "criterion_id")
        .values_list(
            "criterion__round_number", "entry__reference", "entry__title", "entry__age_category__name",
            "judge_id", "judge__username", "entry_id", "criterion__name", "criterion__weight", "points",
            "max_points", "conflict", "updated_at",
        )
    )
    for (round_number, reference, title, category, judge_id, username, entry_id, criterion, weight, points,
         max_points, conflict, updated_at) in rows.iterator(chunk_size=2000):
        yield [
            round_number, category, reference, title, username, criterion, weight, points, max_points,
            "yes" if conflict else "", comments.get((judge_id, entry_id, round_number), ""), updated_at.isoformat(),
        ]


# --- the ranking in SQL (benchmark and cross-check) -----------------------

_RANKING_SQL = """
WITH sheet AS (
    SELECT s.judge_id, s.entry_id,
           100.0 * SUM(1.0 * c.weight * s.points / c.max_points) / SUM(1.0 * c.weight) AS total
    FROM judging_score s
    JOIN judging_criterion c ON c.id = s.criterion_id
    WHERE c.contest_id = %(contest)s AND c.round_number = %(round)s
      AND NOT EXISTS (SELECT 1 FROM judging_conflict k WHERE k.judge_id = s.judge_id AND k.entry_id = s.entry_id)
    GROUP BY s.judge_id, s.entry_id
    HAVING COUNT(*) = %(criteria)s
),
judge AS (
    SELECT judge_id, AVG(total) AS m, SQRT(MAX(AVG(total * total) - AVG(total) * AVG(total), 0)) AS sd,
           COUNT(*) AS n
    FROM sheet GROUP BY judge_id
),
pooled AS (
    SELECT AVG(total) AS m, SQRT(MAX(AVG(total * total) - AVG(total) * AVG(total), 0)) AS sd FROM sheet
),
normalized AS (
    SELECT sheet.entry_id, sheet.total,
           CASE WHEN judge.n >= 3 AND judge.sd > 1e-9 AND pooled.sd > 1e-9
                THEN pooled.m + pooled.sd * (sheet.total - judge.m) / judge.sd
                ELSE sheet.total END AS norm
    FROM sheet JOIN judge ON judge.judge_id = sheet.judge_id CROSS JOIN pooled
),
per_entry AS (
    SELECT e.id AS entry_id, e.age_category_id, AVG(n.total) AS raw_mean, AVG(n.norm) AS norm_mean, COUNT(*) AS judges
    FROM normalized n JOIN contest_entry e ON e.id = n.entry_id
    GROUP BY e.id, e.age_category_id
)
SELECT entry_id, age_category_id, raw_mean, norm_mean, judges,
       RANK() OVER (PARTITION BY age_category_id ORDER BY ROUND(%(figure)s, 2) DESC) AS rank
FROM per_entry
ORDER BY age_category_id, rank, entry_id
"""


def ranking_in_database(*, contest: Contest, round_number: int = 1, normalization: str = scoring.RAW) -> list[tuple]:
    """The ranking computed by the database in one statement: sheet totals,
    per-judge z-scores, means and the rank per category (rows of entry id,
    category id, raw mean, normalized mean, judges, rank). It ranks on the
    mean only: the median and top-3 tie-breaks, completeness and the
    flagging of ties stay with `judging.scoring.aggregate`. Used by the
    benchmark (bench/bench_ranking.py) to compare with the Python path;
    SQLite needs its math functions (SQRT), PostgreSQL has them; SQLite
    keeps whole decimals as integers, hence the `1.0 *` against integer
    division. Two queries."""
    criteria = Criterion.objects.filter(contest=contest, round_number=round_number).count()
    figure = "norm_mean" if normalization == scoring.ZSCORE else "raw_mean"
    sql = _RANKING_SQL.replace("%(figure)s", figure)
    if connection.vendor == "postgresql":
        sql = sql.replace("MAX(AVG(total * total) - AVG(total) * AVG(total), 0)",
                          "GREATEST(AVG(total * total) - AVG(total) * AVG(total), 0)")
        sql = sql.replace("ROUND(norm_mean, 2)", "ROUND(norm_mean::numeric, 2)").replace(
            "ROUND(raw_mean, 2)", "ROUND(raw_mean::numeric, 2)")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"contest": contest.pk, "round": round_number, "criteria": criteria})
        return cursor.fetchall()


# --- the organizers' dashboard ---------------------------------------------


@dataclass(frozen=True)
class CategoryProgress:
    """Judging progress in one age category: `complete` score sheets of the
    `needed` ones (K judges per entry × the entries judged in the round)."""

    category: AgeCategory
    entries: int
    judges_per_entry: int
    complete: int

    @property
    def needed(self) -> int:
        return self.entries * self.judges_per_entry

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.needed) if self.needed else 0


def judging_progress_by_category(*, contest: Contest) -> tuple[Round, list[CategoryProgress]]:
    """The latest round and, per age category (youngest first), how many of
    the score sheets it needs are complete. An entry needs
    `JudgingSettings.min_judges` complete sheets; sheets beyond that and the
    sheets of judges who abstained do not count. Six queries, whatever the
    number of entries, judges or scores."""
    settings = judging_settings_get(contest=contest)
    rnd = round_current(contest=contest)
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = _scoring_criteria(contest=contest, round_number=rnd.number)
    entries = dict(round_entries(contest=contest, round=rnd).values_list("id", "age_category_id"))
    sheets, _partial = _round_sheets(contest=contest, round=rnd, criteria=criteria, entry_ids=set(entries))
    per_entry: dict[int, int] = defaultdict(int)
    for sheet in sheets:
        per_entry[sheet.entry] += 1
    k = settings.min_judges
    entry_count: dict[int, int] = defaultdict(int)
    complete: dict[int, int] = defaultdict(int)
    for entry_id, category_id in entries.items():
        entry_count[category_id] += 1
        complete[category_id] += min(per_entry.get(entry_id, 0), k)
    return rnd, [
        CategoryProgress(
            category=category, entries=entry_count[category.pk], judges_per_entry=k, complete=complete[category.pk]
        )
        for category in categories
    ]
