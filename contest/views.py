"""Public views: thin; forms clean, services write, selectors read."""

import uuid

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from . import chunked, imaging, links, selectors, services
from .forms import EntrySubmitForm, GalleryFilterForm, LinkRequestForm, ModerationForm, PublicationForm, WithdrawForm
from .models import Contest, Entry, Rendition
from .rules import is_organizer, is_published_winner
from .pictures import picture_alt
from .validators import LOW_RESOLUTION_WARNING, UPLOAD_MESSAGES
from .responses import rendition_response


def home(request):
    open_now, published = selectors.contest_list_public()
    language = translation.get_language() or settings.LANGUAGE_CODE
    context = {
        "open_contests": selectors.contest_list_with_content(contests=open_now, language=language),
        "published_contests": selectors.contest_list_with_content(contests=published, language=language),
    }
    return render(request, "contest/home.html", context)


def _content(contest):
    return selectors.contest_content(contest=contest, language=translation.get_language() or settings.LANGUAGE_CODE)


def contest_detail(request, slug):
    contest = get_object_or_404(Contest.objects.prefetch_related("age_categories", "translations"), slug=slug)
    return render(
        request, "contest/contest_detail.html",
        {"contest": contest, "content": _content(contest), "is_open": contest.is_open()},
    )


def _rate(name):
    # Read at request time, so an operator (or a test) can change the limit.
    return lambda group, request: getattr(settings, name)


def _guardian_key(group, request):
    return (request.POST.get("guardian_email") or "").strip().lower() or "-"


def _refuse_limited(request, *, contest=None):
    return render(request, "contest/rate_limited.html", {"contest": contest}, status=429)


