"""Sign-in for judges and organizers, with optional two-factor (TOTP)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin


class OptionalOTPAuthenticationForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Password first; then, only for a user who set up an authenticator
    (a confirmed django-otp device), the code is required and checked.
    django-otp's own form asks every user for a code."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned
