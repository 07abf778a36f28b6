"""Judging pages. Thin: a selector reads (and answers 404 to anyone who may
not see the object), a form cleans, a service writes."""

import csv
from dataclasses import dataclass

from django.conf import settings as site_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contest.models import Entry
from contest.responses import rendition_response

from . import selectors, services
from .forms import (
    AdvanceForm,
    AssignForm,
    AwardsForm,
    CalibrationSetForm,
    ConflictForm,
    PublishForm,
    RoundForm,
    ScoreSheetForm,
    SettingsForm,
)
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
    """The judge's queue: their entries in their own order."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    queue = selectors.judge_queue(contest=contest, user=request.user)
    following = queue.next_unscored()
    context = {
        "contest": contest,
        "queue": queue,
        "round": queue.round,
        "entries": queue.entries,
        "progress": queue.progress,
        "next_entry": following,
    }
    return render(request, "judging/entry_list.html", context)


def _score_locked_message(contest, rnd):
    if contest.results_published:
        return _("The results are published; scores can no longer change.")
    return _("This round is closed; scores can no longer change.")


@login_required
@require_http_methods(["GET", "POST"])
def entry_score(request, slug, entry_token):
    """Score one entry, named by the judge's own token for it; "save and
    next" goes to the judge's next unscored entry. Number keys and Enter
    are enough (static/js/judging-score.js)."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    queue = selectors.judge_queue(contest=contest, user=request.user)
    entry, rnd = queue.entry_for_token(entry_token), queue.round
    if queue.calibration_pending and can_score(request.user, contest):
        messages.info(request, _("Please score the reference drawings first."))
        return redirect("judging:calibration", slug=contest.slug)
    settings = selectors.judging_settings_get(contest=contest)
    criteria = selectors.criterion_list(contest=contest, round_number=rnd.number)
    read_only = not can_score(request.user, contest) or not rnd.is_open
    saved = selectors.score_sheet_for_judge(judge=request.user, entry_id=entry.id, round_number=rnd.number)
    comment = selectors.sheet_comment_for_judge(judge=request.user, entry_id=entry.id, round_number=rnd.number)
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=criteria, initial_points=saved, read_only=read_only, half_points=settings.half_points,
        initial_comment=comment,
    )
    if request.method == "POST" and read_only:
        messages.error(request, _score_locked_message(contest, rnd))
        return redirect("judging:entry_score", slug=contest.slug, entry_token=entry.token)
    if form.is_bound and form.is_valid():
        try:
            services.score_sheet_submit(
                judge=request.user, entry=Entry(pk=entry.id), points=form.points(), comment=form.comment(),
                round_number=rnd.number,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your scores for %(label)s are saved.") % {"label": entry.label})
            following = selectors.judge_queue(contest=contest, user=request.user).next_unscored(after=entry.id)
            if request.POST.get("then") == "list" or following is None:
                return redirect("judging:entry_list", slug=contest.slug)
            return redirect("judging:entry_score", slug=contest.slug, entry_token=following.token)
    position = next((e.position for e in queue.entries if e.id == entry.id), 0)
    context = {
        "contest": contest,
        "entry": entry,
        "round": rnd,
        "form": form,
        "read_only": read_only,
        "position": position,
        "total": len(queue.entries),
        "conflict_form": ConflictForm(),
        "picture": _picture(contest, entry),
        "peer_scores": selectors.peer_scores_for_judge(
            contest=contest, user=request.user, entry=entry, round=rnd, settings=settings
        ),
    }
    return render(request, "judging/entry_score.html", context)


def _picture(contest, entry):
    """The drawing's <picture> data, under the judge's label and token for it."""
    alt = _("Drawing %(label)s") % {"label": entry.label}
    return selectors.display_picture(contest=contest, entry=entry, alt=alt)


@login_required
@require_POST
def entry_abstain(request, slug, entry_token):
    """The judge declares a conflict of interest: the entry leaves their
    queue and their scores for it stop counting."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    entry = selectors.judge_queue(contest=contest, user=request.user).entry_for_token(entry_token)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(judge=request.user, entry=Entry(pk=entry.id), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("judging:entry_score", slug=contest.slug, entry_token=entry.token)
        messages.success(request, _("You abstained from %(label)s; it left your list.") % {"label": entry.label})
    following = selectors.judge_queue(contest=contest, user=request.user).next_unscored()
    if following is None:
        return redirect("judging:entry_list", slug=contest.slug)
    return redirect("judging:entry_score", slug=contest.slug, entry_token=following.token)


@login_required
@require_GET
def calibration(request, slug):
    """The judge's reference drawings; goes straight to the first unscored."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    references = selectors.calibration_queue_for_judge(contest=contest, user=request.user)
    pending = next((e for e in references if not e.is_scored), None)
    if pending is not None and can_score(request.user, contest):
        return redirect("judging:calibration_score", slug=contest.slug, entry_token=pending.token)
    return render(request, "judging/calibration.html", {"contest": contest, "references": references})


@login_required
@require_http_methods(["GET", "POST"])
def calibration_score(request, slug, entry_token):
    """Score one reference drawing, named by the judge's own token for it."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    references = selectors.calibration_queue_for_judge(contest=contest, user=request.user)
    entry = selectors.entry_for_token(entries=references, token=entry_token)
    settings = selectors.judging_settings_get(contest=contest)
    criteria = selectors.criterion_list(contest=contest, round_number=1)
    read_only = not can_score(request.user, contest)
    saved = selectors.calibration_sheet_for_judge(judge=request.user, entry_id=entry.id)
    form = ScoreSheetForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=criteria, initial_points=saved, read_only=read_only, half_points=settings.half_points,
        with_comment=False,
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
        "position": entry.position, "total": len(references), "picture": _picture(contest, entry),
    }
    return render(request, "judging/calibration_score.html", context)


@login_required
@require_GET
def entry_image(request, slug, entry_token, kind, fmt):
    """One rendition of an entry of the judge's queue or reference
    drawings, named by the judge's own token for it (never the public id),
    delivered as the public image view delivers it, always private."""
    contest = selectors.contest_for_judge(user=request.user, slug=slug)
    entry = selectors.entry_visible_to_judge(contest=contest, user=request.user, token=entry_token)
    rendition = selectors.rendition_for_judge(entry=entry, kind=kind, fmt=fmt)
    if rendition is None:
        raise Http404
    return rendition_response(rendition, public=False, redirect_to_store=False)


# --- organizers -----------------------------------------------------------


@dataclass(frozen=True)
class RankingPage:
    """One age category's ranking as shown: `page` of its rows
    (`JUDGING_RESULTS_PAGE_SIZE` per page, from the query parameter
    `page_<category id>`), and the query strings of the pages before and
    after ("" when there is none) keeping every other parameter."""

    block: selectors.CategoryRanking
    page: Page
    previous_query: str
    next_query: str


def _ranking_pages(blocks, params) -> list[RankingPage]:
    # Rank needs every entry of a category, so paging only cuts what is
    # shown: no extra query, and 10,000 drawings stay a light page.
    pages = []
    for block in blocks:
        name = f"page_{block.category.pk}"
        page = Paginator(block.rows, site_settings.JUDGING_RESULTS_PAGE_SIZE).get_page(params.get(name))

        def query(number, name=name):
            changed = params.copy()
            changed[name] = number
            return changed.urlencode()

        pages.append(RankingPage(
            block=block, page=page,
            previous_query=query(page.previous_page_number()) if page.has_previous() else "",
            next_query=query(page.next_page_number()) if page.has_next() else "",
        ))
    return pages


@login_required
@require_http_methods(["GET", "POST"])
def results(request, slug):
    """Organizers: the ranking per age category with agreement, judges'
    distributions, award suggestions and the choice of winners."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    round_number = request.GET.get("round")
    data = selectors.results_for_organizer(
        contest=contest, round_number=int(round_number) if round_number and round_number.isdigit() else None
    )
    read_only = contest.results_published
    form = AwardsForm(request.POST if request.method == "POST" else None, ranking=data.ranking, read_only=read_only)
    if request.method == "POST":
        if read_only:
            messages.error(request, _("The results are published; awards can no longer change."))
            return redirect("judging:results", slug=contest.slug)
        if form.is_valid():
            try:
                services.awards_set(
                    contest=contest, awards=form.awards(), actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The winners are saved."))
                return redirect("judging:results", slug=contest.slug)
    context = {
        "contest": contest, "results": data, "ranking": data.ranking, "form": form,
        "ranking_pages": _ranking_pages(data.ranking, request.GET),
        "read_only": read_only, "settings": data.settings, "round": data.round,
    }
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
            services.results_publish(contest=contest, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The results are published."))
            return redirect("judging:results", slug=contest.slug)
    return render(request, "judging/results_publish.html", {"contest": contest, "form": form})


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def results_csv(request, slug):
    """Organizers: every score of the contest as CSV (streamed)."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    writer = csv.writer(_Echo())
    header = [
        _("round"), _("age category"), _("reference code"), _("title"), _("judge"), _("criterion"), _("weight"),
        _("points"), _("maximum points"), _("conflict of interest"), _("private comment"), _("updated"),
    ]

    def rows():
        yield writer.writerow(header)
        for row in selectors.score_export_rows(contest=contest):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scores-{contest.slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, slug):
    """Organizers: judging settings, the panel, the automatic assignment of
    entries and the declared conflicts of interest."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    settings = selectors.judging_settings_get(contest=contest)
    settings_form = SettingsForm(instance=settings, prefix="settings")
    assign_form = AssignForm(initial={"min_judges": settings.min_judges}, prefix="assign")
    if request.method == "POST" and contest.results_published:
        messages.error(request, _("The results are published; nothing can change any more."))
        return redirect("judging:panel", slug=contest.slug)
    if request.method == "POST" and "settings-normalization" in request.POST:
        settings_form = SettingsForm(request.POST, instance=selectors.judging_settings_get(contest=contest),
                                     prefix="settings")
        if settings_form.is_valid():
            try:
                services.judging_settings_update(contest=contest, actor=request.user, **settings_form.cleaned_data)
            except ValidationError as exc:
                settings_form.add_error(None, exc)
            else:
                messages.success(request, _("The judging settings are saved."))
                return redirect("judging:panel", slug=contest.slug)
    elif request.method == "POST":
        assign_form = AssignForm(request.POST, prefix="assign")
        if assign_form.is_valid():
            try:
                report = services.entries_assign(
                    contest=contest, actor=request.user, min_judges=assign_form.cleaned_data["min_judges"]
                )
            except ValidationError as exc:
                assign_form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(entries)d entries were spread over %(judges)d judges.")
                    % {"entries": report.entries, "judges": report.judges},
                )
                if report.short:
                    messages.warning(
                        request,
                        _("Too few judges for: %(refs)s.") % {"refs": ", ".join(report.short)},
                    )
                return redirect("judging:panel", slug=contest.slug)
    context = {
        "contest": contest,
        "settings_form": settings_form,
        "assign_form": assign_form,
        "panel": selectors.panel_for_organizer(contest=contest),
        "conflicts": selectors.conflict_list(contest=contest),
        "rounds": selectors.round_list(contest=contest),
        "read_only": contest.results_published,
    }
    return render(request, "judging/panel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request, slug):
    """Organizers: open and close the latest round, advance entries."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    ranking = selectors.contest_ranking(contest=contest)
    round_form = RoundForm(prefix="round")
    advance_form = AdvanceForm(ranking=ranking, prefix="advance")
    if request.method == "POST" and contest.results_published:
        messages.error(request, _("The results are published; nothing can change any more."))
        return redirect("judging:rounds", slug=contest.slug)
    if request.method == "POST" and "round-action" in request.POST:
        round_form = RoundForm(request.POST, prefix="round")
        if round_form.is_valid():
            try:
                if round_form.cleaned_data["action"] == "close":
                    services.round_close(contest=contest, actor=request.user)
                else:
                    services.round_open(contest=contest, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("judging:rounds", slug=contest.slug)
    elif request.method == "POST":
        advance_form = AdvanceForm(request.POST, ranking=ranking, prefix="advance")
        if advance_form.is_valid():
            data = advance_form.cleaned_data
            try:
                services.round_advance(
                    contest=contest, actor=request.user, judges=data["judges"], name=data["name"],
                    top_n=data["top_n"] or None, entry_ids=data["entries"] or None,
                )
            except ValidationError as exc:
                advance_form.add_error(None, exc)
            else:
                messages.success(request, _("The new round is open."))
                return redirect("judging:rounds", slug=contest.slug)
    context = {
        "contest": contest,
        "rounds": selectors.round_list(contest=contest),
        "round_form": round_form,
        "advance_form": advance_form,
        "read_only": contest.results_published,
    }
    return render(request, "judging/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calibration_report(request, slug):
    """Organizers: choose the reference drawings and compare the judges'
    mean and spread on them."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
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


@login_required
@require_GET
def audit(request, slug):
    """Organizers: who changed what, and when."""
    contest = selectors.contest_for_organizer(user=request.user, slug=slug)
    page, rows = selectors.audit_page(contest=contest, page=request.GET.get("page"))
    return render(request, "judging/audit.html", {"contest": contest, "page": page, "rows": rows})
