"""A judge flags a drawing for discussion (with a note to the organizers)
or removes the flag, from the score sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest.models import Entry

from .. import selectors, services
from ..forms import DiscussionFlagForm
from .access import contest_or_404, get_or_404


@login_required
@require_POST
def entry_flag(request, slug, entry_token):
    """Flag the entry for discussion (`note`), or with `action=unflag`
    remove the judge's flag; back to the score sheet with a message."""
    contest = contest_or_404(request, slug=slug, perm="judging.judge_contest")
    entry = get_or_404(selectors.judge_queue(contest=contest, user=request.user).entry_for_token(entry_token))
    form = DiscussionFlagForm(request.POST)
    try:
        if request.POST.get("action") == "unflag":
            services.discussion_flag_remove(judge=request.user, entry=Entry(pk=entry.id))
            messages.success(request, _("The flag for discussion of %(label)s is removed.") % {"label": entry.label})
        elif form.is_valid():
            services.discussion_flag_set(judge=request.user, entry=Entry(pk=entry.id), note=form.cleaned_data["note"])
            messages.success(
                request, _("%(label)s is flagged for discussion; the organizers see your note.") % {"label": entry.label}
            )
        else:
            messages.error(request, " ".join(form.errors["note"]))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("judging:entry_score", slug=contest.slug, entry_token=entry.token)
