"""The home page's reads: the contest open now, the next one to open, the
latest contest with published results and a few of its winners."""

import json
from dataclasses import dataclass, field

from django.db.models import Aggregate, F, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from ..models import (
    LISTED_RENDITIONS, LISTED_SPECIAL_AWARDS, Contest, ContestTranslation, Entry, Rendition, SpecialAward,
    SpecialAwardHolder, listed_renditions,
)
from .public import ContestContent, contest_content

# How many winners the home page's strip shows.
HOME_WINNERS = 8

# What the home page shows of a winner: the title, the child's first name,
# age and country, the award and the picture's placeholder. Never the
# description (free text that may name the child, a school or a town).
HOME_ENTRY_FIELDS = [
    "id", "public_id", "contest_id", "age_category_id", "title", "child_first_name", "child_age", "country",
    "award", "placeholder", "dominant_color",
]


@dataclass(frozen=True)
class HomePage:
    """What the home page shows. `open_contests`: [(contest, content)] open
    now, closing soonest first (the first is the featured one); `upcoming`:
    the next contest to open, if one has a future opening date;
    `results`: the contest whose results were published last; `winners`:
    up to `HOME_WINNERS` of its published winners (places first, younger
    categories first; renditions and special awards prefetched), the
    first of which with a card picture is the featured drawing."""

    open_contests: list[tuple[Contest, ContestContent]] = field(default_factory=list)
    upcoming: tuple[Contest, ContestContent] | None = None
    results: tuple[Contest, ContestContent] | None = None
    winners: list[Entry] = field(default_factory=list)

    @property
    def featured(self) -> tuple[Contest, ContestContent] | None:
        """The open contest the page is about, or None."""
        return self.open_contests[0] if self.open_contests else None

    @property
    def drawing(self) -> Entry | None:
        """The winner shown beside the open contest: the first one with a
        JPEG or WebP card; None when there is none."""
        cards = {Rendition.Kind.CARD, Rendition.Kind.CARD_2X}
        return next((e for e in self.winners if any(r.kind in cards for r in listed_renditions(e))), None)


class JSONRows(Aggregate):
    """A group's rows as one JSON array, read as a list of dicts: SQLite's
    JSON_GROUP_ARRAY, PostgreSQL's JSONB_AGG (no order within it)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def _rows_of(queryset, **fields):
    # One entry's rows of `queryset` (filtered on OuterRef("pk")) as a JSON array.
    return Subquery(queryset.values("entry_id").annotate(rows=JSONRows(JSONObject(**fields))).values("rows"))


def home_winners(*, contest: Contest, limit: int = HOME_WINNERS) -> list[Entry]:
    """Up to `limit` published winners of `contest` (results published)
    whose guardian consented: places first (1st of every category, then
    2nd…), then winners of special awards only; within a place, younger
    categories first. Only `HOME_ENTRY_FIELDS` are loaded, with each
    winner's renditions and special awards (in their order) listed
    (`contest.models.listed`). One query:
    the renditions and awards come as JSON arrays beside each entry."""
    if contest.results_published_at is None:
        return []
    entries = list(
        Entry.objects.published_winners(contest=contest)
        .only(*HOME_ENTRY_FIELDS)
        .annotate(
            rendition_rows=_rows_of(
                Rendition.objects.filter(entry=OuterRef("pk")), kind="kind", format="format", width="width",
                height="height",
            ),
            award_rows=_rows_of(
                SpecialAwardHolder.objects.filter(entry=OuterRef("pk")), id="award_id", name="award__name",
                names="award__names", order="award__order",
            ),
        )
        .order_by(F("award").asc(nulls_last=True), "age_category__min_age", "id")[:limit]
    )
    for entry in entries:
        renditions = [Rendition(entry=entry, **row) for row in entry.rendition_rows or []]
        awards = [
            SpecialAward(contest=contest, **{**row, "names": _json(row["names"])})
            for row in sorted(entry.award_rows or [], key=lambda row: (row["order"], row["id"]))
        ]
        # As `Prefetch(..., to_attr=...)` leaves them (`contest.models.listed`).
        setattr(entry, LISTED_RENDITIONS, renditions)
        setattr(entry, LISTED_SPECIAL_AWARDS, awards)
    return entries


def _json(value):
    # SQLite's JSON_OBJECT keeps a JSON column's text as a string.
    return json.loads(value) if isinstance(value, str) else (value or {})


def home_page(*, language: str, now=None) -> HomePage:
    """The home page's data in `language` (see `HomePage`), of the
    contests that are not national rounds. Constant
    queries: two for the contests and their translations, plus one for
    the winners when a contest has published results."""
    now = now or timezone.now()
    is_open = Q(opens_at__lte=now, closes_at__gt=now)
    # National rounds are reached from their regional contest's page.
    top_level = Contest.objects.filter(parent__isnull=True)
    upcoming_pk = top_level.filter(opens_at__gt=now).order_by("opens_at", "pk").values("pk")[:1]
    results_pk = (
        top_level.filter(results_published_at__isnull=False).order_by("-results_published_at", "-pk").values("pk")[:1]
    )
    contests = list(
        top_level.filter(is_open | Q(pk__in=upcoming_pk) | Q(pk__in=results_pk))
        .order_by("closes_at", "pk")
        .prefetch_related(Prefetch("translations", queryset=ContestTranslation.objects.all()))
    )
    with_content = [(c, contest_content(contest=c, language=language)) for c in contests]
    open_contests = [(c, content) for c, content in with_content if c.is_open(now)]
    upcoming = min(
        ((c, content) for c, content in with_content if c.opens_at > now), key=lambda pair: pair[0].opens_at, default=None
    )
    results = max(
        ((c, content) for c, content in with_content if c.results_published_at is not None),
        key=lambda pair: (pair[0].results_published_at, pair[0].pk), default=None,
    )
    winners = home_winners(contest=results[0]) if results else []
    return HomePage(open_contests=open_contests, upcoming=upcoming, results=results, winners=winners)
