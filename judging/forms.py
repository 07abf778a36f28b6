"""Forms of the judging pages. They only clean input; the views hand
`cleaned_data` to `judging.services`, which re-checks every rule."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from contest.forms import DayRangeFilterForm
from contest.models import AgeCategory, Entry

from . import phrases
from .discussion import NOTE_MAX_LENGTH
from .models import AuditEvent, Export, JudgingSettings


class ScoreSheetForm(forms.Form):
    """One field per criterion, named `criterion_<id>` (whole points, or
    half points when the contest allows them), and an optional private
    comment."""

    def __init__(self, *args, criteria, initial_points=None, read_only=False, half_points=False,
                 initial_comment="", with_comment=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_points = initial_points or {}
        for criterion in criteria:
            saved = initial_points.get(criterion.pk)
            name = self.field_name(criterion)
            attrs = {"data-max": criterion.max_points, "class": "points", "inputmode": "decimal" if half_points else "numeric"}
            # Django links help_text to the input (aria-describedby="<id>_helptext").
            if half_points:
                field = forms.DecimalField(
                    min_value=0, max_value=criterion.max_points, step_size=Decimal("0.5"), decimal_places=1,
                    initial=saved.normalize() if saved is not None else None,
                    widget=forms.NumberInput(attrs={**attrs, "step": "0.5"}),
                )
            else:
                field = forms.IntegerField(
                    min_value=0, max_value=criterion.max_points,
                    initial=int(saved) if saved is not None else None,
                    widget=forms.NumberInput(attrs=attrs),
                )
            field.label = criterion.name
            field.required = True
            field.disabled = read_only
            field.help_text = criterion.description
            self.fields[name] = field
        if with_comment:
            self.fields["comment"] = forms.CharField(
                label=_("Private comment (only you and the organizers see it)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}), initial=initial_comment, disabled=read_only,
            )

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def criterion_fields(self):
        return [self[self.field_name(c)] for c in self.criteria]

    def points(self) -> dict:
        """criterion id -> points, from `cleaned_data`."""
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}

    def comment(self) -> str | None:
        return self.cleaned_data.get("comment") if "comment" in self.fields else None


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, seen by the organizers)"), required=False, max_length=300,
        help_text=_("For example: I know this child, or I taught at this school."),
    )


class DiscussionFlagForm(forms.Form):
    """A flag for discussion: an optional note to the organizers."""

    note = forms.CharField(
        label=_("Note to the organizers (other judges do not see it)"), required=False,
        max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
    )


class AwardsForm(forms.Form):
    """For each age category, a choice of entry for 1st, 2nd and 3rd place,
    named `award_<category id>_<place>`, preset to the current awards or,
    when none are set, to the suggestions; `reason` explains an override."""

    reason = forms.CharField(
        label=_("Reason for choosing differently from the suggestions"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    CHOICES = 30  # ranked rows offered per category

    def __init__(self, *args, ranking, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = []  # (category, [bound field names], suggestions)
        self.fields["reason"].disabled = read_only
        for block in ranking:
            if not block.rows:
                continue
            # The first rows of the ranking (and whoever holds an award):
            # a select of thousands of drawings helps nobody and is slow.
            # Only those rows are made: a 10,000 entry ranking is not read whole.
            awarded = block.awarded
            first = block.rows[: self.CHOICES]
            offered = first + [row for row in awarded if row not in first]
            choices = [("", _("— nobody —"))] + [
                (str(row.entry_id), f"{row.reference} · {row.title}") for row in offered
            ]
            current = {row.award: str(row.entry_id) for row in awarded}
            # Places held by a tie or an incomplete entry start empty: the
            # organizer decides them.
            suggested = {place: str(row.entry_id) for place, row in block.decided.items()}
            names = []
            for place, label in Entry.Award.choices:
                name = f"award_{block.category.pk}_{place}"
                self.fields[name] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, empty_value=None, required=False,
                    disabled=read_only, initial=(current or suggested).get(place, ""),
                )
                names.append(name)
            self.slots.append((block.category, names, block.suggestions))

    def clean(self):
        cleaned = super().clean()
        for category, names, _suggestions in self.slots:
            chosen = [cleaned.get(n) for n in names if cleaned.get(n) is not None]
            if len(chosen) != len(set(chosen)):
                raise forms.ValidationError(
                    phrases.AWARD_TWO_PLACES % {"category": category.name}
                )
        return cleaned

    def awards(self) -> dict:
        """(category id, place) -> entry id, for the places given."""
        result = {}
        for category, names, _suggestions in self.slots:
            for place, name in zip(Entry.Award.values, names):
                if self.cleaned_data.get(name) is not None:
                    result[(category.pk, place)] = self.cleaned_data[name]
        return result

    def category_fields(self):
        """[(category, [bound fields], suggestions)] for the template."""
        return [(category, [self[n] for n in names], suggestions) for category, names, suggestions in self.slots]


class PublishForm(forms.Form):
    """Confirm publication; with checklist points open, `override` and a
    `reason` (the service checks both, `judging.services.results_publish`)."""

    confirm = forms.BooleanField(
        label=_("I understand that after publication no score or award can be changed."), required=True
    )
    override = forms.BooleanField(label=_("Publish even though points of the checklist are open"), required=False)
    reason = forms.CharField(
        label=_("Why publish with open points"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail with the open points."),
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = ["normalization", "half_points", "min_judges", "peer_scores"]
        widgets = {"min_judges": forms.NumberInput(attrs={"min": 1})}

    def clean_min_judges(self):
        value = self.cleaned_data["min_judges"]
        if value < 1:
            raise forms.ValidationError(phrases.MIN_JUDGES)
        return value


class AssignForm(forms.Form):
    min_judges = forms.IntegerField(label=_("Judges per entry (K)"), min_value=1, max_value=50, initial=3)


class RoundForm(forms.Form):
    action = forms.ChoiceField(choices=[("close", _("Close the round")), ("open", _("Open the round again"))])


class AdvanceForm(forms.Form):
    """Start the next round: the top N per category or a hand-picked list."""

    name = forms.CharField(label=_("Name of the new round"), max_length=100, required=False, initial=_("Final"))
    top_n = forms.IntegerField(label=_("Advance the top N of each category"), min_value=1, required=False)
    entries = forms.TypedMultipleChoiceField(
        label=_("…or advance exactly these entries"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    judges = forms.ModelMultipleChoiceField(
        label=_("Judges of the new round"), queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, ranking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [
            (row.entry_id, f"{block.category.name} · {row.reference} · {row.title}")
            for block in ranking for row in block.rows
        ]
        self.fields["judges"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["judges"].label_from_instance = lambda user: user.get_username()

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("top_n")) == bool(cleaned.get("entries")):
            raise forms.ValidationError(phrases.ADVANCE_CHOICE)
        return cleaned


class CalibrationSetForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Reference drawings"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = choices


class InvitationForm(forms.Form):
    """An organizer's invitation of a judge: address, name, the language of
    the e-mail, and the age categories of the panel (none: all)."""

    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)
    categories = forms.ModelMultipleChoiceField(
        label=_("Age categories"), queryset=AgeCategory.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Leave empty for every category."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = categories


class ExportRequestForm(forms.Form):
    """Which export an organizer asks for (one button per kind)."""

    kind = forms.ChoiceField(label=_("Export"), choices=Export.Kind.choices)


class AuditFilterForm(DayRangeFilterForm):
    """The audit trail's filter, read from the query string (a URL to share):
    person, kind of event and days (in the contest's time zone)."""

    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Everyone"))] + [(str(pk), name) for pk, name in actors]
        self.fields["action"].choices = [("", _("Every kind"))] + list(AuditEvent.Action.choices)
