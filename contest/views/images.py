"""An entry's images, to whoever may see them."""

from django.http import Http404

from ..models import Rendition
from ..responses import rendition_response
from ..rules import is_published_winner
from .guardian import GUARDIAN_SESSION_KEY, guardian_session_mark


def rendition_serve(request, public_id, kind, fmt):
    """Send one rendition to whoever may see it (organizers, the entry's
    judges, or anyone once it is a published winner, by the
    `contest.view_entry_image` permission; or the browser that opened the
    guardian's link, while that link's secret is still the entry's); 404
    to the rest. The judges' `zoom` rendition goes to organizers only
    (`contest.view_entry_zoom`), the moderators' `photo` (the photo as
    sent) to the contest's organizers and moderators only
    (`contest.view_entry_photo`), both always private."""
    rendition = (
        Rendition.objects.select_related("entry__contest")
        .filter(entry__public_id=public_id, kind=kind, format=fmt)
        .first()
    )
    if rendition is None:
        raise Http404
    if rendition.kind == Rendition.Kind.ZOOM:
        # Never public, not even a published winner's (nor the guardian's).
        if not request.user.has_perm("contest.view_entry_zoom", rendition.entry):
            raise Http404
        return rendition_response(rendition, public=False)
    if rendition.kind == Rendition.Kind.PHOTO:
        # A face or a written name may show on it: moderators only.
        if not request.user.has_perm("contest.view_entry_photo", rendition.entry):
            raise Http404
        return rendition_response(rendition, public=False)
    if not (
        request.user.has_perm("contest.view_entry_image", rendition.entry)
        or guardian_session_mark(rendition.entry) in request.session.get(GUARDIAN_SESSION_KEY, ())
    ):
        raise Http404
    # Whether shared caches may keep it: the rule itself, never the user's
    # permissions (a superuser's view of a private image must stay private).
    return rendition_response(rendition, public=is_published_winner(request.user, rendition.entry))
