"""Reads for the contest app. Every list here costs a constant number of
SQL queries whatever the number of entries."""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import charts
from .models import (
    EMAIL_KINDS, AgeCategory, AuditLog, ConsentText, Contest, ContestRole, ContestTranslation, Country, Entry,
    Rendition, SpecialAward,
)

# The only entry fields the public ever gets.
PUBLIC_ENTRY_FIELDS = [
    "id", "public_id", "contest_id", "age_category_id", "title", "description", "child_first_name",
    "child_age", "country", "award", "placeholder", "dominant_color", "publish_consent",
    "moderation_status", "processing_status", "guardian_confirmed_at", "region", "publish_region_consent",
]


def contest_list_public() -> tuple[QuerySet, QuerySet]:
    """(open contests, contests with published results)."""
    now = timezone.now()
    open_now = Contest.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    published = Contest.objects.filter(results_published_at__isnull=False).order_by("-results_published_at")
    return open_now, published


def winners_for_gallery(*, contest: Contest, country: str = "", category_id: int | None = None) -> list[tuple]:
    """[(age category, [entries with renditions and special awards])] for a
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
        Entry.objects.winners().filter(
            contest=contest,
            publish_consent=True,
            guardian_confirmed_at__isnull=False,
            moderation_status=Entry.Moderation.APPROVED,
            processing_status=Entry.Processing.READY,
        )
        .only(*PUBLIC_ENTRY_FIELDS)
        .order_by("age_category__min_age", "award", "id")
        .prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.only("entry_id", "kind", "format", "width", "height")),
            Prefetch("special_awards", queryset=SpecialAward.objects.order_by("order", "id")),
        )
    )
    if country:
        entries = entries.filter(country=country)
    if category_id is not None:
        entries = entries.filter(age_category_id=category_id)
    by_category = {}
    for entry in sorted(entries, key=winner_order):
        by_category.setdefault(entry.age_category_id, []).append(entry)
    return [
        (category, by_category.get(category.id, []))
        for category in contest.age_categories.all()
        if category_id is None or category.id == category_id
    ]


def winner_order(entry: Entry) -> tuple:
    """The sort key of a winner within its category: its place, then (no
    place) the order of its first special award; special awards
    prefetched."""
    specials = [(award.order, award.pk) for award in entry.special_awards.all()]
    return (entry.award is None, entry.award or 0, min(specials, default=(0, 0)), entry.pk)


def entry_public_get(*, public_id) -> Entry | None:
    """The published winner with this public id, or None."""
    entry = (
        Entry.objects.select_related("contest", "age_category")
        .only(*PUBLIC_ENTRY_FIELDS, "contest__title", "contest__slug", "contest__results_published_at",
              "age_category__name", "age_category__min_age", "age_category__max_age")
        .prefetch_related(
            "renditions", Prefetch("special_awards", queryset=SpecialAward.objects.order_by("order", "id"))
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


def contest_list_with_content(*, contests: QuerySet, language: str) -> list[tuple[Contest, ContestContent]]:
    """[(contest, its content in `language`)] in two queries."""
    return [
        (contest, contest_content(contest=contest, language=language))
        for contest in contests.prefetch_related(Prefetch("translations", queryset=ContestTranslation.objects.all()))
    ]


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
        .prefetch_related("renditions")
        .filter(public_id=public_id, personal_data_purged_at__isnull=True)
        .first()
    )


class Stage(StrEnum):
    RECEIVED = "received"
    CONFIRMED = "confirmed"
    CHECKED = "checked"
    JUDGED = "judged"
    RESULTS = "results"


STAGES = [Stage.RECEIVED, Stage.CONFIRMED, Stage.CHECKED, Stage.JUDGED, Stage.RESULTS]


def entry_stage(*, entry: Entry) -> Stage:
    """Where the entry is, in the five steps the guardian's page shows."""
    contest = entry.contest
    if contest.results_published_at is not None and entry.moderation_status == Entry.Moderation.APPROVED:
        return Stage.RESULTS
    if entry.guardian_confirmed_at is None:
        return Stage.RECEIVED
    if entry.moderation_status == Entry.Moderation.PENDING:
        return Stage.CONFIRMED
    if entry.moderation_status == Entry.Moderation.APPROVED and entry.scores.exists():
        return Stage.JUDGED
    return Stage.CHECKED


class QueueFilter(StrEnum):
    NEW = "new"
    LOW_RESOLUTION = "low_resolution"
    NEAR_DUPLICATE = "near_duplicate"
    FLAGGED = "flagged"
    REJECTED = "rejected"
    APPROVED = "approved"


