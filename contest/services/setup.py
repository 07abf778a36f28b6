"""Setting a contest up outside the admin: creating it, changing its
settings, its age categories and its texts per language.

Each write is one transaction: all of it is saved, or nothing. The model's
own validation runs before every save (`full_clean`) and the database's
constraints and triggers stay the last guard; what they refuse comes back
as a `ValidationError` with a message for the organizer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import phrases
from ..ages import age_bands_validate
from ..models import AgeCategory, Contest, ContestRole, ContestTranslation
from .public_cache import public_cache_clear
from .roles import role_grant

# Far above any child's age: where a changed band waits while the others
# move (the database refuses overlapping bands at every single write).
_PARKED_AGE = 30000


def contest_create(*, user, **fields) -> Contest:
    """Create a contest from `fields` (Contest field names: title, slug,
    theme, rules, timezone, default_language, opens_at and closes_at as
    aware datetimes, age_reference_date, countries, ...) and return it.

    The one way contests are created outside the admin; `user` is the
    person who creates it, and becomes its organizer (`ContestRole`). Raises `ValidationError` when the model
    refuses a value (e.g. a slug already taken: [slug]); nothing is saved
    then."""
    with transaction.atomic():
        contest = Contest(**fields)
        contest.full_clean()
        try:
            with transaction.atomic():
                contest.save()
        except IntegrityError as exc:  # the same slug saved meanwhile
            raise ValidationError({"slug": phrases.SLUG_TAKEN}) from exc
        # Whoever creates a contest organizes it (a superuser does anyway).
        if not user.is_superuser:
            role_grant(contest=contest, user=user, role=ContestRole.Role.ORGANIZER, actor=user)
    return contest


def contest_update(*, contest: Contest, user, fields: Mapping[str, object]) -> Contest:
    """Set `fields` (Contest field name -> value) on `contest` and save
    only those, after the model's validation. Raises `ValidationError`;
    nothing is saved then."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(contest, name, value)
        contest.full_clean()
        contest.save(update_fields=[*fields, "updated_at"])
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))
    return contest


def age_categories_save(*, contest: Contest, rows: Iterable[Mapping]) -> list[AgeCategory]:
    """Apply changed age categories: each row is {"id": pk or None,
    "name", "min_age", "max_age", "delete": bool}; rows not named keep
    their values. Returns the contest's categories after the change, by
    age.

    Raises `ValidationError` when the bands would overlap or be reversed,
    when a category with entries would change its ages or go
    [category_has_entries], or when a concurrent change collides
    [conflict]; nothing is saved then. Changed bands are first parked out
    of the way, so several bands may shift at once without the database's
    overlap guard seeing a half-done state."""
    rows = list(rows)
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        current = {c.pk: c for c in AgeCategory.objects.filter(contest=contest).select_for_update()}
        used = set(contest.entries.filter(age_category__in=list(current)).values_list("age_category_id", flat=True))
        final = {pk: (c.name, c.min_age, c.max_age) for pk, c in current.items()}
        for row in rows:
            if row["id"] is None:
                continue
            if row["id"] not in current:
                raise ValidationError(phrases.AGE_CATEGORIES_CONFLICT, code="conflict")
            category = current[row["id"]]
            moved = row["delete"] or (row["min_age"], row["max_age"]) != (category.min_age, category.max_age)
            if moved and category.pk in used:
                raise ValidationError(
                    phrases.AGE_CATEGORY_HAS_ENTRIES % {"name": category.name}, code="category_has_entries"
                )
            if row["delete"]:
                del final[category.pk]
            else:
                final[category.pk] = (row["name"], row["min_age"], row["max_age"])
        added = [row for row in rows if row["id"] is None and not row["delete"]]
        age_bands_validate(bands=[(lo, hi) for _n, lo, hi in final.values()] + [(r["min_age"], r["max_age"]) for r in added])
        try:
            with transaction.atomic():
                _categories_write(contest=contest, current=current, final=final, added=added)
        except IntegrityError as exc:
            raise ValidationError(phrases.AGE_CATEGORIES_CONFLICT, code="conflict") from exc
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))
        return list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))


def _categories_write(*, contest, current, final, added) -> None:
    AgeCategory.objects.filter(pk__in=set(current) - set(final)).delete()
    changed = [pk for pk, values in final.items() if values != (current[pk].name, current[pk].min_age, current[pk].max_age)]
    for offset, pk in enumerate(changed):
        parked = _PARKED_AGE + offset
        AgeCategory.objects.filter(pk=pk).update(name=f"\u2060{pk}", min_age=parked, max_age=parked)
    for pk in changed:
        name, low, high = final[pk]
        category = AgeCategory(pk=pk, contest=contest, name=name, min_age=low, max_age=high)
        category.full_clean(exclude=["contest"], validate_unique=False, validate_constraints=False)
        AgeCategory.objects.filter(pk=pk).update(name=name, min_age=low, max_age=high)
    for row in added:
        category = AgeCategory(contest=contest, name=row["name"], min_age=row["min_age"], max_age=row["max_age"])
        category.full_clean(validate_unique=False, validate_constraints=False)
        category.save()


def contest_texts_save(
    *, contest: Contest, language: str, fields: Mapping[str, str], category_names: Mapping[int, str] | None = None,
) -> ContestTranslation | None:
    """The contest's texts in `language` (ContestTranslation field name ->
    text; empty means "fall back to the default language"). All empty: the
    language's row is removed. `category_names` (age category id -> name
    in `language`, "" for none: the category's own name is shown) sets the
    contest's age categories' names in that language; ids of other
    contests are ignored. Returns the saved row or None. Raises
    `ValidationError` (unknown placeholders, a required link missing from
    an e-mail); nothing is saved then."""
    with transaction.atomic():
        if category_names:
            for category in AgeCategory.objects.filter(contest=contest, pk__in=list(category_names)).select_for_update():
                names = {code: text for code, text in (category.names or {}).items() if code != language}
                if category_names[category.pk]:
                    names[language] = category_names[category.pk]
                if names != (category.names or {}):
                    category.names = names
                    category.save(update_fields=["names"])
        row = ContestTranslation.objects.filter(contest=contest, language=language).select_for_update().first()
        row = row or ContestTranslation(contest=contest, language=language)
        for name, value in fields.items():
            setattr(row, name, value)
        row.full_clean()
        if not any(fields.values()):
            if row.pk:
                row.delete()
            row = None
        else:
            row.save()
        transaction.on_commit(lambda: public_cache_clear(contest_id=contest.pk))
        return row
