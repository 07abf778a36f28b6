"""Forms of the judging pages. They only clean input; the views hand
`cleaned_data` to `judging.services`, which re-checks every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.models import Entry


class ScoreSheetForm(forms.Form):
    """One whole-number field per criterion, named `criterion_<id>`."""

    def __init__(self, *args, criteria, initial_points=None, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_points = initial_points or {}
        for criterion in criteria:
            saved = initial_points.get(criterion.pk)
            name = self.field_name(criterion)
            # Django links help_text to the input (aria-describedby="<id>_helptext").
            self.fields[name] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_points,
                required=True,
                disabled=read_only,
                initial=int(saved) if saved is not None else None,
                help_text=criterion.description,
            )

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def points(self) -> dict:
        """criterion id -> points, from `cleaned_data`."""
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}


class AwardsForm(forms.Form):
    """For each age category, a choice of entry for 1st, 2nd and 3rd place,
    named `award_<category id>_<place>`."""

    def __init__(self, *args, ranking, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = []  # (category, [(place label, bound field name)])
        for block in ranking:
            if not block.rows:
                continue
            choices = [("", _("— nobody —"))] + [
                (str(row.entry_id), f"{row.reference} · {row.title}") for row in block.rows
            ]
            current = {row.award: str(row.entry_id) for row in block.rows if row.award}
            names = []
            for place, label in Entry.Award.choices:
                name = f"award_{block.category.pk}_{place}"
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, empty_value=None, required=False,
                    disabled=read_only, initial=current.get(place, ""),
                )
                names.append(name)
            self.slots.append((block.category, names))

    def clean(self):
        cleaned = super().clean()
        for category, names in self.slots:
            chosen = [cleaned.get(n) for n in names if cleaned.get(n) is not None]
            if len(chosen) != len(set(chosen)):
                raise forms.ValidationError(
                    _("In %(category)s one entry was chosen for two places.") % {"category": category.name}
                )
        return cleaned

    def awards(self) -> dict:
        """(category id, place) -> entry id, for the places given."""
        result = {}
        for category, names in self.slots:
            for place, name in zip(Entry.Award.values, names):
                if self.cleaned_data.get(name) is not None:
                    result[(category.pk, place)] = self.cleaned_data[name]
        return result

    def category_fields(self):
        """[(category, [bound fields])] for the template."""
        return [(category, [self[n] for n in names]) for category, names in self.slots]


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that after publication no score or award can be changed."), required=True
    )
