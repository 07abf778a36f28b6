"""The guardian's pages. No account: the link in the e-mail is the key (it
carries the entry's link secret, see `contest.links`), and every answer is
private (`shortcuts.private`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import certificates, links, selectors, services
from ..certificates.pages import certificate_page
from ..forms import LinkRequestForm, PublicationForm, WithdrawForm
from ..guardian_forms import DrawingReplaceForm, EntryDetailsForm, details_initial
from ..masking import email_mask
from ..ratelimits import guardian_link_mail_limited, limit_link_mail
from ..text_privacy import text_flag_labels
from ..validators import LOW_RESOLUTION_WARNING
from .shortcuts import private, rate_limited

# The entries whose guardian's link this browser opened: their images are
# shown on the guardian's page, so the image view serves them to this session,
# while the links it opened still work (`guardian_session_mark`).
GUARDIAN_SESSION_KEY = "guardian_entries"


def guardian_session_mark(entry) -> str:
    """What the session keeps of an entry whose guardian page it opened:
    the public id and the start of the current link secret's hash, so new
    links (a new secret) end this browser's view of the images too."""
    return f"{entry.public_id}:{entry.link_secret_hash[:16]}"


def _refused(request, **why):
    status = 410 if why.get("expired") else 404
    return None, None, render(request, "contest/guardian_link_refused.html", {"expired": False, **why}, status=status)


def _link_entry(request, token, purpose):
    """(entry, the link's plain secret, None) for a good link, else (None,
    None, the page that says why). A well-signed link whose secret is not
    the entry's current one (replaced by newer links) is refused as
    expired: the page offers to ask for new links."""
    try:
        claim = links.token_read(token=token, purpose=purpose)
    except links.LinkExpired:
        return _refused(request, expired=True)
    except links.LinkInvalid:
        return _refused(request)
    entry = selectors.entry_for_guardian(public_id=claim.public_id)
    if entry is None:
        return _refused(request, gone=True)
    if not links.secret_matches(secret=claim.secret, stored_hash=entry.link_secret_hash):
        return _refused(request, expired=True)
    return entry, claim.secret, None


@require_http_methods(["GET", "POST"])
def guardian_confirm(request, token):
    """The link from the e-mail. A GET only shows a button, so mail scanners
    that open links never confirm in the guardian's place. It confirms and
    nothing else: the guardian's own page is the other link of the e-mail."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.CONFIRM)
    if refused:
        return private(refused)
    if request.method == "POST":
        services.entry_confirm(entry=entry)
        # The page itself says so (one message, whether just now or before).
        return private(redirect("contest:guardian_confirm", token=token))
    return private(render(request, "contest/guardian_confirm.html", {"entry": entry}))


def entry_status_context(entry) -> dict:
    """What the status block (`contest/_entry_status.html`) of the receipt
    and the guardian's page shows: `status` (`selectors.EntryStatus`) and
    the masked e-mail address the links went to."""
    return {"status": selectors.entry_status(entry=entry), "masked_email": email_mask(entry.guardian_email)}


def guardian_session_open(request, entry) -> None:
    """Let this browser see the entry's images (`images.rendition_serve`)
    while the entry's current links work; the last ten entries are kept."""
    mark = guardian_session_mark(entry)
    seen = [p for p in request.session.get(GUARDIAN_SESSION_KEY, []) if p != mark]
    request.session[GUARDIAN_SESSION_KEY] = [*seen[-9:], mark]


@require_GET
def guardian_entry(request, token):
    """The guardian's page: the drawing, the status in plain words and what
    comes next, links to change the entry before the closing time,
    publication answers, withdrawal and data download."""
    entry, secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    guardian_session_open(request, entry)
    context = {
        "entry": entry,
        "token": token,
        **entry_status_context(entry),
        "publication_form": PublicationForm(
            initial={"publish_consent": entry.publish_consent, "publish_region_consent": entry.publish_region_consent}
        ),
        "withdraw_form": WithdrawForm(),
        "confirm_link": None if entry.is_confirmed else services.guardian_links(entry=entry, secret=secret).get("confirm"),
        "certificate": selectors.certificate_available(entry=entry),
    }
    return private(render(request, "contest/guardian_entry.html", context))


def _edit_refused(request, entry, token, error: ValidationError):
    """The clear refusal of a change (after the closing time, or a rejected
    entry): 403 with the reason and the way back to the entry's page."""
    context = {"entry": entry, "token": token, "message": error.messages[0]}
    return private(render(request, "contest/guardian_edit_refused.html", context, status=403))


# The form field that shows a service refusal, by the refusal's code.
EDIT_ERROR_FIELDS = {"age": "child_birth_date", "country": "country", "title": "title", "cap_child": "child_first_name"}


