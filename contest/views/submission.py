"""The submit form and its receipt: one post makes at most one entry
(`contest.idempotency`), within the rate limits (`contest.ratelimits`)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import chunked, direct_uploads, idempotency, links, selectors, services, sibling
from ..forms import EntrySubmitForm
from ..models import Contest, StagedUpload
from ..ratelimits import guardian_link_mail_limited, limit_link_mail, limit_submissions
from ..text_privacy import text_flag_labels
from ..validators import LOW_RESOLUTION_WARNING
from .guardian import entry_status_context, guardian_session_open, sheet_choice_apply
from .shortcuts import content_for, contest_or_404, get_or_404, language, rate_limited

# The form field that shows a service refusal, by the refusal's code.
REFUSAL_FIELDS = {
    "age": "child_birth_date", "duplicate": "image", "country": "country",
    "relationship": "guardian_relationship", "cap_guardian": "guardian_email",
}


@require_http_methods(["GET", "POST"])
@limit_submissions
def entry_submit(request, slug):
    """The submit form (GET) and its post: a new entry leads to the
    receipt, a refusal shows the form again with its errors (400)."""
    contest = contest_or_404(slug, queryset=Contest.objects.prefetch_related("age_categories"))
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        # Refused before the upload is even looked at.
        status = 403 if request.method == "POST" else 200
        return _submit_page(request, contest, form=None, status=status, closed_message=exc.messages[0])
    if request.method != "POST":
        # "Submit another drawing" from the receipt: the guardian's details
        # kept in the session (contest/sibling.py), never in the URL.
        prefill = sibling.guardian_recall(request.session) if request.GET.get("another") else {}
        form = EntrySubmitForm(contest=contest, initial={"submission_token": uuid.uuid4().hex, **prefill})
        response = _submit_page(request, contest, form=form, consent=_consent(contest), prefilled=bool(prefill))
        if prefill:
            # The guardian's details are in it: no cache keeps this page.
            add_never_cache_headers(response)
        return response
    token = request.POST.get("submission_token", "")
    earlier = idempotency.earlier_reference(request.session, token=token)
    if earlier:
        # A second click on Submit: show the receipt of the first one.
        idempotency.receipt_show(request.session, reference=earlier)
        return redirect("contest:entry_receipt", slug=contest.slug)
    if getattr(request, "limited", False):
        return rate_limited(request, contest=contest)
    return _submit_post(request, contest, token=token)


def _consent(contest):
    return selectors.consent_text_current(contest=contest, language=language())


def _submit_page(request, contest, *, form, status=200, **extra):
    context = {"contest": contest, "content": content_for(contest), "form": form, **extra}
    return render(request, "contest/entry_submit.html", context, status=status)


def _submit_post(request, contest, *, token):
    upload, files = _files_with_upload(request, contest)
    form = EntrySubmitForm(request.POST, files, contest=contest)
    if form.is_robot:
        # The honeypot was filled in: nothing is read or kept.
        _upload_drop(request, upload, files)
        return render(request, "contest/entry_refused.html", {"contest": contest}, status=400)
    if getattr(request, "upload_too_large", False):
        form.refuse_too_large()
    if form.is_valid() and form.text_warning:
        # Not an error: the form comes back once with the warning and a
        # "Send anyway" button; the photo sent in parts is kept.
        return _submit_page(
            request, contest, form=form, consent=_consent(contest), text_warnings=text_flag_labels(form.text_flags)
        )
    if form.is_valid():
        try:
            submitted = idempotency.entry_submit_once(
                request.session, contest=contest, token=token, form=form, language=language()
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(REFUSAL_FIELDS.get(exc.code), message)
        except services.StorageUnavailable:
            # Nothing was saved; a photo that came in chunks is kept, so the
            # same form can be sent again as it is.
            return _storage_unavailable(request, contest, form=form, upload=upload, files=files)
        else:
            _upload_drop(request, upload, files, used=True)
            sibling.guardian_remember(request.session, cleaned_data=form.cleaned_data)
            if submitted.low_resolution:
                messages.warning(request, LOW_RESOLUTION_WARNING)
            return redirect("contest:entry_receipt", slug=contest.slug)
    if "image" in form.errors and form.data.get("upload_id"):
        # A refused photo is not kept: the next one starts afresh. (A
        # refusal of another field keeps it, so it is not sent again.)
        _upload_drop(request, upload, files)
        form.data = form.data.copy()
        form.data["upload_id"] = ""
    return _submit_page(request, contest, form=form, status=400, consent=_consent(contest))


# Seconds the parent is asked to wait before sending the form again.
STORAGE_RETRY_AFTER_SECONDS = 120


def _storage_unavailable(request, contest, *, form, upload, files):
    """The form again, filled in, under "we could not save your drawing,
    please try again in a few minutes" (503 with Retry-After)."""
    if upload is not None:
        files["image"].close()
    response = _submit_page(
        request, contest, form=form, status=503, consent=_consent(contest), storage_unavailable=True,
        upload_kept=upload is not None,
    )
    response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    return response


