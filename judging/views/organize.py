"""The organizers' home (`/organize/`): each contest where the signed-in
user holds a role (every contest for a superuser), with that role, its
phase and what is left to do (`judging.selectors.contest_overviews`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contest import selectors as contest_selectors
from contest.models import ContestRole
from contest.rules import contest_role

from .. import selectors
from .access import permitted


@login_required
@require_GET
def organize_home(request):
    """Whoever organizes or moderates a contest, or may create one
    (`contest.open_workspace`): their contests, each with their role, its
    phase and the next things to do, with counts. A 404 for everyone
    else."""
    if not permitted(request.user, "contest.open_workspace"):
        raise Http404
    contests = contest_selectors.contest_list_with_role(user=request.user)
    overviews = selectors.contest_overviews(contests=contests)
    rows = [(overview, ContestRole.Role(contest_role(request.user, overview.contest))) for overview in overviews]
    context = {
        "rows": rows, "may_create": permitted(request.user, "contest.create_contest"),
        "rendering": selectors.rendering_overview(contests=contests),
    }
    return render(request, "judging/organize_home.html", context)
