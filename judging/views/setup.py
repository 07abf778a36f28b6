"""Judging's steps of a contest's setup (`/organize/<slug>/settings/`):
the rubric (a round's criteria, their weights and maximum points) and the
judges and panels (what `/organize/<slug>/judges/` and
`/judging/<slug>/panel/` manage, summed up and linked). The other steps are
contest's (`contest.views.setup`); both share `contest.setup_pages`,
whose permission this follows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from contest.setup_pages import saved_redirect, settings_contest

from .. import selectors, services
from ..setup_forms import CriterionFormSet


@login_required
@require_http_methods(["GET", "POST"])
def settings_rubric(request, slug):
    """Step 3: the criteria of the contest's latest round. Once the round
    has scores, criteria can be renamed but not added, removed or
    re-weighted; after publication nothing changes."""
    contest = settings_contest(request, slug)
    round_number = selectors.round_current(contest=contest).number
    locked = contest.results_published or selectors.round_has_scores(contest=contest, round_number=round_number)
    formset = CriterionFormSet(
        request.POST if request.method == "POST" else None, instance=contest, round_number=round_number,
        structure_locked=locked, queryset=contest.criteria.filter(round_number=round_number),
    )
    if formset.is_bound and formset.is_valid():
        try:
            services.rubric_save(contest=contest, actor=request.user, round_number=round_number, rows=formset.rows())
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages, error_class="nonform")
        else:
            return saved_redirect(request, contest, "organize:settings_texts")
    invalid = formset.is_bound and (formset.total_error_count() or formset.non_form_errors())
    context = {"contest": contest, "formset": formset, "round_number": round_number, "locked": locked,
               "step": "rubric"}
    return render(request, "judging/setup_rubric.html", context, status=400 if invalid else 200)


@require_GET
@login_required
def settings_judges(request, slug):
    """Step 6: who is on the panels and who was invited, with the links to
    invite judges and to set up the panel."""
    contest = settings_contest(request, slug)
    context = {
        "contest": contest, "panel": selectors.panel_for_organizer(contest=contest),
        "invitations": selectors.invitation_list(contest=contest), "step": "judges",
    }
    return render(request, "judging/setup_judges.html", context)
