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
