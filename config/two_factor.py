"""Two-factor sign-in (TOTP, django-otp): the page where a signed-in user
sets up an authenticator app, and the rule that organizers must use one.

Who must: `config.auth.requires_otp` (staff and superusers today), while
`settings.STAFF_OTP_REQUIRED` is on (production's default). Such a user
without a confirmed device can reach only this page (and signing out)
until they set one up; one with a device who signed in without its code
is signed out (`StaffOTPRequiredMiddleware`). Judges and everyone else may
opt in here. No QR library is installed: the page shows the `otpauth://`
URI and the secret to type into the app.
"""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.auth import requires_otp

DEVICE_NAME = "authenticator"


class OTPCodeForm(forms.Form):
    """The 6-digit code of `device`, checked with django-otp (drift and
    throttling included)."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip().replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(_("This code is not right. Type the 6 digits your app shows now."))
        return token


def otp_required_for(user) -> bool:
    """Whether `user` must sign in with a code now: `requires_otp` and the
    `STAFF_OTP_REQUIRED` setting."""
    return bool(getattr(settings, "STAFF_OTP_REQUIRED", False)) and requires_otp(user)


def device_confirmed(*, user) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None (one query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_pending(*, user) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed, with its own
    random key), made on first call; the same one until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up (or, where not required, turn off) two-factor sign-in. Three
    or four queries."""
    confirmed = device_confirmed(user=request.user)
    required = otp_required_for(request.user)
    if confirmed is not None:
        form = OTPCodeForm(request.POST or None, device=confirmed)
        if request.method == "POST" and not required and form.is_valid():
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor")
        context = {"confirmed": True, "required": required, "form": form}
        return render(request, "registration/two_factor.html", context, status=400 if form.errors else 200)
    device = device_pending(user=request.user)
    form = OTPCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is on: from now on, signing in asks for the code."))
        return redirect(_next_url(request))
    context = {
        "confirmed": False, "required": required, "form": form, "otpauth_uri": device.config_url,
        "secret": base64.b32encode(device.bin_key).decode(), "next": _next_url(request),
    }
    return render(request, "registration/two_factor.html", context, status=400 if form.errors else 200)


class StaffOTPRequiredMiddleware:
    """While `STAFF_OTP_REQUIRED` is on, a user for whom `requires_otp`
    holds and whose session was not verified with a code may only set up
    an authenticator (when they have none: every page leads to
    `two_factor`) or sign in again (when they have one: signed out, back
    to the sign-in page). Static files, the language switch and signing
    out always pass. After django-otp's `OTPMiddleware`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not otp_required_for(user) or user.is_verified():
            return self.get_response(request)
        path = request.path_info
        free = [reverse("two_factor"), reverse("logout"), reverse("set_language"), "/" + settings.STATIC_URL.lstrip("/")]
        if any(path.startswith(p) for p in free):
            return self.get_response(request)
        if device_confirmed(user=user) is None:
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        logout(request)
        return redirect_to_login(request.get_full_path())
