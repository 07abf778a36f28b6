from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import imaging, services
from .models import AuditLog, ContestRole, Country, Entry
from .role_labels import role_label
from .text_privacy import text_flags_of_form
from .validators import UPLOAD_MESSAGES


def image_limits(*, contest) -> tuple:
    """(the contest's `services.upload_policy`, the parameters of the
    upload messages: megapixels and megabytes as text)."""
    policy = services.upload_policy(contest=contest)
    return policy, {"megapixels": f"{policy.max_pixels / 1e6:g}", "megabytes": f"{policy.max_bytes / 1e6:g}"}


def image_inspect(*, upload, contest) -> imaging.ImageInfo:
    """The checks every drawing goes through, whoever sends it (the
    parent's form, a teacher's row): the contest's byte cap and the cheap
    validation of `imaging.inspect` (header, declared size, reduced-scale
    decode); a direct upload was checked in the store and brings its info.
    Raises `ValidationError` with the upload message (code: the reason)."""
    policy, params = image_limits(contest=contest)
    if upload.size > policy.max_bytes:
        raise ValidationError(UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE], code="TOO_LARGE", params=params)
    if getattr(upload, "storage_name", ""):
        # Sent straight to the store and checked there (contest/direct_uploads.py).
        return upload.image_info
    try:
        return imaging.inspect(upload, policy)
    except imaging.ImageRejected as exc:
        raise ValidationError(UPLOAD_MESSAGES[exc.reason], code=str(exc.reason), params=params) from None
    finally:
        upload.seek(0)


