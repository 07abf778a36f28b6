"""Datetimes entered and shown in a contest's own time zone.

A contest's dates are stored as aware datetimes (UTC in the database) and
people read and type them as wall-clock times in the contest's zone
(`Contest.timezone`, an IANA name), never in the site's `TIME_ZONE`.

- `ZonedDateTimesFormMixin`: put it first in a form's bases; every datetime
  field of the form (or those named in `zoned_fields`) shows its value as
  the wall time in the zone and reads what is typed in that zone, and its
  help text names the zone ("Asia/Tashkent (UTC+05:00)"). The zone is the
  one submitted in the form's own zone field (`zone_field`, so a new
  contest's times follow the zone chosen beside them and a change of zone
  re-reads them), else the `zone=` argument, else the instance's
  (`zone_path`, "timezone" for a contest, "contest.timezone" for its rows).
- `ZonedDateTimeField` / `ZonedSplitDateTimeField`: the fields themselves,
  for a form that builds its own.
- `zone_label`, `zoned_localize`, `zoned_column`: the same times in text,
  for pages and the admin's lists; `zone_city`, the zone as families read
  it on public pages.

A wall time the zone skips (clocks forward) or has twice (clocks back) is
refused with a message saying so; Central Asian zones keep no daylight
saving time today, the code does not rely on it."""

import datetime as dt
import zoneinfo
from functools import lru_cache

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

UTC = dt.timezone.utc

NONEXISTENT = _("%(value)s does not exist in %(zone)s: the clocks are put forward then. Choose another time.")
AMBIGUOUS = _(
    "%(value)s happens twice in %(zone)s: the clocks are put back then. Choose a time outside that hour."
)
TIME_IN_ZONE = _("Local time of %(zone)s.")

# The cities naming the zones of the contest's countries, as a family reads
# them (public pages say "Bishkek time", not "Asia/Bishkek").
ZONE_CITIES = {
    "Asia/Almaty": _("Almaty"), "Asia/Aqtau": _("Aktau"), "Asia/Aqtobe": _("Aktobe"), "Asia/Atyrau": _("Atyrau"),
    "Asia/Oral": _("Oral"), "Asia/Qostanay": _("Kostanay"), "Asia/Qyzylorda": _("Kyzylorda"),
    "Asia/Bishkek": _("Bishkek"), "Asia/Dushanbe": _("Dushanbe"), "Asia/Ashgabat": _("Ashgabat"),
    "Asia/Tashkent": _("Tashkent"), "Asia/Samarkand": _("Samarkand"),
}


@lru_cache(maxsize=None)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_valid(name) -> bool:
    """True when `name` is an IANA time zone name this system knows."""
    return isinstance(name, str) and name in _zone_names()


def zone_get(name) -> zoneinfo.ZoneInfo:
    """The zone called `name`; the site's `TIME_ZONE` when `name` is not one."""
    return zoneinfo.ZoneInfo(name if zone_valid(name) else settings.TIME_ZONE)


def zone_label(name, *, at=None) -> str:
    """ "Asia/Tashkent (UTC+05:00)": the zone's name and its offset at `at`
    (now by default)."""
    zone = zone_get(name)
    offset = (at or timezone.now()).astimezone(zone).utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{zone.key} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def zone_city(name) -> str:
    """The city naming the zone `name` in the active language ("Бишкек" for
    "Asia/Bishkek" in Russian): `ZONE_CITIES`, else the zone's last part
    with spaces ("America/New_York" -> "New York")."""
    key = zone_get(name).key
    city = ZONE_CITIES.get(key)
    return str(city) if city is not None else key.rsplit("/", 1)[-1].replace("_", " ")


def to_wall_time(value, zone) -> dt.datetime | None:
    """An aware datetime as the naive wall time it is in `zone`; a naive
    one (already a wall time, e.g. a form's re-shown input) is returned as
    it is."""
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        return value
    return value.astimezone(zone).replace(tzinfo=None)


def from_wall_time(value, zone) -> dt.datetime:
    """The aware moment a naive wall time `value` names in `zone`. Raises
    `forms.ValidationError` when the zone skips that time or has it twice."""
    if timezone.is_aware(value):
        return value
    earlier, later = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    params = {"value": formats.localize(value), "zone": zone.key}
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise forms.ValidationError(NONEXISTENT, code="nonexistent_time", params=params)
    if earlier.utcoffset() != later.utcoffset():
        raise forms.ValidationError(AMBIGUOUS, code="ambiguous_time", params=params)
    return earlier


