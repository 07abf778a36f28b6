"""Calibration pages: the judge's reference drawings and their scoring,
and the organizer's choice of drawings with the judges' comparison."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contest.models import Entry

from .. import selectors, services
from ..forms import CalibrationSetForm, ScoreSheetForm
from .access import contest_or_404, get_or_404, permitted
from .pictures import display_picture


@login_required
@require_GET
def calibration(request, slug):
    """The judge's reference drawings; goes straight to the first unscored."""
    contest = contest_or_404(request, slug=slug, perm="judging.judge_contest")
    references = selectors.calibration_queue_for_judge(contest=contest, user=request.user)
    pending = next((e for e in references if not e.is_scored), None)
    if pending is not None and permitted(request.user, "judging.score_contest", contest):
        return redirect("judging:calibration_score", slug=contest.slug, entry_token=pending.token)
    return render(request, "judging/calibration.html", {"contest": contest, "references": references})


@login_required
@require_http_methods(["GET", "POST"])
def calibration_score(request, slug, entry_token):
    """Score one reference drawing, named by the judge's own token for it."""
    contest = contest_or_404(request, slug=slug, perm="judging.judge_contest")
    references = selectors.calibration_queue_for_judge(contest=contest, user=request.user)
    entry = get_or_404(selectors.entry_for_token(entries=references, token=entry_token))
    settings = selectors.judging_settings_get(contest=contest)
    read_only = not permitted(request.user, "judging.score_contest", contest)
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=selectors.criterion_list(contest=contest, round_number=1), read_only=read_only,
        initial_points=selectors.calibration_sheet_for_judge(judge=request.user, entry_id=entry.id),
        half_points=settings.half_points, with_comment=False,
    )
    if form.is_bound and form.is_valid():
        try:
            services.calibration_sheet_submit(judge=request.user, entry=Entry(pk=entry.id), points=form.points())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            following = next((e for e in references if not e.is_scored and e.id != entry.id), None)
            if following is None:
                messages.success(request, _("Thank you: the reference drawings are scored. You can start judging."))
                return redirect("judging:entry_list", slug=contest.slug)
            return redirect("judging:calibration_score", slug=contest.slug, entry_token=following.token)
    context = {
        "contest": contest, "entry": entry, "form": form, "read_only": read_only,
        "position": entry.position, "total": len(references), "picture": display_picture(contest=contest, entry=entry),
        "images_shown": permitted(request.user, "judging.view_judging_images", contest),
    }
    return render(request, "judging/calibration_score.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calibration_report(request, slug):
    """Organizers: choose the reference drawings and compare the judges'
    mean and spread on them."""
    contest = contest_or_404(request, slug=slug, perm="judging.manage_contest")
    report = selectors.calibration_report(contest=contest)
    choices = [
        (e["id"], f"{e['reference']} · {e['title']}")
        for e in selectors.judgeable_entries(contest=contest).order_by("reference").values("id", "reference", "title")
    ]
    form = CalibrationSetForm(
        request.POST if request.method == "POST" else None, choices=choices,
        initial={"entries": [r["id"] for r in report.references]},
    )
    if form.is_bound and form.is_valid():
        try:
            services.calibration_set(contest=contest, actor=request.user, entry_ids=form.cleaned_data["entries"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The reference drawings are saved."))
            return redirect("judging:calibration_report", slug=contest.slug)
    return render(request, "judging/calibration_report.html", {"contest": contest, "report": report, "form": form})
