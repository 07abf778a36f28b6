"""The forms of a moderator's page "The drawing" (`views.drawing`): the
sheet's four corners and the regions to hide. Both work without
JavaScript (number inputs, buttons carrying the whole list); the page's
script only moves the same inputs."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from . import imaging, phrases
from .services.sheet_review import MAX_MASKS

# Top-left first, clockwise: the order of `imaging.corners_valid`.
CORNERS = (
    ("tl", _("Top left corner")),
    ("tr", _("Top right corner")),
    ("br", _("Bottom right corner")),
    ("bl", _("Bottom left corner")),
)
SHEET_ACTIONS = ("corners", "auto", "as_sent")


def _percent(label):
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, decimal_places=2, required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )


class SheetForm(forms.Form):
    """How the photo becomes the drawing: `sheet` is "corners" (straighten
    along the four corners given in percent of the photo's width and
    height, `<corner>_x`/`<corner>_y`), "auto" (find the sheet) or
    "as_sent" (the photo as it was sent). `cleaned_data["corners"]`: four
    [x, y] pairs normalized to 0..1, or None."""

    sheet = forms.ChoiceField(choices=[(a, a) for a in SHEET_ACTIONS])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CORNERS:
            self.fields[f"{key}_x"] = _percent(_("%(corner)s: across (%%)") % {"corner": label})
            self.fields[f"{key}_y"] = _percent(_("%(corner)s: down (%%)") % {"corner": label})

    @staticmethod
    def initial_for(corners) -> dict:
        """Initial values (percent) for corners normalized to 0..1 (None:
        the whole photo)."""
        corners = corners or [[0, 0], [1, 0], [1, 1], [0, 1]]
        initial = {}
        for (key, _label), (x, y) in zip(CORNERS, corners):
            initial[f"{key}_x"], initial[f"{key}_y"] = round(float(x) * 100, 2), round(float(y) * 100, 2)
        return initial

    def corner_fields(self):
        """(label, x field, y field) per corner, for the template."""
        return [(label, self[f"{key}_x"], self[f"{key}_y"]) for key, label in CORNERS]

    def clean(self):
        data = super().clean()
        data["corners"] = None
        if data.get("sheet") != "corners":
            return data
        values = [data.get(f"{key}_{axis}") for key, _label in CORNERS for axis in "xy"]
        if any(value is None for value in values):
            raise forms.ValidationError(phrases.SHEET_CORNERS_INVALID, code="corners")
        pairs = [[float(values[i]) / 100, float(values[i + 1]) / 100] for i in range(0, 8, 2)]
        try:
            imaging.corners_valid(pairs)
        except ValueError as exc:
            raise forms.ValidationError(phrases.SHEET_CORNERS_INVALID, code="corners") from exc
        data["corners"] = pairs
        return data


class MasksForm(forms.Form):
    """The regions to hide, the whole list at once: `masks` is JSON,
    [{"x", "y", "w", "h", "style"}] normalized to the drawing as shown
    ("blur" or "fill"); [] shows everything. `cleaned_data["masks"]`: the
    list, each region checked by `imaging.Mask.from_dict`."""

    masks = forms.CharField(widget=forms.HiddenInput, required=False, max_length=8000)

    def clean_masks(self):
        raw = self.cleaned_data.get("masks") or "[]"
        try:
            items = json.loads(raw)
            if not isinstance(items, list):
                raise ValueError("not a list")
            masks = [imaging.Mask.from_dict(item).to_dict() for item in items]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise forms.ValidationError(phrases.MASKS_INVALID, code="masks") from exc
        if len(masks) > MAX_MASKS:
            raise forms.ValidationError(phrases.MASKS_INVALID, code="masks")
        return masks
