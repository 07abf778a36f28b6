"""Judging in the admin: round-1 criteria and judges edited on the contest
page, later rounds' criteria on their own page, and read-only views of
scores, conflicts and the audit trail (written only through
`judging.services`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from contest.admin import CONTEST_ADMIN_INLINES, ReadOnlyAdmin, ZonedChangeFormMixin
from contest.models import AgeCategory, Contest
from contest.zoned import zoned_column

from . import phrases, selectors, services
from .models import AuditEvent, Conflict, Criterion, JudgeAssignment, JudgingSettings, Round, Score


def _field_text(value) -> str:
    return "" if value is None else str(value)


def _criterion_changes(form) -> dict[str, list[str]]:
    """field -> [before, after] for a bound, valid criterion form."""
    return {
        name: [_field_text(form.initial.get(name)), _field_text(form.cleaned_data.get(name))]
        for name in form.changed_data
        if name in form.cleaned_data and name not in ("DELETE", "id", "contest")
    }


class RoundOneCriterionFormSet(BaseInlineFormSet):
    """The contest page edits round-1 criteria; later rounds have their own
    admin page (`CriterionAdmin`). The locks of
    `judging.services.criterion_change_check` are enforced here too, so a
    forged form cannot get past the read-only fields, and every change
    saved is recorded in the judging audit trail, by `actor` (the signed-in
    organizer, set by `CriterionInline.get_formset`)."""

    actor = None

    def get_queryset(self):
        return super().get_queryset().filter(round_number=1)

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            if form.instance.pk is None:
                change = "added"
            elif self._should_delete_form(form):
                change = "deleted"
            else:
                change = "changed"
            try:
                services.criterion_change_check(
                    contest=self.instance, round_number=1, change=change, fields=form.changed_data
                )
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc

    def save(self, commit=True):
        # What changed, read before saving (the forms' initial values are
        # the criteria as they were).
        records = []
        for criterion_form in self.forms if commit else ():
            if not criterion_form.has_changed():
                continue
            if criterion_form.instance.pk is None:
                records.append((criterion_form, "added", {}))
            elif self._should_delete_form(criterion_form):
                records.append((criterion_form, "deleted", {}))
            else:
                records.append((criterion_form, "changed", _criterion_changes(criterion_form)))
        saved = super().save(commit)
        for criterion_form, kind, fields in records:
            services.criterion_change_record(
                criterion=criterion_form.instance, actor=self.actor, change=kind, fields=fields
            )
        return saved


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = RoundOneCriterionFormSet
    extra = 1
    fields = ["order", "name", "description", "weight", "max_points"]
    verbose_name_plural = _("criteria (round 1)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user  # a class made for this request
        return formset

    def _locked(self, obj) -> str | None:
        if obj is None:
            return None
        if obj.results_published:
            return "published"
        if selectors.round_has_scores(contest=obj, round_number=1):
            return "scored"
        return None

    def get_readonly_fields(self, request, obj=None):
        # Published scores are locked, so is the rubric they were given on.
        # Once round 1 has scores its structure is locked: weights and
        # maxima decide what every sheet is worth; names may be corrected.
        locked = self._locked(obj)
        if locked == "published":
            return self.fields
        if locked == "scored":
            return ["weight", "max_points"]
        return []

    def has_add_permission(self, request, obj=None):
        return self._locked(obj) is None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._locked(obj) != "published" and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._locked(obj) is None and super().has_delete_permission(request, obj)


class RoundOnePanelFormSet(BaseInlineFormSet):
    def get_queryset(self):
        return super().get_queryset().filter(round_number=1)

    def clean(self):
        super().clean()
        judges = [
            f.cleaned_data["judge"] for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("judge")
        ]
        if len(judges) != len(set(judges)):
            raise ValidationError(phrases.JUDGE_TWICE)


class JudgeAssignmentInline(admin.TabularInline):
    model = JudgeAssignment
    formset = RoundOnePanelFormSet
    extra = 1
    fields = ["judge", "categories"]
    autocomplete_fields = ["judge"]
    verbose_name = _("judge")
    verbose_name_plural = _("judges (round 1; later rounds are chosen when entries advance)")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "categories":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = AgeCategory.objects.filter(contest_id=object_id) if object_id else AgeCategory.objects.none()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# On the contest's own admin page, through contest's extension point
# (no re-registration of contest's admin).
CONTEST_ADMIN_INLINES.extend([CriterionInline, JudgeAssignmentInline])


class CriterionAdminForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        contest = cleaned.get("contest") or (self.instance.contest if self.instance.contest_id else None)
        if contest is None:
            return cleaned
        round_number = cleaned.get("round_number") or self.instance.round_number
        change = "changed" if self.instance.pk else "added"
        services.criterion_change_check(
            contest=contest, round_number=round_number, change=change, fields=self.changed_data
        )
        return cleaned


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """Criteria of every round. Published contests' criteria are read-only;
    a round with scores keeps its criteria, weights and maxima
    (`judging.services.criterion_change_check`). Changes are recorded in
    the judging audit trail."""

    form = CriterionAdminForm
    list_display = ["name", "contest", "round_number", "weight", "max_points", "order"]
    list_filter = ["contest", "round_number"]
    fields = ["contest", "round_number", "order", "name", "description", "weight", "max_points"]

    def _locked(self, obj) -> str | None:
        if obj is None:
            return None
        if obj.contest.results_published:
            return "published"
        if selectors.round_has_scores(contest=obj.contest, round_number=obj.round_number):
            return "scored"
        return None

    def get_readonly_fields(self, request, obj=None):
        locked = self._locked(obj)
        if locked == "published":
            return self.fields
        if locked == "scored":
            return ["contest", "round_number", "weight", "max_points"]
        if obj is not None:
            return ["contest", "round_number"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contest":
            kwargs["queryset"] = Contest.objects.filter(results_published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return self._locked(obj) != "published" and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._locked(obj) is None and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk deletion would bypass the per-criterion lock.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        fields = _criterion_changes(form) if change else {}
        super().save_model(request, obj, form, change)
        if not change or fields:
            services.criterion_change_record(
                criterion=obj, actor=request.user, change="changed" if change else "added", fields=fields
            )

    def delete_model(self, request, obj):
        services.criterion_change_check(contest=obj.contest, round_number=obj.round_number, change="deleted")
        services.criterion_change_record(criterion=obj, actor=request.user, change="deleted")
        super().delete_model(request, obj)


class JudgingSettingsAdminForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        contest = cleaned.get("contest") or (self.instance.contest if self.instance.contest_id else None)
        if contest is not None:
            services.judging_settings_check(contest=contest, half_points=cleaned.get("half_points", False))
        return cleaned


@admin.register(JudgingSettings)
class JudgingSettingsAdmin(admin.ModelAdmin):
    """Read-only once the contest's results are published; saved through
    `judging.services.judging_settings_update`, which records the change in
    the judging audit trail. Never deleted here: that would silently reset
    the ranking to the defaults."""

    form = JudgingSettingsAdminForm
    list_display = ["contest", "normalization", "half_points", "min_judges", "peer_scores"]

    def get_readonly_fields(self, request, obj=None):
        return ["contest"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contest":
            kwargs["queryset"] = Contest.objects.filter(
                results_published_at__isnull=True, judging_settings__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.contest.results_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.judging_settings_update(
            contest=obj.contest, actor=request.user, normalization=obj.normalization,
            half_points=obj.half_points, min_judges=obj.min_judges, peer_scores=obj.peer_scores,
        )
        obj.pk = saved.pk
        obj.created_at, obj.updated_at = saved.created_at, saved.updated_at


@admin.register(Round)
class RoundAdmin(ZonedChangeFormMixin, admin.ModelAdmin):
    """Rounds; their times in the contest's time zone."""

    list_display = [
        "contest", "number", "name", "is_open",
        zoned_column("closed_at", zone_path="contest.timezone", description=Round._meta.get_field("closed_at").verbose_name),
        zoned_column(
            "entries_assigned_at", zone_path="contest.timezone",
            description=Round._meta.get_field("entries_assigned_at").verbose_name,
        ),
    ]
    list_filter = ["contest"]
    list_select_related = ["contest"]
    readonly_fields = ["contest", "number", "is_open", "closed_at", "entries_assigned_at"]

    def page_zone_name(self, request, object_id):
        round_ = self.get_object(request, object_id) if object_id is not None else None
        return round_.contest.timezone if round_ is not None else None

    def has_add_permission(self, request):
        return False


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["entry_reference", "criterion", "judge", "points", "max_points", "updated_at"]
    list_filter = ["entry__contest", "criterion"]
    search_fields = ["entry__reference", "judge__username"]
    list_select_related = ["entry", "criterion", "judge"]
    fields = ["judge", "entry", "criterion", "points", "max_points", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("entry"), ordering="entry__reference")
    def entry_reference(self, obj):
        return obj.entry.reference


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["judge", "entry", "reason", "created_at"]
    list_filter = ["entry__contest"]
    list_select_related = ["judge", "entry"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "contest", "actor", "action", "round_number", "entry", "reason"]
    list_filter = ["contest", "action"]
    list_select_related = ["contest", "actor", "entry"]
