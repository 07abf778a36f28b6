"""Times on judging pages in the contest's own time zone, with its name,
as the public pages show them."""

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def contest_time(value, contest) -> str:
    """`value` (an aware datetime) as DATETIME_FORMAT in the active language,
    in `contest.timezone`, followed by the zone's name:
    "30 Nov 2026, 08:15 (Asia/Bishkek)". Empty for None."""
    if value is None:
        return ""
    local = timezone.localtime(value, contest.tzinfo)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({contest.timezone})"
