"""Response headers the stock middleware does not set."""

from django.conf import settings


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
