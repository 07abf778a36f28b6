"""The organizers' home (`/organize/`): every contest with its phase and
what is left to do (`judging.selectors.contest_overviews`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from .access import permitted


@login_required
@require_GET
def organize_home(request):
    """Organizers: each contest's phase and the next things to do, with
    counts. A 404 for everyone else."""
    if not permitted(request.user, "judging.manage_contest"):
        raise Http404
    return render(request, "judging/organize_home.html", {
        "overviews": selectors.contest_overviews(), "rendering": selectors.rendering_overview(),
    })
