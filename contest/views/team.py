"""The team page of a contest (`/organize/<slug>/team/`): its organizers
give the organizer or moderator role to existing accounts and take roles
away (a contest keeps at least one organizer). Anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import RoleGrantForm, RoleRevokeForm
from ..models import ContestRole
from ..rules import contest_roles_forget
from .shortcuts import permitted_contest_or_404


def _granted(request, contest, form) -> bool:
    """Give the valid `form`'s role; False (the refusal added to the form)
    when the service refuses it."""
    person, role = form.cleaned_data["person"], form.cleaned_data["role"]
    try:
        services.role_grant(contest=contest, user=person, role=role, actor=request.user)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    if role == ContestRole.Role.ORGANIZER:
        done = _("%(person)s is now an organizer of this contest.")
    else:
        done = _("%(person)s is now a moderator of this contest.")
    messages.success(request, done % {"person": person.get_username()})
    return True


def _revoked(request, contest, form) -> None:
    """Take the valid `form`'s role away; a refusal becomes an error message."""
    try:
        removed = services.role_revoke(contest=contest, role_id=form.cleaned_data["revoke"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    contest_roles_forget(request.user)
    if removed.role == ContestRole.Role.ORGANIZER:
        done = _("%(person)s is no longer an organizer of this contest.")
    else:
        done = _("%(person)s is no longer a moderator of this contest.")
    messages.success(request, done % {"person": removed.user.get_username()})


@login_required
@require_http_methods(["GET", "POST"])
def team(request, slug):
    """Organizers: who holds which role in the contest; give a role by
    username or e-mail address, take one away."""
    contest = permitted_contest_or_404(request, slug, perm="contest.manage_roles")
    form = RoleGrantForm(contest=contest)
    if request.method == "POST" and "revoke" in request.POST:
        revoke = RoleRevokeForm(request.POST)
        if revoke.is_valid():
            _revoked(request, contest, revoke)
        return redirect("contest:team", slug=contest.slug)
    if request.method == "POST":
        form = RoleGrantForm(request.POST, contest=contest)
        if form.is_valid() and _granted(request, contest, form):
            return redirect("contest:team", slug=contest.slug)
    context = {"contest": contest, "form": form, "team": selectors.contest_team(contest=contest)}
    return render(request, "contest/team.html", context, status=400 if form.errors else 200)
