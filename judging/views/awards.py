"""The organizers' awards on the results grid: a drawing's place and
special awards (one small form per card, posted here), and the contest's
special awards (add, delete). Each answers with a redirect back to the
results page, the outcome in a message; nothing changes after publication
(`judging.set_awards`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from contest.models import SpecialAward

from .. import phrases, services
from ..award_forms import EntryAwardsForm, SpecialAwardForm
from ..promotion_forms import PromotionForm
from .access import contest_or_404, permitted

SPECIAL_AWARDS_ANCHOR = "special-awards"
PROMOTION_ANCHOR = "promotion"


def _back(contest, query: str = "", anchor: str = ""):
    url = reverse("judging:results", args=[contest.slug])
    return redirect(f"{url}{'?' + query if query else ''}{'#' + anchor if anchor else ''}")


def _refusal(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def results_awards(request, slug):
    """Organizers: save one drawing's place and special awards (the card's
    form on the results grid), then back to that card."""
    contest = contest_or_404(request, slug=slug, perm="judging.view_results")
    award_ids = list(SpecialAward.objects.filter(contest=contest).values_list("pk", flat=True))
    form = EntryAwardsForm(request.POST, award_ids=award_ids)
    if not permitted(request.user, "judging.set_awards", contest):
        messages.error(request, phrases.PUBLISHED_AWARDS)
        return _back(contest)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(contest, form.back_query(), f"entry-{form.data.get('entry', '')}".rstrip("-"))
    data = form.cleaned_data
    try:
        changed = services.entry_awards_set(
            contest=contest, entry_id=data["entry"], place=data["place"], special_award_ids=data["special_awards"],
            actor=request.user, reason=data["reason"],
        )
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The awards of this drawing are saved.") if changed else _("Nothing changed."))
    return _back(contest, form.back_query(), f"entry-{data['entry']}")


@login_required
@require_POST
def special_award_create(request, slug):
    """Organizers: add a special award with its names."""
    contest = contest_or_404(request, slug=slug, perm="judging.view_results")
    if not permitted(request.user, "judging.set_awards", contest):
        messages.error(request, phrases.PUBLISHED_AWARDS)
        return _back(contest)
    form = SpecialAwardForm(request.POST, contest=contest)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(contest, anchor=SPECIAL_AWARDS_ANCHOR)
    try:
        award = services.special_award_create(
            contest=contest, name=form.cleaned_data["name"], names=form.names(), actor=request.user
        )
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The special award “%(name)s” is added.") % {"name": award.name})
    return _back(contest, anchor=SPECIAL_AWARDS_ANCHOR)


@login_required
@require_POST
def special_award_delete(request, slug, award_id):
    """Organizers: delete a special award (taken back from its holders)."""
    contest = contest_or_404(request, slug=slug, perm="judging.view_results")
    if not permitted(request.user, "judging.set_awards", contest):
        messages.error(request, phrases.PUBLISHED_AWARDS)
        return _back(contest)
    try:
        deleted = services.special_award_delete(contest=contest, award_id=award_id, actor=request.user)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        if deleted:
            messages.success(request, _("The special award is deleted."))
    return _back(contest, anchor=SPECIAL_AWARDS_ANCHOR)


@login_required
@require_GET
def results_csv(request, slug):
    """Organizers: the score sheets are made by the worker now; this old
    address leads to the exports page, where they are asked for."""
    contest = contest_or_404(request, slug=slug, perm="judging.export_contest")
    return redirect("exports:exports", slug=contest.slug)


@login_required
@require_POST
def results_promote(request, slug):
    """A national round's organizers: send the top of an age category (or
    the jury's choice) to the regional final; back to the results page
    with the outcome (a tie at the cut is named there, for a choice)."""
    contest = contest_or_404(request, slug=slug, perm="judging.promote_entries")
    categories = list(contest.age_categories.all())
    form = PromotionForm(request.POST, categories=categories)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(contest, anchor=PROMOTION_ANCHOR)
    data = form.cleaned_data
    category = next(c for c in categories if c.pk == data["category"])
    try:
        promoted = services.round_promote(
            round=contest, category=category, quota=data["quota"], actor=request.user,
            references=data["references"] or None,
        )
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, ngettext(
            "%(n)d entry went up to the regional final.", "%(n)d entries went up to the regional final.", len(promoted),
        ) % {"n": len(promoted)})
    return _back(contest, anchor=PROMOTION_ANCHOR)