def moderation_queue(*, contest: Contest, filter: str = QueueFilter.NEW) -> QuerySet:
    """Confirmed entries of `contest` for the organizers' moderation queue.
    `new` is every entry still waiting; the others narrow it down (low
    resolution, near-duplicate, flagged) or show past decisions. Unconfirmed
    entries never appear: their guardian has not said yes yet."""
    entries = (
        Entry.objects.filter(contest=contest, guardian_confirmed_at__isnull=False, personal_data_purged_at__isnull=True)
        .select_related("age_category", "near_duplicate_of")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.only("entry_id", "kind", "format", "width", "height")))
        .order_by("created_at")
    )
    pending = Q(moderation_status=Entry.Moderation.PENDING)
    if filter == QueueFilter.LOW_RESOLUTION:
        return entries.filter(pending, low_resolution=True)
    if filter == QueueFilter.NEAR_DUPLICATE:
        return entries.filter(pending, near_duplicate_of__isnull=False)
    if filter == QueueFilter.FLAGGED:
        return entries.filter(flagged=True)
    if filter == QueueFilter.REJECTED:
        return entries.filter(moderation_status=Entry.Moderation.REJECTED)
    if filter == QueueFilter.APPROVED:
        return entries.filter(moderation_status=Entry.Moderation.APPROVED)
    return entries.filter(pending)


def audit_log_list(
    *, contest: Contest | None = None, limit: int = 500, actor: str = "", action: str = "",
    since: dt.date | None = None, until: dt.date | None = None,
) -> QuerySet:
    """The newest `limit` rows of the privacy audit log, for organizers:
    of one `contest` (else all), by one `actor` (an `actor_label`: a user
    name, "guardian" or "system"), of one `action` (an `AuditLog.Action`),
    from day `since` to day `until` (both included, in the contest's zone).
    Empty values filter nothing. One query."""
    rows = AuditLog.objects.select_related("actor", "contest")
    if contest is not None:
        rows = rows.filter(contest=contest)
    if actor:
        rows = rows.filter(actor_label=actor)
    if action:
        rows = rows.filter(action=action)
    zone = contest.tzinfo if contest is not None else dt.timezone.utc
    if since:
        rows = rows.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=zone))
    if until:
        rows = rows.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=zone))
    return rows[:limit]


def audit_log_actors(*, contest: Contest) -> list[str]:
    """Everyone named in the contest's audit log (`actor_label`s), sorted;
    one query."""
    return list(
        AuditLog.objects.filter(contest=contest).order_by("actor_label").values_list("actor_label", flat=True).distinct()
    )


def public_cache_key(*, contest_id: int) -> str:
    """The cache key prefix of a contest's public pages; changes on every
    `contest.services.public_cache_clear`, so a stale page is never served."""
    from django.core.cache import cache

    version = cache.get_or_set(f"contest:{contest_id}:public-version", 1, timeout=None)
    return f"contest:{contest_id}:public:{version}"


@dataclass(frozen=True)
class Dashboard:
    """The organizers' charts of a contest's entries."""

    per_day: charts.Chart
    per_country: charts.Chart
    per_category: charts.Chart
    entries: int


def dashboard_for_organizer(*, contest: Contest) -> Dashboard:
    """Entries held for `contest` per day of arrival (in the contest's time
    zone, days without entries included), per country and per age category.
    Withdrawn and deleted entries are gone and do not count. Three queries,
    whatever the number of entries."""
    entries = Entry.objects.filter(contest=contest).order_by()
    days = dict(
        entries.annotate(day=TruncDate("created_at", tzinfo=contest.tzinfo))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    per_day = []
    if days:
        day, last = min(days), max(days)
        while day <= last:
            per_day.append((day.isoformat(), days.get(day, 0)))
            day += dt.timedelta(days=1)
    countries = dict(entries.values("country").annotate(n=Count("id")).values_list("country", "n"))
    per_country = [
        (str(label), countries.get(code, 0)) for code, label in Country.choices if code in contest.countries or code in countries
    ]
    per_category = [
        (category.name, category.n)
        for category in AgeCategory.objects.filter(contest=contest)
        .annotate(n=Count("entries"))
        .order_by("min_age")
    ]
    return Dashboard(
        per_day=charts.columns(per_day),
        per_country=charts.horizontal_bars(per_country),
        per_category=charts.horizontal_bars(per_category),
        entries=sum(n for _label, n in per_category),
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


def contest_list_with_role(*, user) -> QuerySet:
    """The contests where `user` holds an organizer or moderator role (every
    contest for an active superuser), newest first, their translations
    prefetched. Lazy: no query until read (two then)."""
    contests = Contest.objects.order_by("-opens_at").prefetch_related("translations")
    if user.is_active and user.is_superuser:
        return contests
    return contests.filter(pk__in=ContestRole.objects.filter(user=user).values("contest_id"))


def contest_team(*, contest: Contest) -> list[ContestRole]:
    """Every role held in `contest`, organizers first, then by the date it
    was given, with the person and who gave it. One query."""
    return list(
        ContestRole.objects.filter(contest=contest).select_related("user", "granted_by")
        .order_by("-role", "granted_at", "id")
    )
