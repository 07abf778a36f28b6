"""The judges' pages: their contests, their queue, the scoring page and
abstaining. Entries are named by the judge's own token for them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contest.models import Entry

from .. import phrases, selectors, services
from ..forms import ConflictForm, DiscussionFlagForm, ScoreSheetForm
from ..rules import images_open_in
from .access import contest_or_404, get_or_404, permitted
from .pictures import SHEET_SIZES, display_picture

JUDGE = "judging.judge_contest"


@login_required
@require_GET
def home(request):
    """The judge's assigned contests with progress; organizers also get
    the results pages of the contests they organize."""
    context = {
        "assigned": selectors.contest_list_for_judge(user=request.user),
        "organized": (
            selectors.contest_list_for_organizer(user=request.user)
            if permitted(request.user, "judging.manage_contest") else None
        ),
    }
    return render(request, "judging/home.html", context)


# The queue's filters (`?show=`); anything else shows every entry.
QUEUE_FILTERS = ("to_score", "scored", "flagged", "abstained")
# Set when a sheet is saved: the next page tells the browser to drop the
# draft it kept of that sheet (static/js/judging-score.js).
SAVED_SHEET_KEY = "judging_sheet_saved"


def _draft_key(request, contest, token: str) -> str:
    """The browser's key for unsaved changes of one sheet: judge, contest, entry token."""
    return f"judging-sheet:{request.user.pk}:{contest.slug}:{token}"


def _saved_draft_key(request, contest) -> str:
    """The draft key of the sheet saved just before this page, once; "" if none."""
    token = request.session.pop(SAVED_SHEET_KEY, "")
    return _draft_key(request, contest, token) if token else ""


def _shown(entries, *, show: str, flags: dict) -> list:
    if show == "to_score":
        return [e for e in entries if not e.is_scored]
    if show == "scored":
        return [e for e in entries if e.is_scored]
    if show == "flagged":
        return [e for e in entries if e.id in flags]
    return list(entries)


@login_required
@require_GET
def entry_list(request, slug):
    """The judge's queue: their entries in their own order as a grid of
    thumbnails, filtered by `?show=` (to_score, scored, flagged,
    abstained), with the progress per age category."""
    contest = contest_or_404(request, slug=slug, perm=JUDGE)
    queue = selectors.judge_queue(contest=contest, user=request.user)
    flags = selectors.discussion_flags_for_judge(contest=contest, user=request.user)
    abstained = selectors.abstained_entries_for_judge(contest=contest, user=request.user)
    show = request.GET.get("show", "")
    show = show if show in QUEUE_FILTERS else ""
    counts = {
        "": len(queue.entries), "to_score": queue.progress.total - queue.progress.scored,
        "scored": queue.progress.scored, "flagged": sum(1 for e in queue.entries if e.id in flags),
        "abstained": len(abstained),
    }
    context = {
        "contest": contest,
        "queue": queue,
        "round": queue.round,
        "entries": [] if show == "abstained" else _shown(queue.entries, show=show, flags=flags),
        "abstained": abstained if show == "abstained" else [],
        "flags": flags,
        "show": show,
        "filters": [(key, counts[key]) for key in ("",) + QUEUE_FILTERS],
        "progress": queue.progress,
        "categories": queue.progress_by_category,
        "next_entry": queue.next_unscored(),
        "saved_draft_key": _saved_draft_key(request, contest),
        "images_shown": images_open_in(contest=contest, round=queue.round),
    }
    return render(request, "judging/entry_list.html", context)


def _score_locked_message(contest):
    return phrases.PUBLISHED_SCORES if contest.results_published else phrases.ROUND_CLOSED_SCORES


def _score_sheet_form(request, *, contest, entry, rnd, settings, read_only) -> ScoreSheetForm:
    criteria = selectors.criterion_list(contest=contest, round_number=rnd.number)
    return ScoreSheetForm(
        request.POST if request.method == "POST" and not read_only else None,
        criteria=criteria, read_only=read_only, half_points=settings.half_points,
        initial_points=selectors.score_sheet_for_judge(judge=request.user, entry_id=entry.id, round_number=rnd.number),
        initial_comment=selectors.sheet_comment_for_judge(
            judge=request.user, entry_id=entry.id, round_number=rnd.number
        ),
    )