class EntrySubmitForm(forms.Form):
    """The parent's form. `clean_image` runs the cheap validation of
    `imaging.inspect` (header, declared size, reduced-scale decode); the
    renditions are made later by a worker."""

    # In the page's order (templates/contest/entry_submit.html), which the
    # error summary follows: the drawing, the child, the guardian. An
    # oversized photo sent without JavaScript does not lose the fields after
    # it: contest/uploads.py skips its bytes and reads on.
    image = forms.FileField(
        label=_("Photo or scan of the drawing"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,image/avif"}),
    )
    title = forms.CharField(label=_("Title of the drawing"), max_length=120)
    description = forms.CharField(
        label=_("What the drawing shows, in the child's own words"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_first_name = forms.CharField(label=_("Child's first name"), max_length=100)
    child_last_name = forms.CharField(label=_("Child's last name"), max_length=100)
    child_birth_date = forms.DateField(
        label=_("Child's date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(label=_("City or region"), max_length=120)
    school = forms.CharField(label=_("School (optional)"), max_length=200, required=False)
    guardian_name = forms.CharField(label=_("Parent or guardian's name"), max_length=200)
    guardian_email = forms.EmailField(
        label=_("Parent or guardian's e-mail"),
        help_text=_("We send a link to this address: the entry takes part only after you open it and confirm."),
    )
    guardian_relationship = forms.ChoiceField(
        label=_("Your relationship to the child"), choices=[("", "—")] + list(Entry.Relationship.choices)
    )
    consent = forms.BooleanField(
        label=_("(a) I agree to the consent text above: my child takes part and the data is processed to run the contest."),
        required=True,
    )
    publish_consent = forms.BooleanField(
        label=_("(b) If the drawing wins, it may be published with the child's first name, age and country."),
        required=False,
    )
    publish_region_consent = forms.BooleanField(
        label=_("(c) Also show the city or region (only together with b)."), required=False
    )
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    # Set by the "Send anyway" button of the warning about the child's name
    # (or school, e-mail, phone) in the title or description.
    text_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Names a finished resumable upload (contest/chunked.py) instead of a file.
    upload_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    # A honeypot: hidden from people by CSS and from assistive technology by
    # aria-hidden; only robots fill it in. No puzzles (WCAG 2.2, 3.3.8).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.image_info = None
        labels = dict(Country.choices)
        self.fields["country"].choices = [("", "—")] + [(c, labels[c]) for c in contest.countries]
        # The browser checks type and size before sending, with the server's
        # own messages (static/js/entry-upload.js).
        policy, params = self._limits()
        # Formatted here, not at import, so it is in the language of the request.
        self.fields["image"].help_text = _("JPEG, PNG, WebP or HEIC, up to %(mb)d MB.") % {"mb": policy.max_bytes // 1_000_000}
        self.fields["image"].widget.attrs.update({
            "data-max-bytes": str(policy.max_bytes),
            "data-message-type": str(UPLOAD_MESSAGES[imaging.Reason.UNSUPPORTED_TYPE] % params),
            "data-message-size": str(UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE] % params),
            "data-message-empty": str(UPLOAD_MESSAGES[imaging.Reason.EMPTY] % params),
            "aria-describedby": "id_image_helptext id_image_status",
        })

    def _limits(self):
        return image_limits(contest=self.contest)

    def refuse_too_large(self):
        """Called when the upload handler stopped reading an oversized body."""
        _policy, params = self._limits()
        self.full_clean()
        self.errors.pop("image", None)
        self.add_error("image", ValidationError(UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE], code="TOO_LARGE", params=params))

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.image_info = image_inspect(upload=upload, contest=self.contest)
        return upload

    def clean(self):
        data = super().clean()
        if data.get("publish_region_consent") and not data.get("publish_consent"):
            self.add_error(
                "publish_region_consent", _("The city or region can only be shown together with the publication (b).")
            )
        self.text_flags = text_flags_of_form(data)
        return data

    @property
    def text_warning(self) -> bool:
        """Whether the guardian is to be warned (once) before the entry is
        made: the title or description seem to name the child, the school,
        an e-mail address or a phone number (`text_flags`), and the
        "Send anyway" button was not pressed."""
        return bool(getattr(self, "text_flags", None)) and not self.cleaned_data.get("text_confirmed")

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def submission(self) -> services.Submission:
        data = self.cleaned_data
        return services.Submission(**{k: data[k] for k in services.Submission.__dataclass_fields__})


class PublicationForm(forms.Form):
    """The guardian changes answers (b) and (c)."""

    publish_consent = forms.BooleanField(
        label=_("If the drawing wins, it may be published with the child's first name, age and country."),
        required=False,
    )
    publish_region_consent = forms.BooleanField(label=_("Also show the city or region."), required=False)

    def clean(self):
        data = super().clean()
        if data.get("publish_region_consent") and not data.get("publish_consent"):
            self.add_error(
                "publish_region_consent", _("The city or region can only be shown together with the publication.")
            )
        return data


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete the drawing and everything about my child. This cannot be undone."), required=True
    )


class LinkRequestForm(forms.Form):
    """A guardian asks for their links again by reference code and e-mail."""

    reference = forms.CharField(label=_("Reference code"), max_length=20)
    guardian_email = forms.EmailField(label=_("Parent or guardian's e-mail"))


class EntryTextForm(forms.Form):
    """A moderator's new wording of a drawing's title and description."""

    title = forms.CharField(label=_("Title of the drawing"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ModerationForm(forms.Form):
    """An organizer's decision on the entries ticked in the queue."""

    ACTIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("flag", _("Flag for a closer look")),
        ("unflag", _("Remove the flag")),
    ]
    entries = forms.TypedMultipleChoiceField(label=_("Entries"), coerce=int)
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    reason = forms.ChoiceField(
        label=_("Reason for a rejection (sent to the guardian)"),
        choices=[("", "—")] + list(Entry.RejectionReason.choices),
        required=False,
    )

    def __init__(self, *args, entry_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Choose a reason for the rejection."))
        return data


class EntryDecisionForm(forms.Form):
    """One entry's decision from its own buttons in the queue: `decide` is
    "approve-<id>" or "reject-<id>", the rejection's reason comes from that
    entry's own picker, "reason-<id>"."""

    decide = forms.RegexField(regex=r"^(approve|reject)-\d+$")

    def __init__(self, *args, entry_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_ids = set(entry_ids)

    def clean(self):
        data = super().clean()
        if "decide" not in data:
            return data
        action, _sep, pk = data["decide"].partition("-")
        data["approve"], data["entry_id"] = action == "approve", int(pk)
        if data["entry_id"] not in self.entry_ids:
            raise ValidationError(_("This entry is no longer in the queue."), code="entry")
        data["reason"] = self.data.get(f"reason-{pk}", "")
        if action == "reject" and data["reason"] not in Entry.RejectionReason.values:
            raise ValidationError(_("Choose a reason for the rejection."), code="reason")
        return data


class DayRangeFilterForm(forms.Form):
    """The days of an audit filter, `since` and `until` (dates, both
    optional, read in the contest's time zone by the page); the audit log
    here and judging's audit trail add their person and kind."""

    since = forms.DateField(
        label=_("From (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("To (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    field_order = ["actor", "action", "since", "until"]


class AuditLogFilterForm(DayRangeFilterForm):
    """The audit log's filter, read from the query string (a URL to share):
    person, kind and days (in the contest's time zone). A value outside
    the choices is an error; the page then shows everything."""

    actor = forms.ChoiceField(label=_("Person"), required=False)
    action = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        special = {"guardian": _("the guardian"), "system": _("the portal")}
        self.fields["actor"].choices = [("", _("Everyone"))] + [(a, special.get(a, a)) for a in actors]
        self.fields["action"].choices = [("", _("Every kind"))] + list(AuditLog.Action.choices)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The last day must not be before the first."))
        return data

    def filters(self) -> dict:
        """The keyword arguments of `selectors.audit_log_list`."""
        data = self.cleaned_data
        return {"actor": data["actor"], "action": data["action"], "since": data["since"], "until": data["until"]}


class GalleryFilterForm(forms.Form):
    """The gallery's filters (GET). Choices are the contest's own countries
    and age categories; a value outside them is dropped, not an error: the
    gallery then shows everything for that filter (an old shared link keeps
    working)."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    category = forms.TypedChoiceField(label=_("Age category"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, contest, categories, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(Country.choices)
        self.fields["country"].choices = [("", "")] + [(code, names[code]) for code in contest.countries if code in names]
        self.fields["category"].choices = [("", "")] + [(str(c.pk), c.name) for c in categories]

    def filters(self) -> dict:
        """{"country": code or "", "category_id": id or None}, invalid values dropped."""
        self.is_valid()
        data = self.cleaned_data
        return {"country": data.get("country") or "", "category_id": data.get("category")}


class RoleGrantForm(forms.Form):
    """An organizer gives a role in their contest to an existing account,
    named by its username or e-mail address (judges are invited instead).
    With `contest`, the roles are named as in that contest."""

    person = forms.CharField(
        label=_("Username or e-mail address"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The person must already have an account on this site."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[(value, capfirst(label)) for value, label in ContestRole.Role.choices],
        initial=ContestRole.Role.MODERATOR, widget=forms.RadioSelect,
    )

    def __init__(self, *args, contest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contest is not None:  # a national round's organizer reads "coordinator"
            self.fields["role"].choices = [
                (value, role_label(role=value, contest=contest)) for value, _label in ContestRole.Role.choices
            ]

    def clean_person(self):
        """The account itself (`services.role_person_find`)."""
        return services.role_person_find(person=self.cleaned_data["person"])


class RoleRevokeForm(forms.Form):
    """Which role of the contest to take away (one button per row)."""

    revoke = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
