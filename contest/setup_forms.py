"""Forms of the contest setup (`contest.views.setup`): basics and dates,
age categories, texts per language, entry and upload limits. They only
clean input; `contest.services.setup` writes, and the model and the
database guard every rule again.

Every datetime is typed and shown in the contest's own zone
(`ZonedDateTimesFormMixin`); on the basics form the zone chosen in the same
form governs the times typed beside it (a new contest, a change of zone)."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import construct_instance
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import phrases
from .ages import age_bands_validate
from .models import AgeCategory, Contest, ContestTranslation, Country
from .zoned import ZonedDateTimesFormMixin

# The zones of the participating states, offered first.
CENTRAL_ASIA_ZONES = (
    "Asia/Almaty", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral", "Asia/Qostanay", "Asia/Qyzylorda",
    "Asia/Bishkek", "Asia/Dushanbe", "Asia/Ashgabat", "Asia/Tashkent", "Asia/Samarkand",
)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def zone_choices() -> list:
    """The time zone select's choices: Central Asia's zones, then every
    other zone this system knows, grouped."""
    known = zoneinfo.available_timezones()
    first = [(z, z) for z in CENTRAL_ASIA_ZONES if z in known]
    rest = [(z, z) for z in sorted(known - set(CENTRAL_ASIA_ZONES)) if "/" in z and not z.startswith(("Etc/", "SystemV/"))]
    return [(_("Central Asia"), first), (_("Other time zones"), rest)]


class ContestBasicsForm(ZonedDateTimesFormMixin, forms.ModelForm):
    """Step 1: title, address, theme, rules, time zone, default language,
    countries and dates. The slug is fixed once the contest exists (its
    public address may already be shared)."""

    zone_field = "timezone"
    zone_path = "timezone"

    timezone = forms.ChoiceField(
        label=capfirst(Contest._meta.get_field("timezone").verbose_name), choices=zone_choices,
        initial=Contest._meta.get_field("timezone").get_default(),
    )
    countries = forms.MultipleChoiceField(
        label=capfirst(Contest._meta.get_field("countries").verbose_name), choices=Country.choices,
        widget=forms.CheckboxSelectMultiple, initial=Country.values,
    )

    class Meta:
        model = Contest
        fields = [
            "title", "slug", "theme", "rules", "timezone", "default_language", "opens_at", "closes_at",
            "age_reference_date", "countries",
        ]
        widgets = {
            "opens_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
            "age_reference_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "theme": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"slug": _("The contest page's address: letters, digits and hyphens. It cannot change later.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _("The contest page's address; it cannot change.")
        for name in ("opens_at", "closes_at"):
            self.fields[name].widget.attrs["data-zoned"] = ""

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", phrases.CLOSES_BEFORE_OPENS)
        return cleaned


class RowOfASetForm(forms.ModelForm):
    """A form of one row of a formset whose rows are checked together by
    the formset and the service (age bands, a rubric's criteria): the
    instance takes the typed values, without the model's own checks
    against the saved rows, which would see a change in progress (a band
    that this same save moves, a name that another row gives up)."""

    def _post_clean(self):
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)


class AgeCategoryForm(RowOfASetForm):
    """One band. Its overlap with the others and its name are checked by
    the formset against the others' new values, not their saved ones (a
    change may shift several bands at once)."""

    class Meta:
        model = AgeCategory
        fields = ["name", "min_age", "max_age"]
        widgets = {"min_age": forms.NumberInput(attrs={"min": 0, "max": 99}),
                   "max_age": forms.NumberInput(attrs={"min": 0, "max": 99})}

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", phrases.AGE_BAND_REVERSED)
        return cleaned


class BaseAgeCategoryFormSet(forms.BaseInlineFormSet):
    """The bands together: none reversed or overlapping, no name twice."""

    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get(DELETION_FIELD_NAME)]
        bands = [(c["min_age"], c["max_age"]) for c in kept if c.get("min_age") is not None and c.get("max_age") is not None]
        age_bands_validate(bands=bands)
        names = [c["name"].strip().casefold() for c in kept if c.get("name")]
        if len(names) != len(set(names)):
            raise forms.ValidationError(phrases.AGE_CATEGORY_NAME_TWICE)

    def rows(self) -> list[dict]:
        """What to save: [{"id": pk or None, "name", "min_age", "max_age",
        "delete": bool}] of the forms that changed (after `is_valid`)."""
        found = []
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            data = form.cleaned_data
            found.append({
                "id": form.instance.pk, "name": data.get("name"), "min_age": data.get("min_age"),
                "max_age": data.get("max_age"), "delete": bool(data.get(DELETION_FIELD_NAME)),
            })
        return [row for row in found if row["id"] is not None or not row["delete"]]


AgeCategoryFormSet = forms.inlineformset_factory(
    Contest, AgeCategory, form=AgeCategoryForm, formset=BaseAgeCategoryFormSet, extra=2, can_delete=True,
)


class ContestTextsForm(forms.ModelForm):
    """Step 4: the contest's title, theme, rules and e-mails to guardians
    in one language; the model's own checks (placeholders) apply. With
    `categories` (the contest's, for a language other than its default
    one), also each age category's name in that language, a field
    `category_<id>` each; empty falls back to the name of step 2."""

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        language = self.instance.language
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"category_{category.pk}"] = forms.CharField(
                label=f"{category.name} ({category.min_age}–{category.max_age})", required=False,
                max_length=AgeCategory._meta.get_field("name").max_length,
                initial=(category.names or {}).get(language, ""),
            )

    def category_fields(self) -> list:
        """The bound fields of the age categories' names, youngest first."""
        return [self[f"category_{category.pk}"] for category in self.categories]

    def category_names(self) -> dict[int, str]:
        """Age category id -> its name in this language, stripped ("" for
        none), after `is_valid`."""
        return {
            category.pk: self.cleaned_data.get(f"category_{category.pk}", "").strip() for category in self.categories
        }

    class Meta:
        model = ContestTranslation
        fields = [
            "title", "theme", "rules", "receipt_subject", "receipt_body", "link_subject", "link_body",
            "rejection_subject", "rejection_body",
        ]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 6}),
            "receipt_body": forms.Textarea(attrs={"rows": 5}),
            "link_body": forms.Textarea(attrs={"rows": 4}),
            "rejection_body": forms.Textarea(attrs={"rows": 4}),
        }


class UploadLimitsForm(forms.ModelForm):
    """Step 5: how many entries per child and per guardian, and the
    contest's own upload limits (only ever stricter than the site's)."""

    class Meta:
        model = Contest
        fields = [
            "max_entries_per_child", "max_entries_per_guardian", "upload_max_megabytes", "upload_max_megapixels",
            "upload_min_side", "upload_max_aspect",
        ]
