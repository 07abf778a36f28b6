"""The form of a national round's promotion to the regional final: an age
category, the quota, and optionally the entries the jury chose (their
reference codes). It only cleans input; `judging.services.round_promote`
checks every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.services import reference_normalize

MAX_QUOTA = 50


class PromotionForm(forms.Form):
    """`category` (an id among `categories`, the round's), `quota` (1 to
    `MAX_QUOTA`) and `references` (empty: by rank; otherwise codes separated
    by commas or spaces: the jury's choice)."""

    category = forms.TypedChoiceField(label=_("Age category"), coerce=int)
    quota = forms.IntegerField(label=_("How many go up"), min_value=1, max_value=MAX_QUOTA, initial=5)
    references = forms.CharField(
        label=_("Or the jury's choice (reference codes)"), required=False, max_length=1000,
        help_text=_("Leave empty to promote by rank. A tie at the last place is never decided for you."),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.pk, c.name) for c in categories]

    def clean_references(self) -> list[str]:
        raw = self.cleaned_data["references"].replace(",", " ").split()
        return [reference_normalize(code) for code in raw]
