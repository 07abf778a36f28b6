"""Whole public pages (home, a contest's page, the winners' gallery, a
winner's page) kept in the default cache for visitors who are not signed
in, one copy per language and address.

What never comes from or goes into it:
- a signed-in user's page (staff, judges: the header names their
  workspaces), and a page for a request with messages waiting to be shown;
- a response other than 200 (a 404 stays a 404, freshly decided);
- an address with a query the view did not recognise as its own
  (`cacheable=False`), so a made-up query can neither fill the cache nor
  put its words into another visitor's page.

Every page carries the language switcher's form and its CSRF token; the
token is cut out before the page is stored and each visitor's own is put
back when it is served (`get_token`, which also sets the visitor's CSRF
cookie), so no visitor ever gets another's token.

Invalidation: every key holds the site's public version, which
`contest.services.public_cache_clear` bumps on each change of a contest,
its results or a winner; a page whose content turns with the clock (a
contest opening or closing) is kept no longer than until then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from hashlib import sha256

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from ..services.public_cache import PUBLIC_SITE_VERSION_KEY

# The stored page's stand-in for the visitor's CSRF token.
CSRF_HOLE = "\x00csrf-token\x00"
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def page_key(request) -> str:
    """The cache key of the request's page: the site's public version, the
    language and the full address (hashed, so any length fits)."""
    version = cache.get_or_set(PUBLIC_SITE_VERSION_KEY, 1, timeout=None)
    address = sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public-page:{version}:{translation.get_language()}:{address}"


def _may_use_cache(request) -> bool:
    """Whether this visitor's page may come from and go into the cache."""
    if request.method != "GET" or request.user.is_authenticated:
        return False
    # len() loads the messages without marking them shown.
    return len(messages.get_messages(request)) == 0


def seconds_to_keep(expires_at: datetime | None) -> int:
    """PUBLIC_PAGE_CACHE_SECONDS, or less when the page turns stale sooner."""
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if expires_at is not None:
        seconds = min(seconds, int((expires_at - timezone.now()).total_seconds()))
    return max(seconds, 0)


def cached_page(
    request, render_page: Callable[[], HttpResponse], *, cacheable: bool = True,
    store_if: Callable[[], bool] | None = None, expires_at: Callable[[], datetime | None] | None = None,
) -> HttpResponse:
    """The page `render_page()` makes, served from the cache when it is
    there (see the module docstring; a page served from the cache costs no
    query) and stored when it was made. `store_if()` and `expires_at()`
    are asked after rendering: whether the address is one the view
    recognises as its own (only such pages are ever stored, so a lookup
    needs no check), and when the page's content turns with the clock
    (or None)."""
    if not (cacheable and _may_use_cache(request)):
        return render_page()
    key = page_key(request)
    stored = cache.get(key)
    if stored is not None:
        content_type, body = stored
        return HttpResponse(body.replace(CSRF_HOLE, get_token(request)), content_type=content_type)
    response = render_page()
    if response.status_code != 200 or response.streaming or (store_if is not None and not store_if()):
        return response
    seconds = seconds_to_keep(expires_at() if expires_at else None)
    if seconds > 0:
        body = _CSRF_VALUE.sub(lambda m: f"{m.group(1)}{CSRF_HOLE}{m.group(3)}", response.content.decode())
        cache.set(key, (response["Content-Type"], body), seconds)
    return response


def next_change(*moments: datetime | None) -> datetime | None:
    """The earliest of `moments` still to come (None when none is)."""
    now = timezone.now()
    return min((m for m in moments if m is not None and m > now), default=None)
