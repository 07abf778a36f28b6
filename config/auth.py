"""Sign-in for judges and organizers, with optional two-factor (TOTP).

Both sign-in pages, the site's (`accounts/login/`) and the admin's, use the
same rule, so the admin's page is no way around an authenticator.

After signing in without a `next` page, organizers land on their home
(`/organize/`), approved teachers on theirs (`/teachers/`) and everyone else
on the judges' (`settings.LOGIN_REDIRECT_URL`):
`SignInView.get_default_redirect_url`. A `next` page always wins."""

import logging

import rules
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_ratelimit.core import is_ratelimited

from contest.ratelimits import limit_link_mail, normalized_email, rate
from contest.views.shortcuts import rate_limited
from judging.services import password_reset_mail_queue

logger = logging.getLogger(__name__)


def requires_otp(user) -> bool:
    """Whether `user` is one who must sign in with a second factor when
    `settings.STAFF_OTP_REQUIRED` is on (see `config.two_factor`): staff
    and superusers, and whoever may open the organizers' workspace (an
    organizer or moderator of some contest, or one who may create
    contests: `contest.open_workspace`). The one place that says who."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff or user.is_superuser or rules.has_perm("contest.open_workspace", user))


class OptionalOTPMixin(OTPAuthenticationFormMixin, forms.Form):
    """Password first; then, only for a user who set up an authenticator
    (a confirmed django-otp device), the code is required and checked.
    django-otp's own forms ask every user for a code."""

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


class OptionalOTPAuthenticationForm(OptionalOTPMixin, AuthenticationForm):
    """The site's sign-in (`accounts/login/`)."""


class OptionalOTPAdminAuthenticationForm(OptionalOTPMixin, AdminAuthenticationForm):
    """The admin's sign-in: staff only (AdminAuthenticationForm), and the
    code for a user with an authenticator."""


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form whose e-mail is a Celery task queued
    after the commit (`judging.services.password_reset_mail_queue`), in the
    language of the request: the request never sends mail itself. The
    worker makes the link (Django's token) and writes the e-mail."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        password_reset_mail_queue(user_id=context["user"].pk, language=get_language())


class PasswordResetRequestView(PasswordResetView):
    """Django's password-reset request with the link e-mails' rate limits:
    over `RATELIMIT_LINKS_IP` from one address the page says "too many
    tries" (429); over `RATELIMIT_LINKS_GUARDIAN` for one address no more
    e-mails go out, and the page answers as for an unknown address, so it
    never tells whether an account exists."""

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return rate_limited(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = normalized_email(form.cleaned_data["email"])
        if is_ratelimited(
            self.request, group="password-reset-email", key=lambda group, request: email,
            rate=rate("RATELIMIT_LINKS_GUARDIAN"), method="POST", increment=True,
        ):
            logger.info("password reset e-mails to one address are over their rate limit; none sent")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset_request = limit_link_mail(PasswordResetRequestView.as_view())


class SignInView(LoginView):
    """The site's sign-in page: the code is asked only of users with an
    authenticator; where to go afterwards depends on who signed in."""

    authentication_form = OptionalOTPAuthenticationForm

    def get_default_redirect_url(self):
        """Organizers and moderators of a contest, and whoever may create
        one (`contest.open_workspace`), go to `/organize/`; judges and
        everybody else to `LOGIN_REDIRECT_URL` (the judges' home), used
        only without a `next` page."""
        if rules.has_perm("contest.open_workspace", self.request.user):
            return reverse("organize:home")
        if rules.has_perm("contest.submit_as_teacher", self.request.user):
            return reverse("contest:teacher_home")
        return super().get_default_redirect_url()
