"""Setting a contest up without the admin (`/organize/contests/new/`,
`/organize/<slug>/settings/` and its steps): basics and dates, age
categories, texts per language with a preview, entry and upload limits.
Judging adds the rubric and panel steps (`judging.views.setup`); the step
indicator is `config.navigation.SETUP_STEPS`.

Each step saves and goes on to the next; any step can be opened again.
Forms clean (`contest.setup_forms`), services write in one transaction
(`contest.services.setup`). Permissions are django-rules
(`contest.create_contest`, `contest.organize_contest` on the contest);
whoever lacks them gets a 404."""

from __future__ import annotations

import copy

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..models import Contest, ContestTranslation
from ..rounds_form import RoundsForm
from ..setup_forms import AgeCategoryFormSet, ContestBasicsForm, ContestTextsForm, UploadLimitsForm
from ..setup_pages import saved_redirect, settings_contest

TEXT_FIELDS = ContestTextsForm._meta.fields


def _data(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def contest_new(request):
    """Step 1 of a new contest: basics and dates. Created, the organizer
    lands on the contest's settings page."""
    if not rules.has_perm("contest.create_contest", request.user):
        raise Http404
    form = ContestBasicsForm(_data(request), initial={"default_language": request.LANGUAGE_CODE})
    if form.is_bound and form.is_valid():
        try:
            contest = services.contest_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contest is created. Go on with its age categories."))
            return redirect("organize:settings", slug=contest.slug)
    return render(request, "contest/setup/basics.html", {"form": form, "contest": None, "step": "basics"},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def contest_settings(request, slug):
    """The contest's settings at a glance, each step linked."""
    contest = settings_contest(request, slug, queryset=Contest.objects.prefetch_related(
        "age_categories", "translations", Prefetch("national_rounds", Contest.objects.order_by("country"))))
    return render(request, "contest/setup/overview.html", {"contest": contest, "step": ""})


@login_required
@require_http_methods(["GET", "POST"])
def settings_basics(request, slug):
    """Step 1: title, address, theme, rules, time zone, language, dates."""
    contest = settings_contest(request, slug)
    form = ContestBasicsForm(_data(request), instance=copy.copy(contest))
    if form.is_bound and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        try:
            services.contest_update(contest=contest, user=request.user, fields=fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return saved_redirect(request, contest, "organize:settings_ages")
    return render(request, "contest/setup/basics.html", {"form": form, "contest": contest, "step": "basics"},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settings_ages(request, slug):
    """Step 2: the age categories (bands of whole years)."""
    contest = settings_contest(request, slug)
    formset = AgeCategoryFormSet(_data(request), instance=contest, queryset=contest.age_categories.order_by("min_age"))
    if formset.is_bound and formset.is_valid():
        try:
            services.age_categories_save(contest=contest, rows=formset.rows())
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages, error_class="nonform")
        else:
            return saved_redirect(request, contest, "organize:settings_rubric")
    invalid = formset.is_bound and (formset.total_error_count() or formset.non_form_errors())
    return render(request, "contest/setup/ages.html", {"contest": contest, "formset": formset, "step": "ages"},
                  status=400 if invalid else 200)


def _language(contest, code) -> str:
    code = code or contest.default_language
    if code not in dict(settings.LANGUAGES):
        raise Http404
    return code


@login_required
@require_http_methods(["GET", "POST"])
def settings_texts(request, slug, language=None):
    """Step 4: the texts in one language (title, theme, rules, e-mails to
    guardians) and a preview of the public page in that language; the
    "preview" button shows what is typed without saving it."""
    queryset = Contest.objects.prefetch_related("age_categories", Prefetch("translations"))
    contest = settings_contest(request, slug, queryset=queryset)
    language = _language(contest, language)
    saved = next((row for row in contest.translations.all() if row.language == language), None)
    row = saved or ContestTranslation(contest=contest, language=language)
    # The default language's category names are step 2's.
    categories = contest.age_categories.all() if language != contest.default_language else []
    form = ContestTextsForm(_data(request), instance=row, categories=categories)
    draft = None
    if form.is_bound and form.is_valid():
        if "preview" not in request.POST:
            fields = {name: form.cleaned_data[name] for name in TEXT_FIELDS}
            try:
                services.contest_texts_save(
                    contest=contest, language=language, fields=fields, category_names=form.category_names()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return saved_redirect(request, contest, "organize:settings_uploads")
        draft = form.instance
        # The preview names the categories as typed (these instances are never saved).
        for category in form.categories:
            category.names = {**(category.names or {}), language: form.category_names()[category.pk]}
    context = {
        "contest": contest, "form": form, "language": language, "text_languages": settings.LANGUAGES,
        "content": selectors.contest_content(contest=contest, language=language, draft=draft),
        "previewing": draft is not None, "step": "texts",
    }
    return render(request, "contest/setup/texts.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settings_uploads(request, slug):
    """Step 5: entries per child and per guardian, the upload limits."""
    contest = settings_contest(request, slug)
    form = UploadLimitsForm(_data(request), instance=copy.copy(contest))
    if form.is_bound and form.is_valid():
        try:
            services.contest_update(contest=contest, user=request.user, fields=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return saved_redirect(request, contest, "organize:settings_judges")
    policy = services.upload_policy()
    site = {"megabytes": policy.max_bytes // 1_000_000, "megapixels": policy.max_pixels // 1_000_000,
            "min_side": policy.min_side}
    context = {"contest": contest, "form": form, "site": site, "step": "uploads"}
    return render(request, "contest/setup/uploads.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settings_rounds(request, slug):
    """The national rounds of a regional contest: those it has, and a form
    adding rounds in the countries left (window in each country's zone,
    default language). Created, the organizer lands on the settings page."""
    contest = settings_contest(request, slug, queryset=Contest.objects.select_related("parent"))
    rounds = list(Contest.objects.filter(parent=contest).order_by("country"))
    form = RoundsForm(_data(request), contest=contest, taken=[r.country for r in rounds])
    if form.is_bound and form.is_valid():
        try:
            made = services.national_rounds_setup(contest=contest, plans=form.plans(), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("National rounds created: %(rounds)s.") % {
                "rounds": ", ".join(r.title for r in made)})
            return redirect("organize:settings", slug=contest.slug)
    context = {"contest": contest, "form": form, "rounds": rounds, "step": "rounds"}
    return render(request, "contest/setup/rounds.html", context, status=400 if form.errors else 200)
