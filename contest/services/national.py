"""National rounds of a regional contest, and the promotion of their best
entries to the regional final.

A national round is a `Contest` of its own whose `parent` is the regional
final and whose `country` is one of the final's countries: its dates, time
zone, default language, team (its organizers are the country's
coordinators), moderators, jury, ranking and results are those of any
contest. `national_rounds_create` makes them with the final's texts and age
categories; `entries_promote` copies chosen entries of a round into the
final. Which entries are chosen by rank is judging's
(`judging.services.promotion`).

A promoted entry is a new `Entry` of the final (`promoted_from` the round's
entry, at most once each, guarded by the database) with the round's data
copied: the guardian's consent and answers, the moderation, the sheet's
corners and the hidden regions. Its original is a copy of the round's
stored original, made by the worker before it renders the entry
(`promoted_original_copy`, called by `contest.renditions`), so each entry
owns its files: the retention purge, a withdrawal or the orphan-file check
of one never touches the other's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import AgeCategory, AuditLog, ConsentText, Contest, ContestTranslation, Country, Entry
from .audit import audit_log_record
from .filestore import file_store
from .jobs import renditions_enqueue
from .public_cache import public_cache_clear
from .submission import reference_generate

# Each country's zone in the zone database (its UTC offset comes from the
# installed tzdata, never from here) and the language its pages fall back to.
COUNTRY_TIMEZONES = {
    Country.KAZAKHSTAN: "Asia/Almaty",
    Country.KYRGYZSTAN: "Asia/Bishkek",
    Country.TAJIKISTAN: "Asia/Dushanbe",
    Country.TURKMENISTAN: "Asia/Ashgabat",
    Country.UZBEKISTAN: "Asia/Tashkent",
}
COUNTRY_LANGUAGES = {
    Country.KAZAKHSTAN: "kk",
    Country.KYRGYZSTAN: "ky",
    Country.TAJIKISTAN: "tg",
    Country.TURKMENISTAN: "tk",
    Country.UZBEKISTAN: "uz",
}

# Fields of a round's entry copied onto its promoted entry (everything the
# final's moderation, judging, gallery and certificates read).
COPIED_FIELDS = (
    "child_first_name", "child_last_name", "child_birth_date", "child_age", "country", "region", "school",
    "title", "description", "text_flags", "guardian_name", "guardian_relationship", "guardian_email",
    "consent_version", "consent_language", "consent_given_at", "consent_participation", "publish_consent",
    "publish_region_consent", "publication_changed_at", "language", "guardian_confirmed_at",
    "original_format", "original_width", "original_height", "original_sha256",
    "low_resolution", "phash", "image_masks", "privacy_review", "privacy_findings", "moderation_status",
    "moderated_at",
)


@dataclass(frozen=True)
class RoundPlan:
    """One national round to create: its country (a `Country` code), its
    window as aware datetimes, and optionally its time zone and default
    language (default: the country's, `COUNTRY_TIMEZONES`,
    `COUNTRY_LANGUAGES`)."""

    country: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    timezone: str = ""
    default_language: str = ""


def round_slug(*, contest: Contest, country: str) -> str:
    """The slug of `contest`'s national round in `country`: "<slug>-kg"."""
    return f"{contest.slug}-{country.lower()}"[:50]


def national_rounds_create(*, contest: Contest, plans: Iterable[RoundPlan]) -> list[Contest]:
    """Create the national rounds of the regional contest `contest`, one
    per `RoundPlan`, each with the final's title (the country's name
    added), theme, rules, consent text (and its versions per language),
    limits, texts per language and age categories (same names and bounds), and return them in the plans'
    order. The rounds' teams and juries are given separately (their
    organizer role is the coordinator's).

    Raises `ValidationError` when `contest` is itself a round, when it
    has entries of its own, when a country is not one of the final's, or a
    round of that country exists already, or a round closes before it
    opens; nothing is saved then."""
    plans = list(plans)
    if contest.parent_id is not None:
        raise ValidationError(_("A national round cannot have rounds of its own."))
    if Entry.objects.filter(contest=contest).exists():
        raise ValidationError(_("This contest has entries of its own already: it cannot have national rounds."))
    existing = set(Contest.objects.filter(parent=contest).values_list("country", flat=True))
    taken = [Country(plan.country).label for plan in plans if plan.country in existing]
    if taken:
        raise ValidationError(_("This contest has a national round in %(countries)s already.") % {
            "countries": ", ".join(str(label) for label in taken)})
    if any(plan.closes_at <= plan.opens_at for plan in plans):
        raise ValidationError(_("A national round must close after it opens."))
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    translations = list(ContestTranslation.objects.filter(contest=contest))
    consents = list(ConsentText.objects.filter(contest=contest))
    made = []
    with transaction.atomic():
        for plan in plans:
            country = Country(plan.country)
            zone = plan.timezone or COUNTRY_TIMEZONES[country]
            round_ = Contest(
                parent=contest, country=country.value, countries=[country.value],
                title=f"{contest.title} — {country.label}", slug=round_slug(contest=contest, country=country.value),
                theme=contest.theme, rules=contest.rules, timezone=zone,
                opens_at=plan.opens_at, closes_at=plan.closes_at, age_reference_date=contest.age_reference_date,
                consent_version=contest.consent_version, consent_text=contest.consent_text,
                retention_days=contest.retention_days, max_entries_per_child=contest.max_entries_per_child,
                max_entries_per_guardian=contest.max_entries_per_guardian,
                upload_max_megabytes=contest.upload_max_megabytes, upload_max_megapixels=contest.upload_max_megapixels,
                upload_min_side=contest.upload_min_side, upload_max_aspect=contest.upload_max_aspect,
                default_language=plan.default_language or COUNTRY_LANGUAGES[country],
            )
            round_.full_clean()
            try:
                with transaction.atomic():
                    round_.save()
            except IntegrityError as exc:
                raise ValidationError(_("This contest has a national round in that country already.")) from exc
            AgeCategory.objects.bulk_create([
                AgeCategory(contest=round_, name=c.name, names=c.names, min_age=c.min_age, max_age=c.max_age)
                for c in categories
            ])
            for text in translations:
                with translation.override(text.language):
                    title = f"{text.title} — {country.label}" if text.title else ""
                ContestTranslation.objects.create(
                    contest=round_, **{f.attname: getattr(text, f.attname) for f in ContestTranslation._meta.concrete_fields
                                       if f.attname not in ("id", "contest_id", "title", "created_at", "updated_at")},
                    title=title,
                )
            ConsentText.objects.bulk_create(
                ConsentText(contest=round_, language=c.language, version=c.version, text=c.text) for c in consents
            )
            made.append(round_)
    return made


