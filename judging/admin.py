"""Judging in the admin: round-1 criteria and judges edited on the contest
page, later rounds' criteria on their own page, and read-only views of
scores, conflicts and the audit trail (written only through
`judging.services`)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from contest.admin import ContestAdmin as BaseContestAdmin
from contest.admin import ReadOnlyAdmin
from contest.models import AgeCategory, Contest

from .models import AuditEvent, Conflict, Criterion, JudgeAssignment, JudgingSettings, Round, Score


class RoundOneCriterionFormSet(BaseInlineFormSet):
    """The contest page edits round-1 criteria; later rounds have their own
    admin page (`CriterionAdmin`)."""

    def get_queryset(self):
        return super().get_queryset().filter(round_number=1)


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = RoundOneCriterionFormSet
    extra = 1
    fields = ["order", "name", "description", "weight", "max_points"]
    verbose_name_plural = _("criteria (round 1)")

    def get_readonly_fields(self, request, obj=None):
        # Published scores are locked, so is the rubric they were given on.
        # Before that, a maximum must not change under existing scores (7 of
        # 10 would silently become 7 of 5); weights and names may.
        if obj is None:
            return []
        if obj.results_published:
            return self.fields
        if Score.objects.filter(criterion__contest=obj).exists():
            return ["max_points"]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.results_published:
            return False
        return super().has_delete_permission(request, obj)


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
            raise ValidationError(_("A judge is listed twice."))


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


admin.site.unregister(Contest)


@admin.register(Contest)
class ContestAdmin(BaseContestAdmin):
    inlines = [*BaseContestAdmin.inlines, CriterionInline, JudgeAssignmentInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "contest", "round_number", "weight", "max_points", "order"]
    list_filter = ["contest", "round_number"]
    fields = ["contest", "round_number", "order", "name", "description", "weight", "max_points"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Score.objects.filter(criterion=obj).exists():
            return ["contest", "round_number", "max_points"]
        return []


@admin.register(JudgingSettings)
class JudgingSettingsAdmin(admin.ModelAdmin):
    list_display = ["contest", "normalization", "half_points", "min_judges", "peer_scores"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["contest", "number", "name", "is_open", "closed_at", "entries_assigned_at"]
    list_filter = ["contest"]
    readonly_fields = ["contest", "number", "is_open", "closed_at", "entries_assigned_at"]

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