@require_http_methods(["GET", "POST"])
@ratelimit(group="submit-ip", key="ip", rate=_rate("RATELIMIT_SUBMIT_IP"), method="POST", block=False)
@ratelimit(group="submit-guardian", key=_guardian_key, rate=_rate("RATELIMIT_SUBMIT_GUARDIAN"), method="POST", block=False)
def entry_submit(request, slug):
    contest = get_object_or_404(Contest.objects.prefetch_related("age_categories"), slug=slug)
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        # Refused before the upload is even looked at.
        return render(
            request,
            "contest/entry_submit.html",
            {"contest": contest, "content": _content(contest), "form": None, "closed_message": exc.messages[0]},
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
        if getattr(request, "limited", False):
            return _refuse_limited(request, contest=contest)
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
        if form.is_robot:
            # The honeypot was filled in: nothing is read or kept.
            _upload_drop(request, upload, files)
            return render(request, "contest/entry_refused.html", {"contest": contest}, status=400)
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
                # Any refusal (duplicate image, the child's entry cap) may
                # come from the twin of a double click that got there first.
                earlier = selectors.entry_reference_for_submission(
                    contest=contest, token=token, sha256=form.image_info.sha256,
                    guardian_email=form.cleaned_data["guardian_email"],
                )
                if earlier:
                    _upload_drop(request, upload, files)
                    tokens[token] = earlier
                    request.session["submission_tokens"] = tokens
                    request.session["receipt"] = earlier
                    return redirect("contest:entry_receipt", slug=contest.slug)
                field = {
                    "age": "child_birth_date", "duplicate": "image", "country": "country",
                    "relationship": "guardian_relationship", "cap_guardian": "guardian_email",
                }.get(exc.code)
                for message in exc.messages:
                    form.add_error(field, message)
            else:
                _upload_drop(request, upload, files)
                if token:
                    tokens[token] = entry.reference
                    request.session["submission_tokens"] = tokens
                request.session["receipt"] = entry.reference
                if entry.low_resolution:
                    messages.warning(request, LOW_RESOLUTION_WARNING)
                return redirect("contest:entry_receipt", slug=contest.slug)
        if "image" in form.errors and form.data.get("upload_id"):
            # A refused photo is not kept: the next one starts afresh. (A
            # refusal of another field keeps it, so it is not sent again.)
            _upload_drop(request, upload, files)
            form.data = form.data.copy()
            form.data["upload_id"] = ""
        status = 400
    else:
        form = EntrySubmitForm(contest=contest, initial={"submission_token": uuid.uuid4().hex})
    consent = selectors.consent_text_current(contest=contest, language=translation.get_language() or "en")
    return render(
        request, "contest/entry_submit.html",
        {"contest": contest, "content": _content(contest), "form": form, "consent": consent}, status=status,
    )


def _upload_drop(request, upload, files) -> None:
    """Delete a chunked upload's files once used or refused (`upload` None: nothing to do)."""
    if upload is not None:
        files["image"].close()
        chunked.upload_discard(session=request.session, upload=upload)


def _upload_refused(exc: chunked.UploadError, contest):
    if exc.code == "too_large":
        policy = services.upload_policy(contest=contest)
        message = UPLOAD_MESSAGES[imaging.Reason.TOO_LARGE] % {
            "megapixels": f"{policy.max_pixels / 1e6:g}", "megabytes": f"{policy.max_bytes / 1e6:g}"}
        return JsonResponse({"error": "too_large", "message": str(message)}, status=413)
    if exc.code == "offset":
        return JsonResponse({"error": "offset", "offset": exc.offset}, status=409, headers={"Upload-Offset": str(exc.offset)})
    return JsonResponse({"error": exc.code}, status=404 if exc.code == "unknown" else 400)


@ratelimit(group="upload-ip", key="ip", rate=_rate("RATELIMIT_SUBMIT_IP"), method="POST", block=False)
@require_http_methods(["POST"])
def upload_create(request, slug):
    """Start a resumable upload: `size`, `name` and `type` of the photo."""
    contest = get_object_or_404(Contest, slug=slug)
    if getattr(request, "limited", False):
        return JsonResponse({"error": "limited", "message": _("Too many attempts. Please try again later.")}, status=429)
    try:
        services.window_check(contest=contest)
    except ValidationError as exc:
        return JsonResponse({"error": "closed", "message": exc.messages[0]}, status=403)
    try:
        size = int(request.POST.get("size", ""))
        upload = chunked.upload_start(session=request.session, contest_id=contest.pk, size=size,
                                      name=request.POST.get("name", ""), content_type=request.POST.get("type", ""),
                                      max_bytes=services.upload_policy(contest=contest).max_bytes)
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    except chunked.UploadError as exc:
        return _upload_refused(exc, contest)
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
        return _upload_refused(exc, contest)
    response = JsonResponse({"offset": offset, "size": upload.size, "complete": offset == upload.size})
    response["Upload-Offset"] = str(offset)
    response["Cache-Control"] = "no-store"
    return response


def _receipt_entry(request, slug):
    reference = request.session.get("receipt")
    return get_object_or_404(
        Entry.objects.select_related("contest", "age_category").only(
            "reference", "title", "contest__slug", "contest__title", "age_category__name", "low_resolution",
            "guardian_email", "created_at", "guardian_confirmed_at", "public_id", "language", "guardian_name",
            "confirmation_sent_at",
        ),
        reference=reference or "-",
        contest__slug=slug,
    )


@never_cache
@require_GET
def entry_receipt(request, slug):
    entry = _receipt_entry(request, slug)
    return render(
        request, "contest/entry_receipt.html",
        {"entry": entry, "confirm_days": links.lifetime(links.Purpose.CONFIRM).days},
    )


@require_POST
@ratelimit(group="links-ip", key="ip", rate=_rate("RATELIMIT_LINKS_IP"), method="POST", block=False)
def entry_receipt_resend(request, slug):
    """'Send the link again' on the receipt page (the session names the entry)."""
    entry = _receipt_entry(request, slug)
    limited = getattr(request, "limited", False) or not _guardian_limit_ok(entry.guardian_email)
    if limited:
        return _refuse_limited(request, contest=entry.contest)
    services.entry_links_resend(entry=entry)
    messages.success(request, _("We sent the link again. Please look in your mailbox (and the spam folder)."))
    return redirect("contest:entry_receipt", slug=slug)


def _guardian_limit_ok(email: str) -> bool:
    """Per-guardian limit on link e-mails, whatever the IP address."""
    from django_ratelimit.core import is_ratelimited

    class _Request:  # is_ratelimited needs only the attributes it reads
        method = "POST"

    fake = _Request()
    return not is_ratelimited(
        fake, group="links-guardian", key=lambda g, r: email.strip().lower(), rate=settings.RATELIMIT_LINKS_GUARDIAN,
        method="POST", increment=True,
    )


# The first row of the widest gallery layout: loaded at once, the rest lazily.
GALLERY_EAGER_CARDS = 4


@require_GET
def gallery(request, slug):
    contest = get_object_or_404(
        Contest.objects.prefetch_related("age_categories"), slug=slug, results_published_at__isnull=False
    )
    categories = list(contest.age_categories.all())
    form = GalleryFilterForm(request.GET, contest=contest, categories=categories)
    filters = form.filters()
    # The winners' part of the page is cached under a key that every change
    # of publication, withdrawal or purge replaces (services.public_cache_clear);
    # the filters are validated first, so the keys are few.
    key = (
        f"{selectors.public_cache_key(contest_id=contest.pk)}:gallery:{translation.get_language()}"
        f":{filters['country'] or '-'}:{filters['category_id'] or '-'}"
    )
    body = cache.get(key)
    if body is None:
        sections = selectors.winners_for_gallery(contest=contest, **filters)
        eager_ids = [entry.pk for _category, entries in sections for entry in entries][:GALLERY_EAGER_CARDS]
        country_name = dict(form.fields["country"].choices).get(filters["country"], "")
        body = render_to_string(
            "contest/_gallery_body.html",
            {"categories": sections, "eager_ids": eager_ids, "country_name": country_name},
            request=request,
        )
        cache.set(key, str(body), settings.PUBLIC_PAGE_CACHE_SECONDS)
    context = {
        "contest": contest,
        # Our own template's output, rendered with autoescaping above.
        "body": mark_safe(body),
        "countries": form.fields["country"].choices[1:],
        "categories": categories,
        # None drops the parameter from the filter links ({% querystring %}).
        "current_country": filters["country"] or None,
        "current_category": filters["category_id"],
    }
    return render(request, "contest/gallery.html", context)


def _share_card(request, entry) -> dict:
    """What link previews show (Open Graph, Twitter cards): the title, the
    child's own description or a general line, and the card2x JPEG, the
    largest card that every preview service accepts. Never a name."""
    by_kind = {r.kind: r for r in entry.renditions.all() if r.format == Rendition.Format.JPEG}
    image = by_kind.get(Rendition.Kind.CARD_2X) or by_kind.get(Rendition.Kind.CARD) or by_kind.get(Rendition.Kind.DISPLAY)
    description = Truncator(" ".join(entry.description.split())).chars(200) if entry.description else _(
        "A winning drawing of the children's art contest “%(contest)s”."
    ) % {"contest": entry.contest.title}
    card = {
        "title": entry.title,
        "description": description,
        "url": request.build_absolute_uri(reverse("contest:entry_detail", args=[entry.public_id])),
        "image": None,
    }
    if image is not None:
        card.update(
            image=request.build_absolute_uri(reverse("contest:rendition", args=[entry.public_id, image.kind, image.format])),
            image_width=image.width,
            image_height=image.height,
            image_alt=picture_alt(entry),
        )
    return card


def entry_detail(request, public_id):
    entry = selectors.entry_public_get(public_id=public_id)
    # The predicate itself, not has_perm: a superuser has every permission,
    # and this public page must not exist before publication, even for them.
    if entry is None or not is_published_winner(request.user, entry):
        raise Http404
    return render(request, "contest/entry_detail.html", {"entry": entry, "share": _share_card(request, entry)})


def rendition_serve(request, public_id, kind, fmt):
    """Send one rendition to whoever may see it (organizers, the entry's
    judges, or anyone once it is a published winner); 404 to the rest."""
    rendition = (
        Rendition.objects.select_related("entry__contest")
        .filter(entry__public_id=public_id, kind=kind, format=fmt)
        .first()
    )
    if rendition is None or not (
        request.user.has_perm("contest.view_entry_image", rendition.entry)
        or str(public_id) in request.session.get(GUARDIAN_SESSION_KEY, ())
    ):
        raise Http404
    # Whether shared caches may keep it: the rule itself, never the user's
    # permissions (a superuser's view of a private image must stay private).
    return rendition_response(rendition, public=is_published_winner(request.user, rendition.entry))


# --- the guardian's links (no account: the signed link is the key) ---------


def _link_entry(request, token, purpose):
    """(entry, None) for a good link, else (None, the page that says why)."""
    try:
        public_id = links.token_read(token=token, purpose=purpose)
    except links.LinkExpired:
        return None, render(request, "contest/guardian_link_refused.html", {"expired": True}, status=410)
    except links.LinkInvalid:
        return None, render(request, "contest/guardian_link_refused.html", {"expired": False}, status=404)
    entry = selectors.entry_for_guardian(public_id=public_id)
    if entry is None:
        return None, render(request, "contest/guardian_link_refused.html", {"gone": True}, status=404)
    return entry, None


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    # The token is in the URL: it must never reach another site. Not
    # "no-referrer": browsers then post this page's forms with "Origin: null",
    # which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def guardian_confirm(request, token):
    """The link from the e-mail. A GET only shows a button, so mail scanners
    that open links never confirm in the guardian's place."""
    entry, refused = _link_entry(request, token, links.Purpose.CONFIRM)
    if refused:
        return _private(refused)
    if request.method == "POST":
        services.entry_confirm(entry=entry)
        manage = links.token_make(public_id=entry.public_id, purpose=links.Purpose.MANAGE)
        messages.success(request, _("Thank you: the entry is confirmed and goes on to the organizers' check."))
        return _private(redirect("contest:guardian_entry", token=manage))
    return _private(render(request, "contest/guardian_confirm.html", {"entry": entry}))


# The entries whose guardian's link this browser opened: their images are
# shown on the guardian's page, so the image view serves them to this session.
GUARDIAN_SESSION_KEY = "guardian_entries"


@require_GET
def guardian_entry(request, token):
    """The guardian's page: status in plain words, publication answers,
    withdrawal and data download."""
    entry, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return _private(refused)
    seen = [p for p in request.session.get(GUARDIAN_SESSION_KEY, []) if p != str(entry.public_id)]
    request.session[GUARDIAN_SESSION_KEY] = [*seen[-9:], str(entry.public_id)]
    stage = selectors.entry_stage(entry=entry)
    context = {
        "entry": entry,
        "token": token,
        "stage": stage,
        "stage_index": selectors.STAGES.index(stage),
        "stages": selectors.STAGES,
        "publication_form": PublicationForm(
            initial={"publish_consent": entry.publish_consent, "publish_region_consent": entry.publish_region_consent}
        ),
        "withdraw_form": WithdrawForm(),
        "confirm_link": None if entry.is_confirmed else services.guardian_links(entry=entry).get("confirm"),
    }
    return _private(render(request, "contest/guardian_entry.html", context))


@require_POST
def guardian_publication(request, token):
    entry, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return _private(refused)
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
    return _private(redirect("contest:guardian_entry", token=token))


@require_http_methods(["GET", "POST"])
def guardian_withdraw(request, token):
    entry, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return _private(refused)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.entry_withdraw(entry=entry)
        return _private(render(request, "contest/guardian_withdrawn.html", {"contest": entry.contest}))
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "contest/guardian_withdraw.html", {"entry": entry, "form": form, "token": token}, status=status))


