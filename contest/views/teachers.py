"""Teachers' pages: registration and the address's verification, the
batch page (a class's drawings at once), the class page (their entries'
status, never a score) and the printable consent form. A teacher's pages
answer 404 to anyone who is not an approved teacher."""

import rules
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import chunked, direct_uploads, selectors, services
from .. import teacher_batch as batches
from ..links import LinkExpired, LinkInvalid
from ..ratelimits import limit_teacher_uploads
from ..teacher_forms import TeacherBatchForm, TeacherRegisterForm, TeacherRowsFormSet
from ..teacher_sheets import COLUMNS, SheetError, sheet_read
from .shortcuts import content_for, language, permitted_contest_or_404
from .direct_uploads import direct_create
from .uploads import upload_refused, upload_unavailable

ROWS_PREFIX = "rows"


@require_http_methods(["GET", "POST"])
def teacher_register(request):
    """The registration form; a new account gets the verification e-mail."""
    form = TeacherRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.teacher_register(
            email=data["email"], password=data["password"], full_name=data["full_name"], school=data["school"],
            country=data["country"], region=data["region"], language=language(),
        )
        return render(request, "contest/teacher_registered.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "contest/teacher_register.html", {"form": form}, status=status)


@require_GET
def teacher_verify(request, token):
    """The link of the verification e-mail."""
    try:
        teacher = services.teacher_email_verify(token=token)
    except LinkExpired:
        return render(request, "contest/teacher_verified.html", {"expired": True}, status=410)
    except LinkInvalid:
        return render(request, "contest/teacher_verified.html", {"invalid": True}, status=404)
    return render(request, "contest/teacher_verified.html", {"teacher": teacher})


def _batch_page(request, contest, *, form, formset, status=200, results=None):
    context = {
        "contest": contest, "content": content_for(contest), "form": form, "formset": formset, "results": results,
        "columns": list(COLUMNS.values()), "saved": sum(1 for r in results or [] if r.saved),
        "direct_s3": direct_uploads.enabled(),
    }
    return render(request, "contest/teacher_batch.html", context, status=status)


@require_http_methods(["GET", "POST"])
def teacher_batch(request, slug):
    """The batch page (GET) and its post: every row saved or refused on
    its own, and the page again with a result per row."""
    contest = permitted_contest_or_404(request, slug, perm="contest.submit_as_teacher")
    if request.method != "POST":
        return _batch_page(request, contest, form=TeacherBatchForm(), formset=TeacherRowsFormSet(prefix=ROWS_PREFIX))
    form = TeacherBatchForm(request.POST, request.FILES)
    sheet = request.FILES.get("sheet")
    formset = TeacherRowsFormSet(request.POST if not sheet else None, prefix=ROWS_PREFIX)
    if not form.is_valid() or (not sheet and not formset.is_valid()):
        return _batch_page(request, contest, form=form, formset=formset, status=400)
    try:
        rows = (
            sheet_read(name=sheet.name, content=sheet.read(), max_rows=batches.max_rows())
            if sheet else batches.table_rows(formset)
        )
    except SheetError as exc:
        form.add_error("sheet", exc.message)
        return _batch_page(request, contest, form=form, formset=formset, status=400)
    results = batches.batch_submit(
        session=request.session, teacher=request.user.teacher, contest=contest, rows=rows,
        images=form.cleaned_data["images"], scans=form.cleaned_data["scans"], upload_ids=form.upload_id_list(),
        language=language(),
    )
    return _batch_page(
        request, contest, form=TeacherBatchForm(), formset=TeacherRowsFormSet(prefix=ROWS_PREFIX), results=results
    )


@require_http_methods(["POST"])
@limit_teacher_uploads
def teacher_upload_create(request, slug):
    """Start the resumable upload of one photo or scan of a batch (`size`,
    `name`, `type`); its parts then go to the parent's chunk URL
    (`contest:upload_chunk`, the same session). The contest's byte cap.
    With S3 (`direct_uploads.enabled()`) a photo's parts go straight to the
    bucket, as the parent's (`views.direct_uploads`); scans then come with
    the batch's post."""
    contest = permitted_contest_or_404(request, slug, perm="contest.submit_as_teacher")
    if getattr(request, "limited", False):
        return JsonResponse({"error": "limited", "message": _("Too many attempts. Please try again later.")}, status=429)
    if direct_uploads.enabled():
        return direct_create(
            request, contest, refused=lambda exc: upload_refused(exc, contest), unavailable=upload_unavailable,
            max_uploads=chunked.TEACHER_SESSION_MAX_UPLOADS,
        )
    try:
        upload = chunked.upload_start(
            session=request.session, contest_id=contest.pk, size=int(request.POST.get("size", "")),
            name=request.POST.get("name", ""), content_type=request.POST.get("type", ""),
            max_bytes=services.upload_policy(contest=contest).max_bytes,
            max_uploads=chunked.TEACHER_SESSION_MAX_UPLOADS,
        )
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except chunked.UploadError as exc:
        return upload_refused(exc, contest)
    return JsonResponse({"id": upload.id, "offset": 0, "chunk": chunked.CHUNK_BYTES}, status=201)


@require_GET
def teacher_home(request):
    """Where a teacher lands after signing in: the contests open now, each
    with its batch and class pages. 404 to anyone but an approved teacher."""
    if not rules.has_perm("contest.submit_as_teacher", request.user):
        raise Http404
    return render(request, "contest/teacher_home.html", {"contests": selectors.teacher_contests(teacher=request.user.teacher)})


@require_GET
def teacher_class(request, slug):
    """The teacher's entries in the contest with their status (no scores)."""
    contest = permitted_contest_or_404(request, slug, perm="contest.submit_as_teacher")
    entries = selectors.teacher_class_entries(teacher=request.user.teacher, contest=contest)
    return render(request, "contest/teacher_class.html", {"contest": contest, "entries": entries})


@require_GET
def consent_form(request):
    """The paper consent form to print, in the visitor's language."""
    return render(request, "contest/consent_form.html", {"title": _("Consent to take part in the drawing contest")})
