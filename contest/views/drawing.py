"""The moderators' page "The drawing" of one entry: the photo as sent
beside the drawing judges see, the sheet's corners, the regions to hide,
and the face or name check (`services.sheet_review`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .. import services
from ..drawing_forms import MasksForm, SheetForm
from ..drawing_page import drawing_page
from ..models import Entry
from .shortcuts import object_or_404, permitted_contest_or_404

SHEET_DONE = {
    "corners": gettext_lazy("The drawing is being straightened along your corners; it will be ready in a minute."),
    "auto": gettext_lazy("The sheet will be found automatically again; the drawing will be ready in a minute."),
    "as_sent": gettext_lazy("The photo will be used as it was sent; the drawing will be ready in a minute."),
}


def _sheet(request, entry, form) -> str:
    data = form.cleaned_data
    services.entry_sheet_set(
        entry=entry, corners=data["corners"], as_sent=data["sheet"] == "as_sent", actor=request.user
    )
    return str(SHEET_DONE[data["sheet"]])


def _masks(request, entry, form) -> str:
    n = services.entry_masks_set(entry=entry, masks=form.cleaned_data["masks"], actor=request.user)
    if not n:
        return _("Nothing is hidden any more; the drawing will be ready in a minute.")
    return ngettext(
        "%(n)d region will be hidden on every image of the drawing; it will be ready in a minute.",
        "%(n)d regions will be hidden on every image of the drawing; they will be ready in a minute.", n,
    ) % {"n": n}


def _privacy(request, entry) -> str:
    if request.POST.get("privacy") == "ask":
        services.entry_photo_request(entry=entry, actor=request.user)
        return _("The guardian will be asked by e-mail for a photo of the drawing alone.")
    services.entry_privacy_clear(entry=entry, actor=request.user)
    return _("Marked as checked: nothing to hide. The entry can be approved now.")


def _post(request, entry, sheet_form, masks_form):
    """Apply the button pressed; the message, or None when a form (its
    errors kept) or the service refused."""
    form, action = None, lambda: _privacy(request, entry)
    if "sheet" in request.POST:
        form, action = sheet_form, lambda: _sheet(request, entry, sheet_form)
    elif "masks_save" in request.POST:
        form, action = masks_form, lambda: _masks(request, entry, masks_form)
    if form is not None and not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as exc:
        (form or masks_form).add_error(None, exc.messages[0])
        return None


@require_http_methods(["GET", "POST"])
def entry_drawing(request, slug, reference):
    """"The drawing" of one entry, for the contest's organizers and
    moderators: before (the photo as sent, the sheet's corners drawn) and
    after (the drawing as judges see it); move the corners or go back to
    the automatic sheet or the photo as sent; hide regions (blur or fill);
    say there is nothing to hide or ask the guardian for a photo of the
    drawing alone. Each change is audited and the worker renders the
    drawing again; POST, then back here."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    entry = object_or_404(
        Entry.objects.select_related("contest"), contest=contest, reference=reference,
        guardian_confirmed_at__isnull=False, personal_data_purged_at__isnull=True,
    )
    post = request.POST if request.method == "POST" else None
    sheet_form = SheetForm(post if post and "sheet" in post else None, initial=SheetForm.initial_for(entry.sheet_corners))
    masks_form = MasksForm(post if post and "masks_save" in post else None, initial={"masks": ""})
    if post is not None:
        done = _post(request, entry, sheet_form, masks_form)
        if done:
            messages.success(request, done)
            return redirect(request.path)
    page = drawing_page(entry=entry)
    context = {"contest": contest, "entry": entry, "page": page, "sheet_form": sheet_form, "masks_form": masks_form}
    status = 400 if sheet_form.errors or masks_form.errors else 200
    return render(request, "contest/entry_drawing.html", context, status=status)
