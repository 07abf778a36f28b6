"""The guardian's forms for changing an entry before the contest closes:
its details (the drawing's title and description, the child) and a new
photo of the drawing. The fields are those of the submit form
(`forms.EntrySubmitForm`), with the same labels and the same checks."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import imaging, services
from .forms import EntrySubmitForm
from .models import Country
from .phrases import upload_limits
from .text_privacy import text_flags_of_form
from .validators import UPLOAD_MESSAGES


def _submit_field(name: str) -> forms.Field:
    """A copy of the submit form's field `name` (label, widget, limits)."""
    return copy.deepcopy(EntrySubmitForm.base_fields[name])


class EntryDetailsForm(forms.Form):
    """The title, the description and the child's details, prefilled from
    the entry. Like the submit form, it warns once (`text_warning`) when the
    title or description seem to tell who the child is."""

    title = _submit_field("title")
    description = _submit_field("description")
    child_first_name = _submit_field("child_first_name")
    child_last_name = _submit_field("child_last_name")
    child_birth_date = _submit_field("child_birth_date")
    country = _submit_field("country")
    region = _submit_field("region")
    school = _submit_field("school")
    # Set by the "Save anyway" button of the warning.
    text_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Country.choices)
        self.fields["country"].choices = [("", "—")] + [(c, labels[c]) for c in contest.countries]
        self.text_flags = []

    def clean(self):
        data = super().clean()
        self.text_flags = text_flags_of_form(data)
        return data

    @property
    def text_warning(self) -> bool:
        """Whether to warn before saving: the texts seem to name the child
        (`text_privacy.text_flags`) and "Save anyway" was not pressed."""
        return bool(self.text_flags) and not self.cleaned_data.get("text_confirmed")

    def details(self) -> services.EntryDetails:
        return services.EntryDetails(**{name: self.cleaned_data[name] for name in services.DETAIL_FIELDS})


def details_initial(entry) -> dict:
    """The edit form's initial values: the entry's own."""
    return {name: getattr(entry, name) for name in services.DETAIL_FIELDS}


class DrawingReplaceForm(forms.Form):
    """A new photo of the drawing, checked as the submit form checks it:
    the contest's upload policy, then `imaging.inspect` (header, declared
    size, a reduced decode). `image_info` holds the result."""

    image = _submit_field("image")

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = services.upload_policy(contest=contest)
        self.image_info = None
        params = upload_limits(self.policy)
        # The submit form's words, formatted here: in the language of the request.
        self.fields["image"].help_text = _("JPEG, PNG, WebP or HEIC, up to %(mb)d MB.") % {
            "mb": self.policy.max_bytes // 1_000_000
        }
        self.fields["image"].widget.attrs.update({
            "data-max-bytes": str(self.policy.max_bytes),
            "data-message-type": str(UPLOAD_MESSAGES[imaging.Reason.UNSUPPORTED_TYPE] % params),
            "data-message-size": str(UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE] % params),
        })

    def refuse_too_large(self):
        """The upload handler stopped reading an oversized body."""
        self.full_clean()
        self.errors.pop("image", None)
        self.add_error("image", self._refusal(imaging.Reason.TOO_LARGE))

    def _refusal(self, reason) -> ValidationError:
        return ValidationError(UPLOAD_MESSAGES[reason], code=str(reason), params=upload_limits(self.policy))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > self.policy.max_bytes:
            raise self._refusal(imaging.Reason.TOO_LARGE)
        try:
            self.image_info = imaging.inspect(upload, self.policy)
        except imaging.ImageRejected as exc:
            raise self._refusal(exc.reason) from None
        finally:
            upload.seek(0)
        return upload
