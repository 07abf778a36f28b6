"""The organizers' judging pages: results and awards, publication, the
panel and assignment, rounds, and the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings as site_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from contest import selectors as contest_selectors

from .. import audit_sentences, phrases, selectors, services
from ..forms import AdvanceForm, AssignForm, AuditFilterForm, AwardsForm, PublishForm, RoundForm, SettingsForm
from ..promotion_forms import PromotionForm
from ..award_forms import SpecialAwardForm
from .access import contest_or_404, permitted

ORGANIZER = "judging.manage_contest"


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


def _shown_rows(params):
    # The rows the page reads in each category: its page of cards and the
    # rows the winners' form offers; the selector loads only those.
    size = site_settings.JUDGING_RESULTS_PAGE_SIZE

    def shown(category_id: int, count: int) -> list[int]:
        page = Paginator(range(count), size).get_page(params.get(f"page_{category_id}"))
        return [*page.object_list, *range(min(count, AwardsForm.CHOICES))]

    return shown


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


def _images_prefix() -> str:
    # The renditions' URLs are this prefix, the entry's public id and
    # "/<kind>.<format>": one reverse() for the page, not four per card.
    sample = uuid.UUID(int=0)
    return reverse("contest:rendition", args=[sample, "card", "webp"]).split(str(sample))[0]


@login_required
@require_http_methods(["GET", "POST"])
def results(request, slug):
    """Organizers: the ranking per age category with agreement, judges'
    distributions, award suggestions and the choice of winners."""
    contest = contest_or_404(request, slug=slug, perm="judging.view_results")
    round_number = request.GET.get("round")
    data = selectors.results_for_organizer(
        contest=contest, round_number=int(round_number) if round_number and round_number.isdigit() else None,
        shown=_shown_rows(request.GET),
    )
    read_only = not permitted(request.user, "judging.set_awards", contest)
    form = AwardsForm(request.POST if request.method == "POST" else None, ranking=data.ranking, read_only=read_only)
    if request.method == "POST":
        if read_only:
            messages.error(request, phrases.PUBLISHED_AWARDS)
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
        "special_awards": data.special_awards, "special_award_form": SpecialAwardForm(contest=contest),
        "back": request.GET.urlencode(), "images": _images_prefix(),
        # A national round: its best entries go up to the regional final from here.
        "promotion_form": PromotionForm(categories=[b.category for b in data.ranking]) if contest.parent_id else None,
        # Promotion waits for the round's judging to be over (`services.round_promote` refuses before).
        "promotion_open": bool(contest.parent_id) and selectors.judging_over(contest=contest),
        "promotion_waits": phrases.ROUND_NOT_FINISHED,
        # Once published: how the e-mails telling every family stand.
        "results_mails": contest_selectors.results_mail_counts(contest=contest) if contest.results_published else None,
    }
    return render(request, "judging/results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def results_publish(request, slug):
    """Organizers: confirm, then publish the results (this locks them)."""
    contest = contest_or_404(request, slug=slug, perm=ORGANIZER)
    if contest.results_published:
        return redirect("judging:results", slug=contest.slug)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.results_publish(
                contest=contest, actor=request.user, override=data["override"], reason=data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The results are published."))
            return redirect("judging:results", slug=contest.slug)
    checklist = selectors.publication_checklist(contest=contest)
    context = {"contest": contest, "form": form, "checklist": checklist, "clear": not any(i.count for i in checklist)}
    return render(request, "judging/results_publish.html", context)


def _settings_saved(request, contest, form) -> bool:
    """Save valid judging settings; False (the refusal added to the form)
    when the service refuses them."""
    try:
        services.judging_settings_update(contest=contest, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("The judging settings are saved."))
    return True


def _entries_assigned(request, contest, form) -> bool:
    """Spread the entries over the panel; False (the refusal added to the
    form) when the service refuses."""
    try:
        report = services.entries_assign(
            contest=contest, actor=request.user, min_judges=form.cleaned_data["min_judges"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(
        request,
        _("%(entries)d entries were spread over %(judges)d judges.")
        % {"entries": report.entries, "judges": report.judges},
    )
    if report.short:
        messages.warning(request, _("Too few judges for: %(refs)s.") % {"refs": ", ".join(report.short)})
    return True


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, slug):
    """Organizers: judging settings, the panel, the automatic assignment of
    entries, the declared conflicts of interest and the judges' flags for
    discussion with their notes."""
    contest = contest_or_404(request, slug=slug, perm=ORGANIZER)
    settings = selectors.judging_settings_get(contest=contest)
    settings_form = SettingsForm(instance=settings, prefix="settings")
    assign_form = AssignForm(initial={"min_judges": settings.min_judges}, prefix="assign")
    if request.method == "POST" and contest.results_published:
        messages.error(request, phrases.PUBLISHED)
        return redirect("judging:panel", slug=contest.slug)
    if request.method == "POST" and "settings-normalization" in request.POST:
        instance = selectors.judging_settings_get(contest=contest)
        settings_form = SettingsForm(request.POST, instance=instance, prefix="settings")
        if settings_form.is_valid() and _settings_saved(request, contest, settings_form):
            return redirect("judging:panel", slug=contest.slug)
    elif request.method == "POST":
        assign_form = AssignForm(request.POST, prefix="assign")
        if assign_form.is_valid() and _entries_assigned(request, contest, assign_form):
            return redirect("judging:panel", slug=contest.slug)
    context = {
        "contest": contest,
        "settings_form": settings_form,
        "assign_form": assign_form,
        "panel": selectors.panel_for_organizer(contest=contest),
        "conflicts": selectors.conflict_list(contest=contest),
        "flags": selectors.discussion_flag_list(contest=contest),
        "rounds": selectors.round_list(contest=contest),
        "read_only": contest.results_published,
    }
    return render(request, "judging/panel.html", context)


def _round_toggled(request, contest, form) -> None:
    """Close or reopen the latest round; a refusal becomes an error message."""
    try:
        if form.cleaned_data["action"] == "close":
            services.round_close(contest=contest, actor=request.user)
        else:
            services.round_open(contest=contest, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


def _round_advanced(request, contest, form) -> bool:
    """Start the next round; False (the refusal added to the form) when the
    service refuses."""
    data = form.cleaned_data
    try:
        services.round_advance(
            contest=contest, actor=request.user, judges=data["judges"], name=data["name"],
            top_n=data["top_n"] or None, entry_ids=data["entries"] or None,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("The new round is open."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request, slug):
    """Organizers: open and close the latest round, advance entries."""
    contest = contest_or_404(request, slug=slug, perm=ORGANIZER)
    ranking = selectors.contest_ranking(contest=contest)
    round_form = RoundForm(prefix="round")
    advance_form = AdvanceForm(ranking=ranking, prefix="advance")
    if request.method == "POST" and contest.results_published:
        messages.error(request, phrases.PUBLISHED)
        return redirect("judging:rounds", slug=contest.slug)
    if request.method == "POST" and "round-action" in request.POST:
        round_form = RoundForm(request.POST, prefix="round")
        if round_form.is_valid():
            _round_toggled(request, contest, round_form)
            return redirect("judging:rounds", slug=contest.slug)
    elif request.method == "POST":
        advance_form = AdvanceForm(request.POST, ranking=ranking, prefix="advance")
        if advance_form.is_valid() and _round_advanced(request, contest, advance_form):
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
@require_GET
def audit(request, slug):
    """Organizers: who changed what, and when, filtered by person, kind and
    days (query parameters, so a filtered view is a URL to share)."""
    contest = contest_or_404(request, slug=slug, perm=ORGANIZER)
    form = AuditFilterForm(request.GET, actors=selectors.audit_actors(contest=contest))
    filters = selectors.AuditFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilter(
            actor_id=data["actor"], action=data["action"], since=data["since"], until=data["until"]
        )
    page, rows = selectors.audit_page(contest=contest, page=request.GET.get("page"), filters=filters)
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "contest": contest, "page": page, "rows": rows, "lines": audit_sentences.audit_lines(rows, contest=contest), "form": form,
        "query": kept.urlencode(),
    }
    return render(request, "judging/audit.html", context)