@require_POST
def guardian_export(request, token):
    """Everything held about the entry: entry.json and the original image."""
    entry, refused = _link_entry(request, token, links.Purpose.MANAGE)
    if refused:
        return _private(refused)
    response = HttpResponse(services.entry_data_export(entry=entry), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="entry-{entry.reference}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_http_methods(["GET", "POST"])
@ratelimit(group="links-ip", key="ip", rate=_rate("RATELIMIT_LINKS_IP"), method="POST", block=False)
def guardian_link_request(request):
    """Lost or expired link: the reference code and the e-mail bring new ones.
    The answer is the same whether or not they match an entry."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _refuse_limited(request)
        if form.is_valid():
            if _guardian_limit_ok(form.cleaned_data["guardian_email"]):
                services.guardian_links_request(
                    reference=form.cleaned_data["reference"], email=form.cleaned_data["guardian_email"]
                )
            else:
                return _refuse_limited(request)
            return render(request, "contest/guardian_link_sent.html")
    return render(request, "contest/guardian_link_request.html", {"form": form}, status=400 if form.errors else 200)


# --- organizers -----------------------------------------------------------


def _organizer_contest(request, slug):
    if not is_organizer(request.user):
        raise Http404
    return get_object_or_404(Contest, slug=slug)


@require_http_methods(["GET", "POST"])
def moderation_queue(request, slug):
    """The organizers' queue of confirmed entries, with filters and bulk
    decisions; a rejection's reason is e-mailed to the guardian."""
    contest = _organizer_contest(request, slug)
    current = request.GET.get("filter", selectors.QueueFilter.NEW)
    if current not in selectors.QueueFilter._value2member_map_:
        current = selectors.QueueFilter.NEW
    entries = selectors.moderation_queue(contest=contest, filter=current)
    form = ModerationForm(request.POST or None, entry_ids=list(
        Entry.objects.filter(contest=contest, guardian_confirmed_at__isnull=False).values_list("pk", flat=True)
    ))
    if request.method == "POST":
        if form.is_valid():
            chosen = Entry.objects.filter(contest=contest, pk__in=form.cleaned_data["entries"])
            action = form.cleaned_data["action"]
            if action in ("approve", "reject"):
                n = services.entries_moderate(
                    entries=chosen, approve=action == "approve", reason=form.cleaned_data["reason"], actor=request.user
                )
            else:
                n = services.entries_flag(entries=chosen, flagged=action == "flag", actor=request.user)
            messages.success(request, _("%(n)d entries changed.") % {"n": n})
            return redirect(f"{request.path}?filter={current}")
    context = {
        "contest": contest,
        "entries": entries,
        "form": form,
        "filters": selectors.QueueFilter,
        "current": current,
        "grace_days": services.rejected_grace_days(),
    }
    return render(request, "contest/moderation.html", context, status=400 if form.errors else 200)


@require_GET
def dashboard(request, slug):
    """Organizers: entries per day, country and age category, and the
    judging progress (drawn by `judging`'s template tag: contest never
    imports judging)."""
    contest = _organizer_contest(request, slug)
    return render(
        request, "contest/dashboard.html", {"contest": contest, "dashboard": selectors.dashboard_for_organizer(contest=contest)}
    )


@require_GET
def audit_log(request, slug):
    contest = _organizer_contest(request, slug)
    return render(request, "contest/audit_log.html", {"contest": contest, "rows": selectors.audit_log_list(contest=contest)})
