"""Judging pages. Thin: a selector reads (and answers 404 to anyone who may
not see the object), a form cleans, a service writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contest.models import Entry

from . import selectors, services
from .forms import AwardsForm, PublishForm, ScoreSheetForm
from .rules import can_score, is_organizer


@login_required
@require_GET
def home(request):
    """The judge's assigned contests with progress; organizers also get
    every contest's results page."""
    context = {
        "assigned": selectors.contest_list_for_judge(user=request.user),
        "organized": selectors.contest_list_for_organizer() if is_organizer(request.user) else None,
    }
    return render(request, "judging/home.html", context)


@login_required
@require_GET
def entry_list(request, slug):
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    entries = selectors.entry_list_for_judge(contest=contest, user=request.user)
    context = {
        "contest": contest,
        "entries": entries,
        "progress": selectors.judge_progress(entries=entries),
    }
    return render(request, "judging/entry_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_score(request, slug, public_id):
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    entry = selectors.entry_for_judge(contest=contest, user=request.user, public_id=public_id)
    criteria = selectors.criterion_list(contest=contest)
    read_only = not can_score(request.user, contest)
    saved = selectors.score_sheet_for_judge(judge=request.user, entry_id=entry.id)
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=criteria,
        initial_points=saved,
        read_only=read_only,
    )
    if request.method == "POST" and read_only:
        messages.error(request, _("The results are published; scores can no longer change."))
        return redirect("judging:entry_score", slug=contest.slug, public_id=entry.public_id)
    if form.is_bound and form.is_valid():
        try:
            services.score_sheet_submit(judge=request.user, entry=Entry(pk=entry.id), points=form.points())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your scores for “%(title)s” are saved.") % {"title": entry.title})
            return redirect("judging:entry_list", slug=contest.slug)
    context = {"contest": contest, "entry": entry, "form": form, "read_only": read_only}
    return render(request, "judging/entry_score.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def results(request, slug):
    """Organizers: the ranking per age category and the choice of winners."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    ranking = selectors.contest_ranking(contest=contest)
    read_only = contest.results_published
    form = AwardsForm(request.POST if request.method == "POST" else None, ranking=ranking, read_only=read_only)
    if request.method == "POST":
        if read_only:
            messages.error(request, _("The results are published; awards can no longer change."))
            return redirect("judging:results", slug=contest.slug)
        if form.is_valid():
            try:
                services.awards_set(contest=contest, awards=form.awards())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The winners are saved."))
                return redirect("judging:results", slug=contest.slug)
    context = {"contest": contest, "ranking": ranking, "form": form, "read_only": read_only}
    return render(request, "judging/results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def results_publish(request, slug):
    """Organizers: confirm, then publish the results (this locks them)."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    if contest.results_published:
        return redirect("judging:results", slug=contest.slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.results_publish(contest=contest)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The results are published."))
            return redirect("judging:results", slug=contest.slug)
    return render(request, "judging/results_publish.html", {"contest": contest, "form": form})
