"""The organizers' pages of a contest: moderation (its moderators too, and
a moderator's edit of a drawing's title and description), dashboard,
audit log. Anyone else gets a 404, never a 403 (nobody learns what
exists)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from .. import audit_sentences, selectors, services
from ..dashboard import dashboard_sections
from ..forms import AuditLogFilterForm, EntryDecisionForm, EntryTextForm, ModerationForm
from ..models import Entry
from ..moderation_cards import moderation_cards
from ..text_privacy import text_flag_labels
from .shortcuts import object_or_404, permitted_contest_or_404


def _organizer_contest(request, slug):
    return permitted_contest_or_404(request, slug, perm="contest.organize_contest")


def _queue_filter(request) -> str:
    current = request.GET.get("filter", selectors.QueueFilter.NEW)
    return current if current in selectors.QueueFilter._value2member_map_ else selectors.QueueFilter.NEW


def _blocked_message(request, entries) -> None:
    """Tell the moderator how many chosen entries an approval skips: a face
    or the child's written name was found and nobody has looked yet."""
    blocked = services.entries_approval_blocked(entries=entries)
    if blocked:
        messages.warning(request, ngettext(
            "%(n)d entry was not approved: a face or the child's written name was found in its photo. "
            "Open “The drawing” to hide it or to confirm there is nothing to hide.",
            "%(n)d entries were not approved: a face or the child's written name was found in their photos. "
            "Open “The drawing” to hide it or to confirm there is nothing to hide.", blocked,
        ) % {"n": blocked})


def _moderate(request, contest, form) -> int:
    """Apply the form's bulk decision; the number of entries changed."""
    chosen = Entry.objects.filter(contest=contest, pk__in=form.cleaned_data["entries"])
    action = form.cleaned_data["action"]
    if action == "approve":
        _blocked_message(request, chosen)
    if action in ("approve", "reject"):
        return services.entries_moderate(
            entries=chosen, approve=action == "approve", reason=form.cleaned_data["reason"], actor=request.user
        )
    return services.entries_flag(entries=chosen, flagged=action == "flag", actor=request.user)


def _decide_one(request, contest, decision) -> str:
    """Apply one entry's own decision; the message to show ("" when the
    approval was refused: the warning is already shown)."""
    data = decision.cleaned_data
    entry = Entry.objects.filter(contest=contest, pk=data["entry_id"])
    if data["approve"] and services.entries_approval_blocked(entries=entry):
        _blocked_message(request, entry)
        return ""
    services.entries_moderate(entries=entry, approve=data["approve"], reason=data["reason"], actor=request.user)
    reference = entry.values_list("reference", flat=True).first()
    if data["approve"]:
        return _("Entry %(ref)s approved.") % {"ref": reference}
    return _("Entry %(ref)s rejected; the guardian will be told why.") % {"ref": reference}


@require_http_methods(["GET", "POST"])
def moderation_queue(request, slug):
    """The queue of confirmed entries as cards (picture, facts, checks),
    for the contest's organizers and moderators, with filters, one entry's
    own approve / reject buttons (then the next entry is shown:
    `#entry-<id>`) and bulk decisions; a rejection's reason is e-mailed to
    the guardian in their language."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    current = _queue_filter(request)
    ids = list(Entry.objects.filter(contest=contest, guardian_confirmed_at__isnull=False).values_list("pk", flat=True))
    post = request.POST if request.method == "POST" else None
    decision = EntryDecisionForm(post, entry_ids=ids) if post and "decide" in post else None
    form = ModerationForm(None if decision else post, entry_ids=ids)
    if decision is not None and decision.is_valid():
        done = _decide_one(request, contest, decision)
        if done:
            messages.success(request, done)
        after = request.POST.get(f"next-{decision.cleaned_data['entry_id']}", "")
        return redirect(f"{request.path}?filter={current}" + (f"#entry-{after}" if after.isdigit() else ""))
    if decision is None and post and form.is_valid():
        n = _moderate(request, contest, form)
        messages.success(request, _("%(n)d entries changed.") % {"n": n})
        return redirect(f"{request.path}?filter={current}")
    context = {
        "contest": contest, "cards": moderation_cards(contest=contest, filter=current), "form": form,
        "decision_errors": decision.non_field_errors() if decision else [], "filters": selectors.QueueFilter,
        "current": current, "grace_days": services.rejected_grace_days(), "reasons": Entry.RejectionReason.choices,
    }
    status = 400 if form.errors or (decision and decision.errors) else 200
    return render(request, "contest/moderation.html", context, status=status)


@require_http_methods(["GET", "POST"])
def entry_text(request, slug, reference):
    """A moderator's edit of a drawing's title and description (to take
    out a name, a school, an address…): audited, and the guardian is
    e-mailed the new wording in their language."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    entry = object_or_404(
        Entry.objects.select_related("contest"), contest=contest, reference=reference,
        guardian_confirmed_at__isnull=False, personal_data_purged_at__isnull=True,
    )
    form = EntryTextForm(request.POST or None, initial={"title": entry.title, "description": entry.description})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.entry_text_edit(
                entry=entry, title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("title", exc.messages[0])
        else:
            if changed:
                messages.success(request, _("The text of %(ref)s was changed; the guardian will be told.") % {"ref": entry.reference})
            return redirect(reverse("contest:moderation", args=[contest.slug]) + f"#entry-{entry.pk}")
    context = {"contest": contest, "entry": entry, "form": form, "flags": text_flag_labels(entry.text_flags or [])}
    return render(request, "contest/entry_text.html", context, status=400 if form.errors else 200)


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
    """The contest's audit log in sentences (who changed what, and when, in
    the contest's zone), filtered by person, kind and days (query
    parameters, so a filtered view is a URL to share)."""
    contest = _organizer_contest(request, slug)
    form = AuditLogFilterForm(request.GET, actors=selectors.audit_log_actors(contest=contest))
    filters = form.filters() if form.is_valid() else {}
    rows = selectors.audit_log_list(contest=contest, **filters)
    context = {
        "contest": contest, "form": form, "rows": rows, "lines": audit_sentences.contest_rows(rows, contest=contest),
        "query": request.GET.urlencode(),
    }
    return render(request, "contest/audit_log.html", context)
