"""Judges' accounts: the organizers' judges page (invitations and each
judge's progress) and the invitation link, where a judge sets a password
and joins the panel."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from .. import phrases, selectors, services
from ..forms import InvitationForm
from .access import contest_or_404

ORGANIZER = "judging.manage_contest"
# Like Django's password-reset view: the token leaves the URL for the
# session at once, so it never reaches a Referer header.
SESSION_TOKEN = "_judge_invitation_token"
ACCEPT_MARKER = "set-password"


@login_required
@require_http_methods(["GET", "POST"])
def judges(request, slug):
    """Organizers: invite judges by e-mail; who was invited, who accepted,
    and each judge's progress."""
    contest = contest_or_404(request, slug=slug, perm=ORGANIZER)
    categories = selectors.invitation_categories(contest=contest)
    form = InvitationForm(
        request.POST if request.method == "POST" else None, categories=categories,
        initial={"language": request.LANGUAGE_CODE},
    )
    if form.is_bound and form.is_valid():
        try:
            services.invitation_create(contest=contest, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            sent = _("The invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]}
            messages.success(request, sent)
            return redirect("judging:judges", slug=contest.slug)
    context = {
        "contest": contest, "form": form, "invitations": selectors.invitation_list(contest=contest),
        "panel": selectors.panel_for_organizer(contest=contest),
    }
    return render(request, "judging/judges.html", context)


def _in_language(response, language):
    """`response` with the language cookie set to `language`, as the
    language switcher (Django's `set_language`) sets it: the pages after
    it stay in that language for the browser's session."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _speak(request, invitation):
    """Switch this request to the invitation's language (the one its e-mail
    was written in) and return that language's code."""
    language = translation.get_supported_language_variant(invitation.language)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _accepted(request, invitation, form):
    """Accept with the valid `form`'s password and sign the judge in; None
    (the refusal added to the form) when it was accepted meanwhile."""
    try:
        user = services.invitation_accept(
            invitation=invitation, user=form.user, password=form.cleaned_data["new_password1"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    request.session.pop(SESSION_TOKEN, None)
    queue = redirect("judging:entry_list", slug=invitation.contest.slug)
    if user_has_device(user):
        # The link is no way around an authenticator: sign in with the code.
        messages.success(request, _("You are on the panel. Sign in with your new password and your code."))
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={queue.url}")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome to the panel. Your drawings to score are below."))
    return queue


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, uidb64, token):
    """A judge's invitation link: set a password (a new account for a new
    address), then signed in and on the panel. A used, replaced or expired
    link shows a page that says so. A valid link's pages, and the ones
    after them in that browser session, are in the invitation's language
    (its e-mail's), whatever the browser asks for."""
    if token != ACCEPT_MARKER:
        invitation = selectors.invitation_for_link(uidb64=uidb64, token=token)
        if invitation is None:
            return render(request, "judging/invitation_invalid.html", {"message": phrases.INVITATION_INVALID})
        request.session[SESSION_TOKEN] = token
        response = redirect("judging:invitation_accept", uidb64=uidb64, token=ACCEPT_MARKER)
        return _in_language(response, _speak(request, invitation))
    invitation = selectors.invitation_for_link(uidb64=uidb64, token=request.session.get(SESSION_TOKEN, ""))
    if invitation is None:
        return render(request, "judging/invitation_invalid.html", {"message": phrases.INVITATION_INVALID})
    language = _speak(request, invitation)
    user = services.invitation_user(invitation=invitation)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        response = _accepted(request, invitation, form)
        if response is not None:
            return _in_language(response, language)
    context = {"invitation": invitation, "contest": invitation.contest, "form": form, "new_account": user.pk is None,
               "username": user.get_username(), "timeout_days": settings.JUDGE_INVITATION_TIMEOUT // 86400}
    return _in_language(render(request, "judging/invitation_accept.html", context), language)
