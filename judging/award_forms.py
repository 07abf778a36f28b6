"""Forms of the results grid: one drawing's place and special awards, and
a new special award with its names. They only clean input; the services
(`judging.services.entry_awards_set`, `special_award_create`) re-check
every rule."""

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import phrases

REASON_MAX_LENGTH = 500


class EntryAwardsForm(forms.Form):
    """One drawing's awards, as a card of the results grid posts them:
    `entry` (id), `place` (empty: none), the ids of its `special_awards`
    (`award_ids`: the contest's), a `reason` when choosing other than the
    suggestions, and `back` (the results page's query string to return
    to)."""

    entry = forms.IntegerField(min_value=1)
    place = forms.IntegerField(
        label=_("Place"), required=False, min_value=1, max_value=32767,
        error_messages={"min_value": phrases.PLACE_NOT_POSITIVE, "invalid": phrases.PLACE_NOT_POSITIVE},
    )
    special_awards = forms.TypedMultipleChoiceField(label=_("Special awards"), required=False, coerce=int)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON_MAX_LENGTH)
    back = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, award_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_awards"].choices = [(str(i), str(i)) for i in award_ids]

    def back_query(self) -> str:
        """The results page's query string to go back to, rebuilt from its
        parsed parameters (never more than a query string)."""
        raw = self.cleaned_data.get("back", "") if hasattr(self, "cleaned_data") else self.data.get("back", "")
        return QueryDict(raw or "").urlencode()


class SpecialAwardForm(forms.Form):
    """A new special award: `name` in the contest's default language, and
    optional fields `name_<code>` for every other language."""

    name = forms.CharField(
        label=_("Name in the contest's default language"), max_length=80,
        error_messages={"required": phrases.SPECIAL_AWARD_NAME_MISSING},
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.other_languages = [(code, name) for code, name in settings.LANGUAGES if code != contest.default_language]
        for code, name in self.other_languages:
            self.fields[f"name_{code}"] = forms.CharField(label=name, required=False, max_length=80)

    def names(self) -> dict[str, str]:
        """Language code -> name, for the languages given."""
        return {
            code: self.cleaned_data[f"name_{code}"].strip()
            for code, _name in self.other_languages if self.cleaned_data.get(f"name_{code}", "").strip()
        }

    def translation_fields(self):
        return [self[f"name_{code}"] for code, _name in self.other_languages]
