"""Resumable uploads of the photo (JSON endpoints for the submit form's
script): in chunks to a shared disk (`contest.chunked`) or, with S3,
straight from the browser to the bucket (`contest.direct_uploads`, answered
by `views.direct_uploads` on the same URLs)."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import chunked, direct_uploads, imaging, services
from ..ratelimits import limit_uploads
from ..validators import UPLOAD_MESSAGES
from .direct_uploads import direct_create, direct_step
from .shortcuts import contest_or_404


def upload_refused(exc: chunked.UploadError, contest):
    """The JSON answer to a refused upload or chunk (413, 409, 404 or 400)."""
    if exc.code == "too_large":
        policy = services.upload_policy(contest=contest)
        message = UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE] % {
            "megapixels": f"{policy.max_pixels / 1e6:g}", "megabytes": f"{policy.max_bytes / 1e6:g}"}
        return JsonResponse({"error": "too_large", "message": str(message)}, status=413)
    if exc.code == "offset":
        return JsonResponse({"error": "offset", "offset": exc.offset}, status=409, headers={"Upload-Offset": str(exc.offset)})
    return JsonResponse({"error": exc.code}, status=404 if exc.code == "unknown" else 400)


def upload_unavailable():
    """503 with Retry-After: the upload folder cannot take data now."""
    message = _("We could not save your drawing. Please try again in a few minutes.")
    return JsonResponse({"error": "storage", "message": str(message)}, status=503, headers={"Retry-After": "120"})


@limit_uploads
@require_http_methods(["POST"])
def upload_create(request, slug):
    """Start a resumable upload: `size`, `name` and `type` of the photo."""
    contest = contest_or_404(slug)
    if getattr(request, "limited", False):
        return JsonResponse({"error": "limited", "message": _("Too many attempts. Please try again later.")}, status=429)
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        return JsonResponse({"error": "closed", "message": exc.messages[0]}, status=403)
    if direct_uploads.enabled():
        return direct_create(request, contest, refused=lambda exc: upload_refused(exc, contest),
                             unavailable=upload_unavailable)
    try:
        size = int(request.POST.get("size", ""))
        upload = chunked.upload_start(session=request.session, contest_id=contest.pk, size=size,
                                      name=request.POST.get("name", ""), content_type=request.POST.get("type", ""),
                                      max_bytes=services.upload_policy(contest=contest).max_bytes)
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except chunked.UploadError as exc:
        return upload_refused(exc, contest)
    except OSError:
        return upload_unavailable()
    return JsonResponse({"id": upload.id, "offset": 0, "chunk": chunked.CHUNK_BYTES}, status=201)


@require_http_methods(["GET", "HEAD", "PATCH", "POST"])
def upload_chunk(request, slug, upload_id):
    """GET/HEAD: the offset the server holds. PATCH (or POST): append the
    body at `Upload-Offset`. (With S3: the parts held, or complete.)"""
    contest = contest_or_404(slug)
    if direct_uploads.enabled():
        return direct_step(request, contest, upload_id, refused=lambda exc: upload_refused(exc, contest),
                           unavailable=upload_unavailable)
    try:
        upload = chunked.upload_get(session=request.session, upload_id=upload_id, contest_id=contest.pk)
        if request.method in ("GET", "HEAD"):
            offset = upload.offset()
        else:
            offset = chunked.chunk_append(upload=upload, offset=int(request.headers.get("Upload-Offset", "-1")),
                                          data=request.body)
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except chunked.UploadError as exc:
        return upload_refused(exc, contest)
    except OSError:
        # A full or read-only disk: what arrived so far is kept, and the
        # offset (GET) tells the script where to go on from.
        return upload_unavailable()
    response = JsonResponse({"offset": offset, "size": upload.size, "complete": offset == upload.size})
    response["Upload-Offset"] = str(offset)
    response["Cache-Control"] = "no-store"
    return response
