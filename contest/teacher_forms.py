"""Forms of teachers and studios: registration, the batch page (photos,
spreadsheet or table) and the row form every child's row goes through,
whichever way it came."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import image_inspect, image_limits
from .models import Country
from .teacher_sheets import COLUMNS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"]
# The first bytes of the scans taken: PDF, JPEG, PNG.
SCAN_SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class TeacherRegisterForm(forms.Form):
    """A teacher's or studio's account: the address is the login and gets
    the verification link."""

    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    school = forms.CharField(label=_("School or studio"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    region = forms.CharField(label=_("City or region"), max_length=120)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(username__iexact=email).exists():
            raise ValidationError(_("An account with this e-mail address exists already."), code="taken")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (`<input type=file multiple>`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class TeacherBatchForm(forms.Form):
    """The batch page's post: photos and scans (sent with the page, or
    earlier in resumable parts and named by `upload_ids`), and the rows in a
    spreadsheet or in the table (`TeacherRowsFormSet`)."""

    images = MultipleFileField(label=_("Photos of the drawings"), required=False)
    scans = MultipleFileField(label=_("Scans of the signed consent forms"), required=False)
    sheet = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"), required=False)
    upload_ids = forms.CharField(widget=forms.HiddenInput, required=False, max_length=33 * 200)

    def upload_id_list(self) -> list[str]:
        return [value for value in self.cleaned_data.get("upload_ids", "").split(",") if value]


class TeacherTableRowForm(forms.Form):
    """One line of the page's table, as typed (the row form cleans it)."""

    child_first_name = forms.CharField(label=COLUMNS["child_first_name"], required=False)
    child_last_name = forms.CharField(label=COLUMNS["child_last_name"], required=False)
    child_birth_date = forms.CharField(
        label=COLUMNS["child_birth_date"], required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=COLUMNS["title"], required=False)
    guardian_email = forms.CharField(label=COLUMNS["guardian_email"], required=False)
    file = forms.CharField(label=COLUMNS["file"], required=False)
    consent_file = forms.CharField(label=COLUMNS["consent_file"], required=False)


TeacherRowsFormSet = forms.formset_factory(TeacherTableRowForm, extra=8, max_num=200)


class TeacherRowForm(forms.Form):
    """One child's row, from the spreadsheet or the table: the child, the
    title, the guardian's address (optional) and the files it names, looked
    up in `images` and `scans` (file name → uploaded file). Either the
    address or a consent form's scan is required. The photo goes through
    the parent's checks (`contest.forms.image_inspect`): `image_info`."""

    child_first_name = forms.CharField(label=COLUMNS["child_first_name"], max_length=100)
    child_last_name = forms.CharField(label=COLUMNS["child_last_name"], max_length=100)
    child_birth_date = forms.DateField(label=COLUMNS["child_birth_date"], input_formats=DATE_INPUT_FORMATS)
    title = forms.CharField(label=COLUMNS["title"], max_length=120)
    guardian_email = forms.EmailField(label=COLUMNS["guardian_email"], required=False)
    file = forms.CharField(label=COLUMNS["file"], max_length=255)
    consent_file = forms.CharField(label=COLUMNS["consent_file"], max_length=255, required=False)

    def __init__(self, *args, contest, images: dict, scans: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest, self.images, self.scans = contest, images, scans
        self.image_info = None

    def clean_file(self):
        name = self.cleaned_data["file"]
        image = self.images.get(name)
        if image is None:
            raise ValidationError(_("No photo named “%(name)s” was uploaded."), code="no_file", params={"name": name})
        self.image_info = image_inspect(upload=image, contest=self.contest)
        return name

    def clean_consent_file(self):
        name = self.cleaned_data["consent_file"]
        if not name:
            return name
        scan = self.scans.get(name)
        if scan is None:
            raise ValidationError(_("No scan named “%(name)s” was uploaded."), code="no_scan", params={"name": name})
        policy, params = image_limits(contest=self.contest)
        head = scan.read(8)
        scan.seek(0)
        if scan.size > policy.max_bytes or not head.startswith(SCAN_SIGNATURES):
            raise ValidationError(
                _("The scan of the consent form must be a PDF, JPEG or PNG file of at most %(megabytes)s MB."),
                code="scan", params=params,
            )
        return name

    def clean(self):
        data = super().clean()
        if not data.get("guardian_email") and not data.get("consent_file") and not self.has_error("consent_file"):
            raise ValidationError(
                _("Give the guardian's e-mail address or the scan of the signed consent form."), code="consent_path"
            )
        return data

    def error_text(self) -> str:
        """Every error of the row on one line: "Column: message; …"."""
        parts = []
        for field, errors in self.errors.items():
            label = self.fields[field].label if field in self.fields else ""
            parts.extend(f"{label}: {message}" if label else message for message in errors)
        return "; ".join(parts)

    @property
    def image(self):
        return self.images[self.cleaned_data["file"]]

    @property
    def consent_scan(self):
        name = self.cleaned_data.get("consent_file")
        return self.scans[name] if name else None


class TeacherApproveForm(forms.Form):
    """An organizer approves one teacher waiting in the list."""

    teacher = forms.IntegerField(widget=forms.HiddenInput)


class ConsentScanCheckForm(forms.Form):
    """A moderator's decision on one signed paper consent form."""

    DECISIONS = [("accept", _("The form is signed and complete")), ("refuse", _("The form cannot be accepted"))]
    reference = forms.CharField(widget=forms.HiddenInput, max_length=9)
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
