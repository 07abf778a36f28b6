"""What every step of a contest's setup shares, whichever app's view draws
it (`contest.views.setup` and `judging.views.setup`): the contest the
signed-in organizer may set up, and the "Saved." that leads to the next
step. A plain module, so that neither app's views import the other's."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from .models import Contest

ORGANIZE = "contest.organize_contest"


def settings_contest(request, slug: str, *, queryset: QuerySet | None = None) -> Contest:
    """The contest `slug` (looked up in `queryset`, all contests by
    default) whose settings `request.user` may change; Http404 otherwise
    (unknown slug or refused permission alike)."""
    contest = get_object_or_404(Contest.objects.all() if queryset is None else queryset, slug=slug)
    if not rules.has_perm(ORGANIZE, request.user, contest):
        raise Http404
    return contest


def saved_redirect(request, contest: Contest, next_url_name: str) -> HttpResponseRedirect:
    """Say "Saved." and go on to the step `next_url_name` (a URL name
    taking the contest's slug, e.g. "organize:settings_texts")."""
    messages.success(request, _("Saved."))
    return redirect(next_url_name, slug=contest.slug)
