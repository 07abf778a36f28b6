"""The upload rules and deadlines of a contest: when submissions are taken,
what an upload may be (the site's limits, tightened per contest), and how
long a rejected entry is kept. One home, read by the form, the submission
service and the rendering worker alike."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import imaging, phrases
from ..models import Contest
from ..zoned import zone_city


def window_words(*, contest: Contest) -> dict[str, str]:
    """The contest's window as the active language writes it, for messages:
    `opens` and `closes` (date and time in the contest's zone, the
    language's DATETIME_FORMAT) and `tz` (the zone's city, `zone_city`)."""
    tz = contest.tzinfo
    return {
        "opens": formats.date_format(timezone.localtime(contest.opens_at, tz), "DATETIME_FORMAT"),
        "closes": formats.date_format(timezone.localtime(contest.closes_at, tz), "DATETIME_FORMAT"),
        "tz": zone_city(contest.timezone),
    }


def window_check(*, contest: Contest, at: dt.datetime | None = None) -> None:
    """Raise `ValidationError` (code `rounds` for a regional final with
    national rounds: it takes no direct entries; `not_open` or `closed`) unless
    `opens_at <= at < closes_at` (`at`: an aware datetime, default now); the
    message gives the window in the contest's time zone."""
    at = at or timezone.now()
    if contest.parent_id is None and Contest.objects.filter(parent=contest).exists():
        # A regional final takes its entries from its national rounds only.
        raise ValidationError(
            _("This contest takes drawings through its national rounds: send yours to your country's round."),
            code="rounds",
        )
    if contest.is_open(at):
        return
    params = window_words(contest=contest)
    if at < contest.opens_at:
        raise ValidationError(phrases.NOT_OPEN_YET % params, code="not_open")
    raise ValidationError(phrases.CLOSED % params, code="closed")


def upload_policy(*, contest: Contest | None = None) -> imaging.Policy:
    """The upload policy: the site's settings (`UPLOAD_*`: bytes, pixels,
    pixels, ratio, pixels), tightened by the contest's own limits where an
    organizer set them (decimal megabytes and megapixels, pixels, a ratio
    such as 4.0 for 4:1). A contest can only make a limit stricter, never
    looser."""
    max_bytes = settings.UPLOAD_MAX_BYTES
    max_pixels = settings.UPLOAD_MAX_PIXELS
    min_side = settings.UPLOAD_MIN_SIDE
    max_aspect = settings.UPLOAD_MAX_ASPECT
    if contest is not None:
        if contest.upload_max_megabytes:
            max_bytes = min(max_bytes, contest.upload_max_megabytes * 1_000_000)
        if contest.upload_max_megapixels:
            max_pixels = min(max_pixels, contest.upload_max_megapixels * 1_000_000)
        if contest.upload_min_side:
            min_side = max(min_side, contest.upload_min_side)
        if contest.upload_max_aspect:
            max_aspect = min(max_aspect, float(contest.upload_max_aspect))
    return imaging.Policy(
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        min_side=min_side,
        max_aspect=max_aspect,
        low_res_side=settings.UPLOAD_LOW_RES_SIDE,
    )


def rejected_grace_days() -> int:
    """Days a rejected entry is kept after the decision (`REJECTED_ENTRY_DAYS`):
    stated on the moderation page and in the e-mail; the guardian has this
    long to ask about the decision."""
    return settings.REJECTED_ENTRY_DAYS
