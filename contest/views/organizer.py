"""The organizers' pages of a contest: moderation (its moderators too),
dashboard, audit log. Anyone else gets a 404, never a 403 (nobody learns
what exists)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..dashboard import dashboard_sections
from ..forms import ModerationForm
from ..models import Entry
from .shortcuts import permitted_contest_or_404


def _organizer_contest(request, slug):
    return permitted_contest_or_404(request, slug, perm="contest.organize_contest")


def _queue_filter(request) -> str:
    current = request.GET.get("filter", selectors.QueueFilter.NEW)
    return current if current in selectors.QueueFilter._value2member_map_ else selectors.QueueFilter.NEW


def _moderate(request, contest, form) -> int:
    """Apply the form's bulk decision; the number of entries changed."""
    chosen = Entry.objects.filter(contest=contest, pk__in=form.cleaned_data["entries"])
    action = form.cleaned_data["action"]
    if action in ("approve", "reject"):
        return services.entries_moderate(
            entries=chosen, approve=action == "approve", reason=form.cleaned_data["reason"], actor=request.user
        )
    return services.entries_flag(entries=chosen, flagged=action == "flag", actor=request.user)


@require_http_methods(["GET", "POST"])
def moderation_queue(request, slug):
    """The queue of confirmed entries, with filters and bulk decisions, for
    the contest's organizers and moderators; a rejection's reason is
    e-mailed to the guardian."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    current = _queue_filter(request)
    form = ModerationForm(request.POST or None, entry_ids=list(
        Entry.objects.filter(contest=contest, guardian_confirmed_at__isnull=False).values_list("pk", flat=True)
    ))
    if request.method == "POST" and form.is_valid():
        n = _moderate(request, contest, form)
        messages.success(request, _("%(n)d entries changed.") % {"n": n})
        return redirect(f"{request.path}?filter={current}")
    context = {
        "contest": contest,
        "entries": selectors.moderation_queue(contest=contest, filter=current),
        "form": form,
        "filters": selectors.QueueFilter,
        "current": current,
        "grace_days": services.rejected_grace_days(),
    }
    return render(request, "contest/moderation.html", context, status=400 if form.errors else 200)


@require_GET
def dashboard(request, slug):
    """Organizers: entries per day, country and age category, then the
    sections other apps register (judging's progress: see
    `contest.dashboard`; contest never imports judging)."""
    contest = _organizer_contest(request, slug)
    context = {
        "contest": contest,
        "dashboard": selectors.dashboard_for_organizer(contest=contest),
        "sections": dashboard_sections(contest=contest),
    }
    return render(request, "contest/dashboard.html", context)


@require_GET
def audit_log(request, slug):
    """The contest's audit log: who changed what, and when."""
    contest = _organizer_contest(request, slug)
    return render(request, "contest/audit_log.html", {"contest": contest, "rows": selectors.audit_log_list(contest=contest)})
