"""Public reads: the contests, the winners' gallery, a winner's page and
the contest's content in the visitor's language."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from ..models import (
    EMAIL_KINDS, LISTED_RENDITIONS, LISTED_SPECIAL_AWARDS, Contest, ContestTranslation, Entry, Rendition, SpecialAward,
    listed_special_awards,
)

# The only entry fields the public ever gets.
PUBLIC_ENTRY_FIELDS = [
    "id", "public_id", "contest_id", "age_category_id", "title", "description", "child_first_name",
    "child_age", "country", "award", "placeholder", "dominant_color", "publish_consent",
    "moderation_status", "processing_status", "guardian_confirmed_at", "region", "publish_region_consent",
    "privacy_review",
]


def contests_with_rounds_flag(queryset: QuerySet | None = None) -> QuerySet:
    """`queryset` (all contests by default) with `has_rounds`: whether a
    contest is a regional final with national rounds (no query more)."""
    queryset = Contest.objects.all() if queryset is None else queryset
    return queryset.annotate(has_rounds=Exists(Contest.objects.filter(parent=OuterRef("pk"))))


def national_rounds_listed(*, contest: Contest) -> list[Contest]:
    """The national rounds of the regional final `contest`, by country
    code; one query ([] without one when `contest.has_rounds` is False,
    see `contests_with_rounds_flag`)."""
    if getattr(contest, "has_rounds", True) is False:
        return []
    return list(Contest.objects.filter(parent=contest).order_by("country"))


def winners_for_gallery(*, contest: Contest, country: str = "", category_id: int | None = None) -> list[tuple]:
    """[(age category, [entries with renditions and special awards listed:
    `contest.models.listed`])] for a
    contest whose results are published; only winners (a place or a special
    award) whose guardian consented. Within a category: places first (1st,
    2nd, …), then the entries with only special awards, by the order of
    their first special award.

    `country` (a code) and `category_id` narrow the list; callers validate
    them against the contest (`forms.GalleryFilterForm`). With a category,
    only that category's section is returned. Three queries (entries,
    renditions, special awards) whatever the number of entries, plus one for
    the age categories unless they were prefetched."""
    if contest.results_published_at is None:
        return []
    entries = (
        Entry.objects.published_winners(contest=contest)
        .only(*PUBLIC_ENTRY_FIELDS)
        .order_by("age_category__min_age", "award", "id")
        .prefetch_related(_listed_special_awards())
    )
    if country:
        entries = entries.filter(country=country)
    if category_id is not None:
        entries = entries.filter(age_category_id=category_id)
    by_category = {}
    for entry in sorted(_with_renditions(entries), key=winner_order):
        by_category.setdefault(entry.age_category_id, []).append(entry)
    return [
        (category, by_category.get(category.id, []))
        for category in contest.age_categories.all()
        if category_id is None or category.id == category_id
    ]


def national_winners_for_gallery(*, contest: Contest) -> list[tuple[Contest, list[Entry]]]:
    """[(national round, [its published winners])] of the regional final
    `contest`, by country code, for the rounds whose results are published;
    winners as in `winners_for_gallery` (consented, confirmed, approved,
    rendered), youngest category first, then by place. No query when
    `contest.has_rounds` is False (`contests_with_rounds_flag`); four
    otherwise (rounds, winners, renditions, special awards) whatever the
    number of rounds and winners."""
    if getattr(contest, "has_rounds", True) is False:
        return []
    rounds = list(Contest.objects.filter(parent=contest, results_published_at__isnull=False).order_by("country"))
    if not rounds:
        return []
    entries = (
        Entry.objects.winners()
        .filter(
            contest__in=rounds, publish_consent=True, guardian_confirmed_at__isnull=False,
            moderation_status=Entry.Moderation.APPROVED, processing_status=Entry.Processing.READY,
        )
        .only(*PUBLIC_ENTRY_FIELDS)
        .annotate(category_min_age=F("age_category__min_age"))
        .prefetch_related(_listed_special_awards())
    )
    by_round: dict[int, list[Entry]] = {}
    for entry in sorted(_with_renditions(entries), key=lambda e: (e.category_min_age, *winner_order(e))):
        by_round.setdefault(entry.contest_id, []).append(entry)
    return [(round_, by_round.get(round_.pk, [])) for round_ in rounds]


# The renditions the public is ever shown; the zoom and the photo as sent
# are for judges and moderators only.
PUBLIC_RENDITION_KINDS = (Rendition.Kind.CARD, Rendition.Kind.CARD_2X, Rendition.Kind.DISPLAY)


class RenditionRow(NamedTuple):
    """A rendition as a public page needs it (no file, no model instance)."""

    kind: str
    format: str
    width: int
    height: int


def _with_renditions(entries) -> list[Entry]:
    # One query for every entry's public renditions, as tuples: 300 model
    # instances were most of the gallery selector's time.
    entries = list(entries)
    rows: dict[int, list[RenditionRow]] = {entry.pk: [] for entry in entries}
    for entry_id, *row in Rendition.objects.filter(entry_id__in=rows, kind__in=PUBLIC_RENDITION_KINDS).values_list(
        "entry_id", "kind", "format", "width", "height"
    ):
        rows[entry_id].append(RenditionRow(*row))
    for entry in entries:
        setattr(entry, LISTED_RENDITIONS, rows[entry.pk])
    return entries


def _listed_special_awards() -> Prefetch:
    # Into a plain list (`contest.models.listed`): no queryset per entry.
    return Prefetch("special_awards", queryset=SpecialAward.objects.order_by("order", "id"), to_attr=LISTED_SPECIAL_AWARDS)


def winner_order(entry: Entry) -> tuple:
    """The sort key of a winner within its category: its place, then (no
    place) the order of its first special award; special awards
    prefetched."""
    specials = [(award.order, award.pk) for award in listed_special_awards(entry)]
    return (entry.award is None, entry.award or 0, min(specials, default=(0, 0)), entry.pk)


def entry_public_get(*, public_id) -> Entry | None:
    """The entry with this public id, or None (whether the public may see
    it is `contest.rules.is_published_winner`). Four queries: the entry with
    its contest and age category, its renditions, its special awards and
    the contest's translations (the title in the visitor's language)."""
    entry = (
        Entry.objects.select_related("contest", "age_category")
        .only(*PUBLIC_ENTRY_FIELDS, "contest__title", "contest__slug", "contest__results_published_at",
              "contest__default_language", "contest__theme", "contest__rules",
              "age_category__name", "age_category__names", "age_category__min_age", "age_category__max_age")
        .prefetch_related(
            "renditions", Prefetch("special_awards", queryset=SpecialAward.objects.order_by("order", "id")),
            Prefetch("contest__translations", queryset=ContestTranslation.objects.all()),
        )
        .filter(public_id=public_id)
        .first()
    )
    return entry


@dataclass(frozen=True)
class ContestContent:
    """What a contest says in one language: title, theme, rules and the
    organizers' wording of each e-mail to guardians (`emails`: kind of
    `EMAIL_KINDS` -> (subject, body); an empty string means the standard
    text). `language` is the language the title came from."""

    title: str
    theme: str
    rules: str
    language: str
    emails: dict[str, tuple[str, str]] = field(default_factory=dict)

    def email(self, kind: str) -> tuple[str, str]:
        """(subject, body) the organizers wrote for `kind`, or ("", "")."""
        return self.emails.get(kind, ("", ""))

    @property
    def receipt_subject(self) -> str:
        return self.email("receipt")[0]

    @property
    def receipt_body(self) -> str:
        return self.email("receipt")[1]


def contest_content(*, contest: Contest, language: str, draft: ContestTranslation | None = None) -> ContestContent:
    """The contest's content in `language`, field by field falling back to
    the contest's default language, then to the contest's own fields.
    `draft`, an unsaved row, stands in for its language's saved one (the
    setup's preview of what is typed).

    Reads `contest.translations.all()`, so a list of contests costs one
    query in all when the caller prefetches `translations`; one query per
    contest otherwise."""
    rows = {row.language: row for row in contest.translations.all()}
    if draft is not None:
        rows[draft.language] = draft
    chain = [rows[code] for code in dict.fromkeys((language, contest.default_language)) if code in rows]

    def pick(name: str, fallback: str = "") -> tuple[str, str]:
        for row in chain:
            value = getattr(row, name)
            if value:
                return value, row.language
        return fallback, contest.default_language

    title, title_language = pick("title", contest.title)
    emails = {}
    for kind in EMAIL_KINDS:
        # The subject and the body come from the same row, so a kk subject
        # never goes with a default-language body.
        row = next((r for r in chain if getattr(r, f"{kind}_subject") or getattr(r, f"{kind}_body")), None)
        if row is not None:
            emails[kind] = (getattr(row, f"{kind}_subject"), getattr(row, f"{kind}_body"))
    return ContestContent(
        title=title,
        theme=pick("theme", contest.theme)[0],
        rules=pick("rules", contest.rules)[0],
        language=title_language,
        emails=emails,
    )

