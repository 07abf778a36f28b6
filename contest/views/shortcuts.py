"""What every contest view shares: the one place where a missing object
becomes a 404, the contest's texts in the visitor's language, and the
headers of a page reached through a guardian's private link, and the
page of a refused (rate-limited) post."""

import rules
from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.cache import patch_cache_control

from .. import selectors
from ..models import Contest


def get_or_404(found):
    """`found` itself, unless it is None (a selector's "nothing here"):
    then Http404. Selectors return data; this is where absence becomes a
    404."""
    if found is None:
        raise Http404
    return found


def contest_or_404(slug: str, *, queryset: QuerySet | None = None, **filters) -> Contest:
    """The contest with `slug` in `queryset` (all contests by default),
    further narrowed by `filters`; Http404 when there is none."""
    return get_object_or_404(Contest.objects.all() if queryset is None else queryset, slug=slug, **filters)


def permitted_contest_or_404(request, slug: str, *, perm: str) -> Contest:
    """The contest `slug` if the signed-in user holds `perm` on it by its
    rule in `contest.rules` ("contest.organize_contest",
    "contest.moderate_contest", "contest.manage_roles"); Http404 otherwise
    (never 403: nobody learns that the contest exists)."""
    contest = contest_or_404(slug)
    if not rules.has_perm(perm, request.user, contest):
        raise Http404
    return contest


def object_or_404(queryset: QuerySet, **filters) -> Model:
    """The one object of `queryset` matching `filters`; Http404 otherwise."""
    return get_object_or_404(queryset, **filters)


def language() -> str:
    """The visitor's language code (the site's default outside a request)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def content_for(contest: Contest):
    """The contest's title, rules and texts in the visitor's language
    (`selectors.ContestContent`)."""
    return selectors.contest_content(contest=contest, language=language())


def private(response):
    """`response` marked as never to be stored, and never to leak its URL
    (a guardian's token is in it) to another site."""
    patch_cache_control(response, private=True, no_store=True)
    # Not "no-referrer": browsers then post this page's forms with
    # "Origin: null", which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def rate_limited(request, *, contest=None):
    """The page that says "too many tries" (HTTP 429), for a post over one
    of the limits in `contest.ratelimits`, in the visitor's language; for
    a submission it says which limit (`request.limit_hit`: "guardian",
    "browser" or "network")."""
    context = {"contest": contest, "limit": getattr(request, "limit_hit", "")}
    return render(request, "contest/rate_limited.html", context, status=429)
