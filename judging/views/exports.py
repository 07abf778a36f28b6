"""The organizers' exports page (`/organize/<slug>/exports/`): ask for an
export, follow its progress (the page polls `export_status`, a small JSON
list) and download the file once the worker has made it. Every answer is
for the contest's organizers only (`judging.export_contest`); anybody else
gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import ExportRequestForm
from ..models import Export
from .access import contest_or_404

EXPORTER = "judging.export_contest"


def _download_url(contest, export) -> str:
    return reverse("exports:download", args=[contest.slug, export.pk]) if export.is_ready else ""


@login_required
@require_http_methods(["GET", "POST"])
def exports(request, slug):
    """Organizers: ask for an export of each kind; the contest's latest
    exports with their status, progress and download links."""
    contest = contest_or_404(request, slug=slug, perm=EXPORTER)
    form = ExportRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        export = services.export_request(
            contest=contest, kind=form.cleaned_data["kind"], user=request.user, language=get_language() or ""
        )
        asked = _("%(export)s: asked for; the file will be ready here in a moment.")
        messages.success(request, asked % {"export": export.get_kind_display()})
        return redirect("exports:exports", slug=contest.slug)
    rows = [(export, _download_url(contest, export)) for export in selectors.export_list(contest=contest)]
    context = {"contest": contest, "form": form, "kinds": Export.Kind.choices, "rows": rows}
    return render(request, "judging/exports.html", context)


@login_required
@require_GET
def export_status(request, slug):
    """Organizers: the contest's latest exports as JSON, for the page's
    progress bars (never cached)."""
    contest = contest_or_404(request, slug=slug, perm=EXPORTER)
    data = [
        {
            "id": export.pk, "status": export.status, "status_label": str(export.get_status_display()),
            "progress": export.progress, "error": export.error, "download_url": _download_url(contest, export),
        }
        for export in selectors.export_list(contest=contest)
    ]
    response = JsonResponse({"exports": data})
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def export_download(request, slug, export_id):
    """Organizers: the file of a ready export, streamed from storage, never
    cached. A 404 for any other export, contest or person."""
    contest = contest_or_404(request, slug=slug, perm=EXPORTER)
    export = selectors.export_get(contest=contest, export_id=export_id)
    if export is None or not export.is_ready:
        raise Http404
    export.contest = contest
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=services.export_download_name(export=export))
    patch_cache_control(response, private=True, no_store=True)
    return response