def _score_sheet_saved(request, form, *, entry, rnd) -> bool:
    """Save a valid sheet; False (the refusal added to the form) when the
    service refuses it."""
    try:
        services.score_sheet_submit(
            judge=request.user, entry=Entry(pk=entry.id), points=form.points(), comment=form.comment(),
            round_number=rnd.number,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    messages.success(request, _("Your scores for %(label)s are saved.") % {"label": entry.label})
    request.session[SAVED_SHEET_KEY] = entry.token
    return True


def _to_next_entry(request, contest, *, after=None, to_list=False):
    """To the judge's next unscored entry, or their list when none is left."""
    following = selectors.judge_queue(contest=contest, user=request.user).next_unscored(after=after)
    if to_list or following is None:
        return redirect("judging:entry_list", slug=contest.slug)
    return redirect("judging:entry_score", slug=contest.slug, entry_token=following.token)


@login_required
@require_http_methods(["GET", "POST"])
def entry_score(request, slug, entry_token):
    """Score one entry, named by the judge's own token for it; "save and
    next" goes to the judge's next unscored entry. The drawing beside the
    criteria, previous/next in the judge's order, the zoom, the flag for
    discussion and abstaining. Number keys and Enter are enough
    (static/js/judging-score.js, static/js/judging-zoom.js)."""
    contest = contest_or_404(request, slug=slug, perm=JUDGE)
    queue = selectors.judge_queue(contest=contest, user=request.user)
    entry, rnd = get_or_404(queue.entry_for_token(entry_token)), queue.round
    may_score = permitted(request.user, "judging.score_contest", contest)
    if queue.calibration_pending and may_score:
        messages.info(request, phrases.CALIBRATION_FIRST)
        return redirect("judging:calibration", slug=contest.slug)
    settings = selectors.judging_settings_get(contest=contest)
    read_only = not may_score or not rnd.is_open
    form = _score_sheet_form(request, contest=contest, entry=entry, rnd=rnd, settings=settings, read_only=read_only)
    if request.method == "POST" and read_only:
        messages.error(request, _score_locked_message(contest))
        return redirect("judging:entry_score", slug=contest.slug, entry_token=entry.token)
    if form.is_bound and form.is_valid() and _score_sheet_saved(request, form, entry=entry, rnd=rnd):
        return _to_next_entry(request, contest, after=entry.id, to_list=request.POST.get("then") == "list")
    previous, following = queue.neighbours(entry_id=entry.id)
    flag = selectors.discussion_flag_for_judge(user=request.user, entry_id=entry.id)
    context = {
        "contest": contest, "entry": entry, "round": rnd, "form": form, "read_only": read_only,
        "position": entry.position, "total": len(queue.entries), "progress": queue.progress,
        "previous": previous, "next": following, "next_unscored": queue.next_unscored(after=entry.id),
        "conflict_form": ConflictForm(), "flag": flag,
        "flag_form": DiscussionFlagForm(initial={"note": flag.note if flag else ""}),
        "picture": display_picture(contest=contest, entry=entry, sizes=SHEET_SIZES),
        "images_shown": images_open_in(contest=contest, round=rnd),
        "peer_scores": selectors.peer_scores_for_judge(
            contest=contest, user=request.user, entry=entry, round=rnd, settings=settings
        ),
        # The browser keeps unsaved changes under this key (one judge, contest and entry).
        "draft_key": _draft_key(request, contest, entry.token),
        "saved_draft_key": _saved_draft_key(request, contest),
    }
    return render(request, "judging/entry_score.html", context)


@login_required
@require_POST
def entry_abstain(request, slug, entry_token):
    """The judge declares a conflict of interest: the entry leaves their
    queue and their scores for it stop counting."""
    contest = contest_or_404(request, slug=slug, perm=JUDGE)
    entry = get_or_404(selectors.judge_queue(contest=contest, user=request.user).entry_for_token(entry_token))
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(judge=request.user, entry=Entry(pk=entry.id), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("judging:entry_score", slug=contest.slug, entry_token=entry.token)
        messages.success(request, _("You abstained from %(label)s; it left your list.") % {"label": entry.label})
    return _to_next_entry(request, contest)