def _files_with_upload(request, contest):
    """(the chunked upload the post names or None, the files for the form).
    The photo that came in chunks (contest/chunked.py) goes through the
    same form as a plain upload."""
    files = request.FILES
    if "image" in files or not request.POST.get("upload_id"):
        return None, files
    try:
        if direct_uploads.enabled():
            # In the store already, checked when it was completed.
            upload = direct_uploads.upload_get(
                session=request.session, upload_id=request.POST["upload_id"], contest_id=contest.pk)
            if not upload.completed_at:
                return None, files
            image = direct_uploads.StagedImage(upload)
        else:
            upload = chunked.upload_get(
                session=request.session, upload_id=request.POST["upload_id"], contest_id=contest.pk)
            image = chunked.assembled_file(upload)
    except chunked.UploadError:
        return None, files
    files = files.copy()
    files["image"] = image
    return upload, files


def _upload_drop(request, upload, files, *, used=False) -> None:
    """Forget a resumable upload once used (`used`: the entry names a
    direct upload's object, which stays) or refused (its data is deleted);
    `upload` None: nothing to do."""
    if upload is None:
        return
    files["image"].close()
    if not isinstance(upload, StagedUpload):
        chunked.upload_discard(session=request.session, upload=upload)
    elif used:
        direct_uploads.upload_used(staged=upload, session=request.session)
    else:
        direct_uploads.upload_discard(staged=upload, session=request.session)


def _receipt_entry(request, slug):
    return get_or_404(
        selectors.entry_for_receipt(reference=idempotency.receipt_reference(request.session) or "-", slug=slug)
    )


@never_cache
@require_GET
def entry_receipt(request, slug):
    """The receipt of the entry this session just submitted (404 to any
    other): the drawing (or a placeholder while the worker prepares it), the
    reference, the masked e-mail address, the status and what comes next.
    This browser may see the entry's images, as after opening its link."""
    reference = idempotency.receipt_reference(request.session)
    entry = selectors.entry_for_receipt(reference=reference or "-", slug=slug)
    if entry is None and reference:
        # This browser sent it, and it is gone: withdrawn, or deleted by a rule.
        return render(request, "contest/guardian_link_refused.html", {"gone": True, "expired": False}, status=404)
    entry = get_or_404(entry)
    guardian_session_open(request, entry)
    return render(
        request, "contest/entry_receipt.html",
        {"entry": entry, "confirm_days": links.lifetime(links.Purpose.CONFIRM).days, **entry_status_context(entry)},
    )


@require_POST
@limit_link_mail
def entry_receipt_resend(request, slug):
    """'Send the link again' on the receipt page (the session names the entry)."""
    entry = _receipt_entry(request, slug)
    if getattr(request, "limited", False) or guardian_link_mail_limited(request, email=entry.guardian_email):
        return rate_limited(request, contest=entry.contest)
    services.entry_links_resend(entry=entry)
    messages.success(request, _("We sent the link again. Please look in your mailbox (and the spam folder)."))
    return redirect("contest:entry_receipt", slug=slug)


@require_POST
def entry_receipt_sheet(request, slug):
    """"Use my photo as it was" / "Straighten it again" on the receipt page
    (the session names the entry, as for the receipt itself)."""
    entry = _receipt_entry(request, slug)
    bad = sheet_choice_apply(request, entry)
    return bad or redirect("contest:entry_receipt", slug=slug)