def zoned_localize(value, name) -> str:
    """`value` (aware) as the localized wall time in the zone `name`; "" for none."""
    if value is None:
        return ""
    return formats.localize(to_wall_time(value, zone_get(name)), use_l10n=True)


def _zone_help(help_text, zone_key) -> str:
    hint = TIME_IN_ZONE % {"zone": zone_label(zone_key)}
    return f"{help_text} {hint}" if help_text else str(hint)


class _Zoned:
    """What both zoned fields share: `zone` (a ZoneInfo) and the wall-time
    conversions around Django's own datetime fields, which would use the
    current time zone."""

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone if isinstance(zone, dt.tzinfo) else zone_get(zone)

    def prepare_value(self, value):
        return super().prepare_value(to_wall_time(value, self.zone))


class ZonedDateTimeField(_Zoned, forms.DateTimeField):
    """One input holding a date and time, read in `zone`."""

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return from_wall_time(value, self.zone)
        with timezone.override(UTC):
            result = super().to_python(value)  # what was typed, as if in UTC: read back as a wall time
        return None if result is None else from_wall_time(result.replace(tzinfo=None), self.zone)


class ZonedSplitDateTimeField(_Zoned, forms.SplitDateTimeField):
    """A date and a time input (the admin's widget), read in `zone`."""

    def compress(self, data_list):
        if data_list and None not in data_list[:2]:
            return from_wall_time(dt.datetime.combine(*data_list[:2]), self.zone)
        return super().compress(data_list)

    def has_changed(self, initial, data):
        # The widget splits the initial value in the current time zone:
        # hand it the wall time in this one.
        return super().has_changed(to_wall_time(initial, self.zone), data)


def zoned_field(field, zone) -> forms.Field:
    """A zoned copy of the datetime form field `field` (label, help text,
    widget, required and initial kept); `field` itself when already zoned."""
    if isinstance(field, _Zoned):
        field.zone = zone
        return field
    cls = ZonedSplitDateTimeField if isinstance(field, forms.SplitDateTimeField) else ZonedDateTimeField
    copy = cls(
        zone=zone, required=field.required, label=field.label, initial=field.initial, widget=field.widget,
        help_text=field.help_text, disabled=field.disabled, localize=field.localize,
    )
    copy.error_messages.update(field.error_messages)
    return copy


class ZonedDateTimesFormMixin:
    """Datetime fields typed and shown in a contest's zone (see the module's
    docstring). Class attributes: `zone_field` (the name of the form's zone
    field, if it has one), `zone_path` (the dotted attribute of the
    instance holding the zone name) and `zoned_fields` (None: every datetime
    field)."""

    zone_field: str | None = None
    zone_path: str = "contest.timezone"
    zoned_fields: tuple[str, ...] | None = None

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone_get(self.zone_name_for_input(zone))
        for name, field in list(self.fields.items()):
            wanted = name in self.zoned_fields if self.zoned_fields is not None else isinstance(
                field, forms.DateTimeField | forms.SplitDateTimeField
            )
            if wanted:
                zoned = zoned_field(field, self.zone)
                zoned.help_text = _zone_help(field.help_text, self.zone.key)
                self.fields[name] = zoned

    def zone_name_for_input(self, zone=None) -> str | None:
        """The zone's name: submitted in the form, given, or the instance's."""
        if self.is_bound and self.zone_field:
            submitted = self.data.get(self.add_prefix(self.zone_field))
            submitted = submitted.strip() if isinstance(submitted, str) else submitted
            if zone_valid(submitted):
                return submitted
        if zone is not None:
            return getattr(zone, "key", zone)
        return self.instance_zone_name()

    def instance_zone_name(self) -> str | None:
        """The zone named by the instance (`zone_path`), else the zone
        field's initial value (a new contest's default)."""
        value = getattr(self, "instance", None)
        for part in self.zone_path.split("."):
            value = getattr(value, part, None)  # an unset relation raises an AttributeError: None
        if zone_valid(value):
            return value
        if self.zone_field and self.zone_field in self.fields:
            initial = self.get_initial_for_field(self.fields[self.zone_field], self.zone_field)
            return initial if zone_valid(initial) else None
        return None


def zoned_column(field_name, *, zone_path="timezone", description=None):
    """An admin list column showing `field_name` in the zone at `zone_path`
    of the row (e.g. "contest.timezone"), sorted by the field."""

    def column(obj):
        zone_name = obj
        for part in zone_path.split("."):
            zone_name = getattr(zone_name, part)
        return zoned_localize(getattr(obj, field_name), zone_name) or "—"

    column.short_description = description or field_name
    column.admin_order_field = field_name
    column.__name__ = f"{field_name}_zoned"
    return column
