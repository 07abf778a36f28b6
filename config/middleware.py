"""Response headers the stock middleware does not set."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy`: the portal needs no camera, microphone,
    location or other powerful feature, so every page turns them off (a
    child's browser never even asks)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


def private_cache_control(response):
    """`response` with `Cache-Control: private, no-store` (any `public`,
    `max-age` or `s-maxage` removed, other directives kept)."""
    dropped = {"public", "private", "no-store", "max-age", "s-maxage"}
    kept = [
        d.strip() for d in response.get("Cache-Control", "").split(",")
        if d.strip() and d.split("=")[0].strip().lower() not in dropped
    ]
    response["Cache-Control"] = ", ".join(["private", "no-store", *kept])
    return response


class PrivatePagesNoStoreMiddleware:
    """The one place that keeps private pages out of every cache: a response
    under a path of `PRIVATE_PATH_PREFIXES` (staff, judges, guardians,
    accounts, the admin), or from a view named in `PRIVATE_URL_NAMES`
    (a submitter's receipt), is sent with `Cache-Control: private,
    no-store`, whatever the view set. Public pages keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.PRIVATE_PATH_PREFIXES)
        self.names = frozenset(settings.PRIVATE_URL_NAMES)

    def is_private(self, request) -> bool:
        """Whether the request's page is private (see the class)."""
        if request.path_info.startswith(self.prefixes):
            return True
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in self.names

    def __call__(self, request):
        response = self.get_response(request)
        if self.is_private(request):
            private_cache_control(response)
        return response


class PublicPagesGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its Heal-the-BREACH padding: up to 100 random
    bytes in each response's gzip header) for the public HTML pages only:
    never a response marked private (staff, judge, guardian, account and
    receipt pages: `PrivatePagesNoStoreMiddleware` marks them, so this sits
    before it in MIDDLEWARE) and never anything but text/html (WhiteNoise
    sends static files precompressed; images do not shrink). A public page
    holds no secret but the CSRF token of its language switcher, which
    Django masks afresh in every response; private pages hold personal
    data beside reflected input (search fields), so they are sent as they
    are. The proxy in front (docker-compose.yml) does not compress."""

    def process_response(self, request, response):
        cache_control = response.get("Cache-Control", "")
        if "private" in cache_control or "no-store" in cache_control:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
