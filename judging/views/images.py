"""The judges' image view: an entry's renditions under the judge's own
token for it (organizers and the public use `contest:rendition`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from contest.responses import rendition_response

from .. import selectors
from .access import contest_or_404, get_or_404


@login_required
@require_GET
def entry_image(request, slug, entry_token, kind, fmt):
    """One rendition of an entry of the judge's queue or reference
    drawings, named by the judge's own token for it (never the public id),
    delivered as the public image view delivers it, always private; only
    while the judge's round is open (`judging.view_judging_images`): a
    closed round or published results answer 404."""
    contest = contest_or_404(request, slug=slug, perm="judging.view_judging_images")
    entry = get_or_404(selectors.entry_visible_to_judge(contest=contest, user=request.user, token=entry_token))
    rendition = get_or_404(selectors.rendition_for_judge(entry=entry, kind=kind, fmt=fmt))
    return rendition_response(rendition, public=False, redirect_to_store=False)
