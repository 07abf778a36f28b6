from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.admin_site import SuperuserAdminSite, SuperuserOTPAdminSite
from config.auth import OptionalOTPAdminAuthenticationForm, SignInView, password_reset_request
from config.health import healthz
from config.icons import favicon, web_manifest
from config.two_factor import two_factor_setup

# The admin is for superusers only (`config.admin_site`).
if settings.OTP_REQUIRED_FOR_ADMIN:
    # They must have signed in with their second factor to use it.
    admin.site.__class__ = SuperuserOTPAdminSite
else:
    admin.site.__class__ = SuperuserAdminSite
    # The admin's own sign-in asks for the code too, of users with an
    # authenticator: otherwise they could sign in there with the password alone.
    admin.site.login_form = OptionalOTPAdminAuthenticationForm
    admin.site.login_template = "admin/login_otp.html"

urlpatterns = [
    # The load balancer's health check (JSON; 503 when a service is down).
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Asked for by browsers on their own, whatever the page links.
    path("favicon.ico", favicon, name="favicon"),
    path("site.webmanifest", web_manifest, name="web_manifest"),
    path(settings.ADMIN_URL, admin.site.urls),
    # The code is asked only of users who set up an authenticator (django-otp).
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor sign-in: required for organizers in production, optional for judges.
    path("accounts/two-factor/", two_factor_setup, name="two_factor"),
    # Password reset: Django's views, our templates (templates/registration/);
    # the e-mail is a task queued after the commit.
    path("accounts/password_reset/", password_reset_request, name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # /judging/..., and judging's /organize/<slug>/... and /accounts/... pages.
    path("", include("judging.urls")),
    path("organize/", include("judging.exports.urls")),
    path("organize/", include("judging.organize_urls")),
    path("", include("contest.urls")),
]
