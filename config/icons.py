"""The site's icons at the addresses browsers ask for on their own:
`/favicon.ico` (a redirect to the static file, which WhiteNoise serves
with long caching under its hashed name) and the web app manifest (the
portal's name in the visitor's language and its app icons)."""

from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_safe

# A day: the redirect's target changes only when the icon does.
ICON_CACHE_SECONDS = 24 * 60 * 60
THEME_COLOR = "#0b5cad"
BACKGROUND_COLOR = "#fbfaf7"


@require_safe
def favicon(request):
    """302 to the static favicon.ico (its hashed name in production),
    cacheable for a day by browsers and shared caches."""
    response = HttpResponseRedirect(static("icons/favicon.ico"))
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response


@require_safe
def web_manifest(request):
    """The web app manifest (JSON): the portal's name in the visitor's
    language, its colours and its 192 and 512 px icons (and a maskable one)."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    response = JsonResponse(
        {
            "name": _("Borders through children's eyes"),
            "short_name": _("Children's art contest"),
            "lang": get_language(),
            "start_url": "/",
            "display": "browser",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": icons,
        },
        json_dumps_params={"ensure_ascii": False},
        content_type="application/manifest+json",
    )
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    # The language comes from the visitor's cookie or their browser.
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
