"""Who reaches a judging page, decided in one place: a missing object or a
refused permission is a 404 (never a 403), so nobody learns that a contest
or a child's entry exists. The permissions are `judging.rules`'."""

from __future__ import annotations

import rules
from django.http import Http404

from contest.models import Contest

from .. import rules as _judging_rules  # noqa: F401  (registers judging's permissions)
from .. import selectors


def get_or_404(value):
    """`value`, or Http404 when it is None (a selector found nothing)."""
    if value is None:
        raise Http404
    return value


def permitted(user, perm: str, obj=None) -> bool:
    """Whether `user` holds `perm` on `obj` by its rule in `judging.rules`.
    The rule itself (django-rules' `has_perm`), not `User.has_perm`: a
    superuser holds every permission, but is nobody's judge unless on a
    panel, and judging's pages must not pretend otherwise."""
    return rules.has_perm(perm, user, obj)


def contest_or_404(request, *, slug: str, perm: str) -> Contest:
    """The contest `slug` (its translations prefetched) if the signed-in
    user holds `perm` on it ("judging.judge_contest" for the judges' pages,
    "judging.manage_contest" for the organizers'); Http404 otherwise."""
    contest = selectors.contest_get(slug=slug)
    if contest is None or not permitted(request.user, perm, contest):
        raise Http404
    return contest
