"""HTTP responses that deliver stored images, shared by the public views and
the judges' views (neither app imports the other's views)."""

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from .models import Rendition

CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}


def rendition_response(rendition: Rendition, *, public: bool, redirect_to_store: bool = True):
    """The response that delivers `rendition` once the caller has decided
    who may see it: a redirect to a short-lived signed URL when the files
    are on S3 (unless `redirect_to_store` is False), else the bytes.
    `public` lets shared caches keep it (a published winner); otherwise
    `Cache-Control: private, no-store`. Also used by the judges' image view
    (`judging.views.entry_image`), which streams: a signed URL names the
    storage key, and the key holds the entry's public id."""
    kind, fmt = rendition.kind, rendition.format
    if settings.S3_BUCKET and redirect_to_store:
        # A short-lived signed URL: the bytes come straight from the store.
        response = HttpResponseRedirect(rendition.file.url)
        patch_cache_control(
            response,
            **({"public": True, "max_age": 120} if public else {"private": True, "no_store": True}),
        )
        return response
    response = FileResponse(rendition.file.open("rb"), content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{kind}.{fmt}"'
    if public:
        # Short, so a guardian's withdrawal of publication reaches shared caches soon.
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_IMAGE_CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
