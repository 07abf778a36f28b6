"""The organizers' side of teachers: the teachers waiting for approval,
and the signed paper consent forms waiting for a moderator's check (with
the scan itself, served to the contest's moderators only). Anyone else
gets a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

import rules

from .. import rules as rules_of_contest
from .. import selectors, services
from ..models import Entry, Teacher
from ..role_labels import coordinator_labels_of
from ..teacher_forms import ConsentScanCheckForm, TeacherApproveForm
from .shortcuts import object_or_404, permitted_contest_or_404, private


@require_http_methods(["GET", "POST"])
def teachers_waiting(request):
    """Verified teachers waiting for approval; POST approves one."""
    if not rules.has_perm("contest.approve_teachers", request.user):
        raise Http404
    form = TeacherApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        teacher = object_or_404(Teacher.objects.all(), pk=form.cleaned_data["teacher"])
        if not rules.has_perm("contest.approve_teachers", request.user, teacher):
            raise Http404
        try:
            services.teacher_approve(teacher=teacher, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The teacher's account is approved."))
        return redirect("contest:teachers_waiting")
    context = {
        "teachers": selectors.teachers_waiting(countries=rules_of_contest.teacher_countries_approved_by(request.user)),
        "approving_as": coordinator_labels_of(user=request.user),
    }
    return render(request, "contest/teachers_waiting.html", context)


@require_http_methods(["GET", "POST"])
def consent_scans(request, slug):
    """The contest's signed consent forms waiting for a check; POST decides one."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    form = ConsentScanCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = object_or_404(Entry.objects.select_related("contest"), contest=contest,
                              reference=form.cleaned_data["reference"])
        try:
            services.entry_consent_scan_check(
                entry=entry, actor=request.user, accepted=form.cleaned_data["decision"] == "accept"
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        return redirect("contest:consent_scans", slug=contest.slug)
    entries = selectors.consent_scans_waiting(contest=contest)
    return render(request, "contest/consent_scans.html", {"contest": contest, "entries": entries,
                                                          "decisions": ConsentScanCheckForm.DECISIONS})


@require_GET
def consent_scan_file(request, slug, reference):
    """The scan of one entry's signed consent form (moderators only, never cached)."""
    contest = permitted_contest_or_404(request, slug, perm="contest.moderate_contest")
    entry = object_or_404(Entry.objects.exclude(consent_scan=""), contest=contest, reference=reference)
    if not rules.has_perm("contest.view_consent_scan", request.user, entry):
        raise Http404
    return private(FileResponse(entry.consent_scan.open("rb"), content_type="application/octet-stream",
                                as_attachment=True, filename=f"consent-{entry.reference}"))