def national_rounds_setup(*, contest: Contest, plans: Iterable[RoundPlan], actor) -> list[Contest]:
    """`national_rounds_create` as an organizer asks for it from the
    contest's settings: in one transaction, recorded in the audit log of
    the final (one row naming the countries). Same errors, nothing saved."""
    with transaction.atomic():
        made = national_rounds_create(contest=contest, plans=plans)
        audit_log_record(
            action=AuditLog.Action.ROUNDS_CREATED, actor=actor, contest=contest,
            detail={"countries": [r.country for r in made], "slugs": [r.slug for r in made]},
        )
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))
    return made


def final_category_for(*, final: Contest, category: AgeCategory) -> AgeCategory:
    """The age category of the regional final `final` with the bounds of a
    round's `category`. Raises `ValidationError` when the final has none."""
    found = AgeCategory.objects.filter(contest=final, min_age=category.min_age, max_age=category.max_age).first()
    if found is None:
        raise ValidationError(_("The regional final has no age category from %(low)s to %(high)s years.") % {
            "low": category.min_age, "high": category.max_age})
    return found


def entries_promote(*, round: Contest, entry_ids: Iterable[int], actor=None, basis: str = "choice") -> list[Entry]:
    """Promote the entries `entry_ids` of the national round `round` to its
    regional final: each becomes a new entry of the final, in the age
    category of the same bounds, with `promoted_from` set and its data
    copied (`COPIED_FIELDS`); its original is copied and rendered by the
    worker after the commit. `basis` ("rank" or "choice") is kept in the
    audit log of both contests. Returns the new entries.

    Raises `ValidationError` when `round` is not a national round, when an
    id is not a judgeable entry of the round (confirmed, approved,
    rendered), or an entry was promoted already; nothing is saved then."""
    if round.parent_id is None:
        raise ValidationError(_("Only the entries of a national round can be promoted."))
    wanted = list(dict.fromkeys(entry_ids))
    final = Contest.objects.get(pk=round.parent_id)
    with transaction.atomic():
        sources = {
            e.pk: e for e in Entry.objects.judgeable().select_for_update()
            .filter(contest=round, pk__in=wanted).select_related("age_category")
        }
        if set(sources) != set(wanted):
            raise ValidationError(_("Only approved, rendered entries of this national round can be promoted."))
        if Entry.objects.filter(promoted_from_id__in=wanted).exists():
            raise ValidationError(_("An entry among these was promoted already."))
        categories: dict[int, AgeCategory] = {}
        made = []
        for entry_id in wanted:
            source = sources[entry_id]
            if source.age_category_id not in categories:
                categories[source.age_category_id] = final_category_for(final=final, category=source.age_category)
            promoted = Entry(
                contest=final, age_category=categories[source.age_category_id], promoted_from=source,
                reference=reference_generate(), **{name: getattr(source, name) for name in COPIED_FIELDS},
            )
            # The same straightening as in the round: the corners it found, or the photo kept as it was.
            if source.sheet_corners:
                promoted.sheet_mode, promoted.sheet_corners_set = Entry.SheetMode.MANUAL, source.sheet_corners
            else:
                promoted.sheet_mode = Entry.SheetMode.PHOTO
            try:
                with transaction.atomic():
                    promoted.save()
            except IntegrityError as exc:
                raise ValidationError(_("An entry among these was promoted already.")) from exc
            for contest in (round, final):
                audit_log_record(
                    action=AuditLog.Action.PROMOTED, actor=actor, contest=contest, entry_reference=source.reference,
                    detail={"to": promoted.reference, "basis": basis},
                )
            made.append(promoted)
        ids = [e.pk for e in made]
        transaction.on_commit(lambda: [renditions_enqueue(entry_id=entry_id) for entry_id in ids])
        transaction.on_commit(lambda: public_cache_clear(contest_id=final.pk))
    return made


def promoted_original_copy(*, entry: Entry) -> bool:
    """Copy the stored original of the entry `entry` was promoted from into
    its own `original` (a fresh name), when it has none yet; saves the
    entry's `original`. Returns True when a copy was made. Called by the
    worker before rendering; storage errors propagate (the task retries)."""
    if entry.original.name or entry.promoted_from_id is None:
        return False
    source = Entry.objects.only("original").get(pk=entry.promoted_from_id)
    with source.original.open("rb") as fh:
        file_store(field_file=entry.original, content=File(fh))
    Entry.objects.filter(pk=entry.pk).update(original=entry.original.name)
    return True

