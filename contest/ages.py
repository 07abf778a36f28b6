"""The age rule of a contest: a child's age in whole years on a date, and
the age bands (categories) a contest splits children into. One home, used
by the model's `clean`, the admin's formset and the submission service."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from . import phrases


def age_on(*, birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on `on` (a birthday on 29 February counts on 1 March
    in other years, as in most civil codes)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_bands_validate(*, bands: list[tuple[int, int]]) -> None:
    """Raise `ValidationError` unless every (min, max) band is ordered and no
    two bands share an age (bounds are inclusive, in whole years)."""
    ordered = sorted(bands)
    for lo, hi in ordered:
        if lo > hi:
            raise ValidationError(str(phrases.AGE_BAND_REVERSED))
    for (lo1, hi1), (lo2, hi2) in zip(ordered, ordered[1:]):
        if lo2 <= hi1:
            raise ValidationError(phrases.AGE_BANDS_OVERLAP % {"a": f"{lo1}–{hi1}", "b": f"{lo2}–{hi2}"})


def age_band_of(*, age: int, bands: list[tuple[int, int]]) -> int | None:
    """The index in `bands` of the (min, max) band holding `age`, or None."""
    for index, (lo, hi) in enumerate(bands):
        if lo <= age <= hi:
            return index
    return None
