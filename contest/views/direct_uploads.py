"""The resumable upload's JSON answers when the photo goes straight to S3
(`contest.direct_uploads`; the same URLs as the chunked path, which the
views in `uploads` hand over to these when `direct_uploads.enabled()`).

- POST uploads/: 201 `{"id", "mode": "s3", "size", "part_size", "done": [],
  "parts": [{"number", "url"}]}`; the browser PUTs each part to its URL.
- GET uploads/<id>/: the same shape, "done" the parts S3 holds and "parts"
  fresh URLs for the others (after a dropped connection, from any node).
- POST uploads/<id>/: S3 assembles the parts and the portal checks the
  object: 200 `{"complete": true}`; 409 while parts are missing; 422 with
  the refusal's message for a file the portal does not take (deleted).
"""

from botocore.exceptions import ClientError
from django.http import JsonResponse

from .. import direct_uploads, imaging, services
from ..chunked import SESSION_MAX_UPLOADS, UploadError
from ..services.filestore import STORAGE_ERRORS
from ..validators import UPLOAD_MESSAGES

_GONE = ("NoSuchUpload", "NoSuchKey", "404")


def _answer(staged, status=200):
    data = {"id": staged.id, "mode": "s3", **direct_uploads.upload_status(staged)}
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _policy_params(contest):
    policy = services.upload_policy(contest=contest)
    return policy, {"megapixels": f"{policy.max_pixels / 1e6:g}", "megabytes": f"{policy.max_bytes / 1e6:g}"}


def direct_create(request, contest, *, refused, unavailable, max_uploads=SESSION_MAX_UPLOADS):
    """Open a multipart upload (`size`, `type`, `name` posted). `refused(exc)`
    and `unavailable()` are the chunked path's answers for refusals and a
    store that is down; the session keeps its last `max_uploads` uploads."""
    try:
        staged = direct_uploads.upload_start(
            session=request.session, contest=contest, size=int(request.POST.get("size", "")),
            content_type=request.POST.get("type", ""), max_bytes=_policy_params(contest)[0].max_bytes,
            file_name=request.POST.get("name", ""), max_uploads=max_uploads,
        )
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except UploadError as exc:
        return refused(exc)
    except STORAGE_ERRORS:
        return unavailable()
    return _answer(staged, status=201)


def direct_step(request, contest, upload_id, *, refused, unavailable):
    """GET/HEAD: the parts held and fresh URLs; POST: complete and check."""
    try:
        staged = direct_uploads.upload_get(session=request.session, upload_id=upload_id, contest_id=contest.pk)
        if request.method in ("GET", "HEAD"):
            return _answer(staged)
        if request.method != "POST":
            return JsonResponse({"error": "bad_request"}, status=400)
        policy, params = _policy_params(contest)
        try:
            direct_uploads.upload_complete(staged=staged, policy=policy, session=request.session)
        except imaging.ImageRejected as exc:
            message = UPLOAD_MESSAGES[exc.reason] % params
            return JsonResponse({"error": "image", "reason": str(exc.reason), "message": str(message)}, status=422)
    except UploadError as exc:
        if exc.code == "offset":
            return JsonResponse({"error": "offset", "offset": exc.offset}, status=409)
        return refused(exc)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _GONE:
            return JsonResponse({"error": "unknown"}, status=404)
        return unavailable()
    except STORAGE_ERRORS:
        return unavailable()
    return JsonResponse({"id": staged.id, "mode": "s3", "complete": True}, headers={"Cache-Control": "no-store"})