@require_http_methods(["GET", "POST"])
def guardian_edit(request, token):
    """Changing the title, the description and the child's details, before
    the contest's closing time; the same warning as the submit form when
    the texts seem to tell who the child is."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    try:
        services.entry_edit_check(entry=entry)
    except ValidationError as exc:
        return _edit_refused(request, entry, token, exc)
    form = EntryDetailsForm(request.POST or None, contest=entry.contest, initial=details_initial(entry))
    context = {"entry": entry, "token": token, "form": form}
    if request.method == "POST" and form.is_valid():
        if form.text_warning:
            context["text_warnings"] = text_flag_labels(form.text_flags)
            return private(render(request, "contest/guardian_edit.html", context))
        try:
            changed = services.entry_details_edit(entry=entry, details=form.details())
        except ValidationError as exc:
            if exc.code in ("closed", "rejected"):
                return _edit_refused(request, entry, token, exc)
            form.add_error(EDIT_ERROR_FIELDS.get(exc.code), exc)
        else:
            messages.success(request, _("Your changes are saved.") if changed else _("Nothing was changed."))
            return private(redirect("contest:guardian_entry", token=token))
    status = 400 if form.errors else 200
    return private(render(request, "contest/guardian_edit.html", context, status=status))


@require_http_methods(["GET", "POST"])
def guardian_drawing(request, token):
    """Sending a new photo of the drawing before the contest's closing
    time (or after it, when a moderator asked for a photo of the drawing
    alone): checked as on the submit form, rendered again by the worker."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    try:
        services.entry_replace_check(entry=entry)
    except ValidationError as exc:
        return _edit_refused(request, entry, token, exc)
    posted = request.method == "POST"
    # Bound on every post: an oversized one arrives without its fields.
    form = DrawingReplaceForm(request.POST if posted else None, request.FILES if posted else None, contest=entry.contest)
    context = {
        "entry": entry, "token": token, "form": form, "approved": entry.moderation_status == "approved",
        "photo_asked": selectors.entry_photo_asked(entry=entry),
    }
    if posted:
        if getattr(request, "upload_too_large", False):
            form.refuse_too_large()
        if form.is_valid():
            try:
                entry = services.entry_drawing_replace(
                    entry=entry, image=form.cleaned_data["image"], image_info=form.image_info
                )
            except ValidationError as exc:
                if exc.code in ("closed", "rejected"):
                    return _edit_refused(request, entry, token, exc)
                form.add_error("image", exc)
            except services.StorageUnavailable:
                form.add_error("image", _("We could not save the photo. Please try again in a few minutes."))
            else:
                messages.success(request, _("Thank you: the new photo is saved. Its picture is being prepared."))
                if entry.low_resolution:
                    messages.warning(request, LOW_RESOLUTION_WARNING)
                return private(redirect("contest:guardian_entry", token=token))
    status = 400 if form.errors else 200
    return private(render(request, "contest/guardian_drawing.html", context, status=status))


def sheet_choice_apply(request, entry) -> HttpResponse | None:
    """Apply the guardian's "Use my photo as it was" (`as_sent=1`) or
    "Straighten it again" (`as_sent=0`), posted from the receipt or the
    guardian's page (`services.entry_sheet_choose`); the outcome or the
    refusal (in the page's language) goes to the messages. Returns a 400
    response for a post without a choice, else None."""
    choice = request.POST.get("as_sent")
    if choice not in ("0", "1"):
        return HttpResponseBadRequest()
    try:
        mode = services.entry_sheet_choose(entry=entry, as_sent=choice == "1")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return None
    if mode == "photo":
        messages.success(request, _("Your photo will be shown as you sent it. Its pictures are being prepared."))
    else:
        messages.success(request, _("We will straighten the sheet in your photo again. Its pictures are being prepared."))
    return None


@require_POST
def guardian_sheet(request, token):
    """The straightened drawing or the photo as it was sent: the guardian's
    choice, while the entry can be changed; back to the guardian's page."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    bad = sheet_choice_apply(request, entry)
    return private(bad or redirect("contest:guardian_entry", token=token))


@require_POST
def guardian_publication(request, token):
    """The guardian's answers on publication (of the drawing, of the region)."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    form = PublicationForm(request.POST)
    if form.is_valid():
        services.entry_publication_update(
            entry=entry,
            publish=form.cleaned_data["publish_consent"],
            publish_region=form.cleaned_data["publish_region_consent"],
        )
        messages.success(request, _("Your answers are saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return private(redirect("contest:guardian_entry", token=token))


@require_http_methods(["GET", "POST"])
def guardian_withdraw(request, token):
    """Withdrawing the entry: a confirmation page, then the entry is gone."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.entry_withdraw(entry=entry)
        return private(render(request, "contest/guardian_withdrawn.html", {"contest": entry.contest}))
    status = 400 if request.method == "POST" else 200
    return private(render(request, "contest/guardian_withdraw.html", {"entry": entry, "form": form, "token": token}, status=status))


@require_POST
def guardian_export(request, token):
    """Everything held about the entry: entry.json and the original image."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    response = HttpResponse(services.entry_data_export(entry=entry), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="entry-{entry.reference}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)


@require_GET
def guardian_certificate(request, token):
    """The entry's certificate as a PDF, in the family's language; a 404
    before the results are published and for an entry that gets none."""
    entry, _secret, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return private(refused)
    facts = selectors.certificate_for_entry(entry=entry)
    if facts is None:
        raise Http404
    pdf = certificates.certificate_pdf(page=certificate_page(facts=facts), title=facts.contest_title)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{entry.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return private(response)


@require_http_methods(["GET", "POST"])
@limit_link_mail
def guardian_link_request(request):
    """Lost or expired link: the reference code and the e-mail bring new ones.
    The answer is the same whether or not they match an entry."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return rate_limited(request)
        if form.is_valid():
            if guardian_link_mail_limited(request, email=form.cleaned_data["guardian_email"]):
                return rate_limited(request)
            services.guardian_links_request(
                reference=form.cleaned_data["reference"], email=form.cleaned_data["guardian_email"]
            )
            return render(request, "contest/guardian_link_sent.html")
    return render(request, "contest/guardian_link_request.html", {"form": form}, status=400 if form.errors else 200)
