"""The rubric step of a contest's setup (`judging.views.setup`): the
criteria of a round with their weights and maximum points. The formset only
cleans; `judging.services.rubric_save` re-checks the rubric locks and
writes."""

from __future__ import annotations

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME

from contest.models import Contest
from contest.setup_forms import RowOfASetForm

from . import phrases
from .models import Criterion


class CriterionForm(RowOfASetForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "max_points", "order"]
        widgets = {
            "weight": forms.NumberInput(attrs={"min": "0.01", "step": "0.01", "inputmode": "decimal"}),
            "max_points": forms.NumberInput(attrs={"min": 1}),
            "order": forms.NumberInput(attrs={"min": 0}),
        }

    def __init__(self, *args, structure_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if structure_locked:
            # Scores were given on these: their weight and maximum stay.
            for name in ("weight", "max_points"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weight") is not None and cleaned["weight"] <= 0:
            self.add_error("weight", phrases.WEIGHT_POSITIVE)
        if cleaned.get("max_points") == 0:
            self.add_error("max_points", phrases.MAX_POINTS_POSITIVE)
        return cleaned


class BaseCriterionFormSet(forms.BaseInlineFormSet):
    """A round's criteria (`round_number`); no name twice."""

    def __init__(self, *args, round_number=1, structure_locked=False, **kwargs):
        self.round_number = round_number
        self.structure_locked = structure_locked
        if structure_locked:
            self.extra = 0  # no row to add a criterion
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "structure_locked": self.structure_locked and index is not None
                and index < self.initial_form_count()}

    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get(DELETION_FIELD_NAME)]
        names = [c["name"].strip().casefold() for c in kept if c.get("name")]
        if len(names) != len(set(names)):
            raise forms.ValidationError(phrases.CRITERION_NAME_TWICE)

    def rows(self) -> list[dict]:
        """The changed criteria: [{"id": pk or None, "delete": bool,
        "name", "description", "weight", "max_points", "order"}]."""
        found = []
        for form in self.forms:
            if not form.has_changed() or not form.cleaned_data:
                continue
            row = {name: form.cleaned_data.get(name) for name in CriterionForm._meta.fields}
            row.update(id=form.instance.pk, delete=bool(form.cleaned_data.get(DELETION_FIELD_NAME)))
            found.append(row)
        return [row for row in found if row["id"] is not None or not row["delete"]]


CriterionFormSet = forms.inlineformset_factory(
    Contest, Criterion, form=CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True,
)
