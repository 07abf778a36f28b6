"""The version key of the cached public pages."""

from __future__ import annotations

from django.core.cache import cache

# Every cached public page's key holds this version (contest.views.page_cache).
PUBLIC_SITE_VERSION_KEY = "public:site-version"


def public_cache_clear(*, contest_id: int) -> None:
    """Forget every cached public page that may show the contest (home, its
    page, its gallery, its winners' pages): bumps the site's public
    version, which every cached page's key holds (one version for all:
    the home page shows several contests, and changes are rare). Called
    after the commit of each change of a contest's settings or texts, its
    results (publication), or a winner (withdrawal, publication answer,
    purge)."""
    try:
        cache.incr(PUBLIC_SITE_VERSION_KEY)
    except ValueError:
        cache.set(PUBLIC_SITE_VERSION_KEY, 2, timeout=None)
