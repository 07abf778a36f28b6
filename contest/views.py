"""Public views: thin; forms clean, services write, selectors read."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from . import chunked, imaging, selectors, services
from .forms import EntrySubmitForm
from .models import Contest, Entry, Rendition
from .validators import LOW_RESOLUTION_WARNING, UPLOAD_MESSAGES

CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}


def home(request):
    open_now, published = selectors.contest_list_public()
    return render(request, "contest/home.html", {"open_contests": open_now, "published_contests": published})


def contest_detail(request, slug):
    contest = get_object_or_404(Contest.objects.prefetch_related("age_categories"), slug=slug)
    return render(request, "contest/contest_detail.html", {"contest": contest, "is_open": contest.is_open()})


@require_http_methods(["GET", "POST"])
def entry_submit(request, slug):
    contest = get_object_or_404(Contest.objects.prefetch_related("age_categories"), slug=slug)
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        # Refused before the upload is even looked at.
        return render(
            request,
            "contest/entry_submit.html",
            {"contest": contest, "form": None, "closed_message": exc.messages[0]},
            status=403 if request.method == "POST" else 200,
        )
    tokens = request.session.get("submission_tokens", {})
    status = 200
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        if token and token in tokens:
            # A second click on Submit: show the receipt of the first one.
            request.session["receipt"] = tokens[token]
            return redirect("contest:entry_receipt", slug=contest.slug)
        files, upload = request.FILES, None
        if "image" not in files and request.POST.get("upload_id"):
            # The photo came in chunks (see contest/chunked.py): the same form
            # checks the assembled file.
            try:
                upload = chunked.upload_get(session=request.session, upload_id=request.POST["upload_id"], contest_id=contest.pk)
                files = files.copy()
                files["image"] = chunked.assembled_file(upload)
            except chunked.UploadError:
                upload = None
        form = EntrySubmitForm(request.POST, files, contest=contest)
        if getattr(request, "upload_too_large", False):
            form.refuse_too_large()
        if form.is_valid():
            try:
                entry = services.entry_submit(
                    contest=contest,
                    data=form.submission(),
                    image=form.cleaned_data["image"],
                    image_info=form.image_info,
                    language=translation.get_language() or "en",
                )
            except ValidationError as exc:
                field = {"age": "child_birth_date", "duplicate": "image", "country": "country"}.get(exc.code)
                for message in exc.messages:
                    form.add_error(field, message)
            else:
                if upload is not None:
                    chunked.upload_discard(session=request.session, upload=upload)
                if token:
                    tokens[token] = entry.reference
                    request.session["submission_tokens"] = tokens
                request.session["receipt"] = entry.reference
                if entry.low_resolution:
                    messages.warning(request, LOW_RESOLUTION_WARNING)
                return redirect("contest:entry_receipt", slug=contest.slug)
        if "image" in form.errors and form.data.get("upload_id"):
            # A refused photo is not kept: the next one starts afresh.
            form.data = form.data.copy()
            form.data["upload_id"] = ""
        status = 400
    else:
        form = EntrySubmitForm(contest=contest, initial={"submission_token": uuid.uuid4().hex})
    return render(request, "contest/entry_submit.html", {"contest": contest, "form": form}, status=status)


def _upload_refused(exc: chunked.UploadError):
    if exc.code == "too_large":
        limit = settings.UPLOAD_MAX_BYTES / 1e6
        message = UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE] % {
            "megapixels": f"{settings.UPLOAD_MAX_PIXELS / 1e6:g}", "megabytes": f"{limit:g}"}
        return JsonResponse({"error": "too_large", "message": str(message)}, status=413)
    if exc.code == "offset":
        return JsonResponse({"error": "offset", "offset": exc.offset}, status=409, headers={"Upload-Offset": str(exc.offset)})
    return JsonResponse({"error": exc.code}, status=404 if exc.code == "unknown" else 400)


@require_http_methods(["POST"])
def upload_create(request, slug):
    """Start a resumable upload: `size`, `name` and `type` of the photo."""
    contest = get_object_or_404(Contest, slug=slug)
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        return JsonResponse({"error": "closed", "message": exc.messages[0]}, status=403)
    try:
        size = int(request.POST.get("size", ""))
        upload = chunked.upload_start(session=request.session, contest_id=contest.pk, size=size,
                                      name=request.POST.get("name", ""), content_type=request.POST.get("type", ""))
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except chunked.UploadError as exc:
        return _upload_refused(exc)
    return JsonResponse({"id": upload.id, "offset": 0, "chunk": chunked.CHUNK_BYTES}, status=201)


@require_http_methods(["GET", "HEAD", "PATCH", "POST"])
def upload_chunk(request, slug, upload_id):
    """GET/HEAD: the offset the server holds. PATCH (or POST): append the
    body at `Upload-Offset`."""
    contest = get_object_or_404(Contest, slug=slug)
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
        return _upload_refused(exc)
    response = JsonResponse({"offset": offset, "size": upload.size, "complete": offset == upload.size})
    response["Upload-Offset"] = str(offset)
    response["Cache-Control"] = "no-store"
    return response


def entry_receipt(request, slug):
    reference = request.session.get("receipt")
    entry = get_object_or_404(
        Entry.objects.select_related("contest", "age_category").only(
            "reference", "title", "contest__slug", "contest__title", "age_category__name", "low_resolution",
            "guardian_email", "created_at",
        ),
        reference=reference or "-",
        contest__slug=slug,
    )
    return render(request, "contest/entry_receipt.html", {"entry": entry})


def gallery(request, slug):
    contest = get_object_or_404(Contest, slug=slug, results_published_at__isnull=False)
    return render(
        request, "contest/gallery.html", {"contest": contest, "categories": selectors.winners_for_gallery(contest=contest)}
    )


def entry_detail(request, public_id):
    entry = selectors.entry_public_get(public_id=public_id)
    if entry is None or not request.user.has_perm("contest.view_entry_public", entry):
        raise Http404
    return render(request, "contest/entry_detail.html", {"entry": entry})


def rendition_serve(request, public_id, kind, fmt):
    """Send one rendition to whoever may see it (organizers, the entry's
    judges, or anyone once it is a published winner); 404 to the rest."""
    rendition = (
        Rendition.objects.select_related("entry__contest")
        .filter(entry__public_id=public_id, kind=kind, format=fmt)
        .first()
    )
    if rendition is None or not request.user.has_perm("contest.view_entry_image", rendition.entry):
        raise Http404
    public = request.user.has_perm("contest.view_entry_public", rendition.entry)
    if settings.S3_BUCKET:
        # A short-lived signed URL: the bytes come straight from the store.
        response = HttpResponseRedirect(rendition.file.url)
        patch_cache_control(response, **({"public": True, "max_age": 120} if public else {"private": True, "no_store": True}))
        return response
    response = FileResponse(rendition.file.open("rb"), content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{kind}.{fmt}"'
    if public:
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
