"""The form adding national rounds to a regional contest
(`contest.views.rounds`): one row per country of the region, each with a
checkbox, the round's window typed in the country's own zone
(`COUNTRY_TIMEZONES`) and its default language."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Contest, Country
from .services import COUNTRY_LANGUAGES, COUNTRY_TIMEZONES, RoundPlan
from .setup_forms import DATETIME_WIDGET
from .zoned import ZonedDateTimeField, zone_label


class RoundsForm(forms.Form):
    """Fields `include_<cc>`, `opens_<cc>`, `closes_<cc>`, `language_<cc>`
    per country code `cc` (lower case). `rows()` gives them grouped per
    country for the template; `plans()` the chosen rounds as `RoundPlan`s
    (after validation). `taken` (country codes) are shown as existing and
    cannot be chosen."""

    def __init__(self, *args, contest: Contest, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contest, self.taken = contest, set(taken)
        self.countries = [c for c in Country if c.value not in self.taken]
        for country in self.countries:
            code, zone = country.value.lower(), COUNTRY_TIMEZONES[country]
            hint = zone_label(zone, at=contest.opens_at)
            self.fields[f"include_{code}"] = forms.BooleanField(
                required=False, label=_("Add a national round in %(country)s") % {"country": country.label})
            self.fields[f"opens_{code}"] = ZonedDateTimeField(
                zone=zone, required=False, label=_("Opens"), initial=contest.opens_at, widget=DATETIME_WIDGET,
                help_text=hint)
            self.fields[f"closes_{code}"] = ZonedDateTimeField(
                zone=zone, required=False, label=_("Closes"), initial=contest.closes_at, widget=DATETIME_WIDGET,
                help_text=hint)
            self.fields[f"language_{code}"] = forms.ChoiceField(
                choices=settings.LANGUAGES, required=False, label=capfirst(Contest._meta.get_field("default_language").verbose_name), initial=COUNTRY_LANGUAGES[country])

    def rows(self) -> list[dict]:
        """[{"country": Country, "include", "opens", "closes", "language": bound fields}] per free country."""
        return [
            {"country": c, **{name: self[f"{name}_{c.value.lower()}"] for name in ("include", "opens", "closes", "language")}}
            for c in self.countries
        ]

    def clean(self):
        data = super().clean()
        chosen = [c for c in self.countries if data.get(f"include_{c.value.lower()}")]
        again = [Country(code).label for code in sorted(self.taken) if self.data.get(f"include_{code.lower()}")]
        if again:
            raise ValidationError(_("This contest has a national round in %(countries)s already.") % {
                "countries": ", ".join(str(label) for label in again)})
        if not chosen:
            raise ValidationError(_("Choose at least one country."))
        for country in chosen:
            code = country.value.lower()
            opens, closes = data.get(f"opens_{code}"), data.get(f"closes_{code}")
            for name, value in (("opens", opens), ("closes", closes)):
                if value is None and not self.has_error(f"{name}_{code}"):
                    self.add_error(f"{name}_{code}", _("Give the date and time."))
            if opens and closes and closes <= opens:
                self.add_error(f"closes_{code}", _("A national round must close after it opens."))
        self.chosen = chosen
        return data

    def plans(self) -> list[RoundPlan]:
        """The rounds chosen, as `RoundPlan`s (the form must be valid)."""
        data = self.cleaned_data
        return [
            RoundPlan(
                country=c.value, opens_at=data[f"opens_{c.value.lower()}"], closes_at=data[f"closes_{c.value.lower()}"],
                default_language=data[f"language_{c.value.lower()}"],
            )
            for c in self.chosen
        ]
