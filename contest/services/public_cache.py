"""The version key of a contest's cached public pages."""

from __future__ import annotations

from django.core.cache import cache


def public_cache_clear(*, contest_id: int) -> None:
    """Forget every cached public page of the contest (gallery, entry pages):
    bumps the version that `contest.selectors` puts in their cache keys."""
    key = f"contest:{contest_id}:public-version"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)
