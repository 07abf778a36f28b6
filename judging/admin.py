"""Judging in the admin: criteria and judges edited on the contest page, and
a read-only view of the scores (scores are written only by judges, through
`judging.services.score_sheet_submit`)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contest.admin import ContestAdmin as BaseContestAdmin
from contest.models import Contest

from .models import Criterion, JudgeAssignment, Score


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ["order", "name", "description", "weight", "max_points"]

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


class JudgeAssignmentInline(admin.TabularInline):
    model = JudgeAssignment
    extra = 1
    autocomplete_fields = ["judge"]
    verbose_name = _("judge")
    verbose_name_plural = _("judges")


admin.site.unregister(Contest)


@admin.register(Contest)
class ContestAdmin(BaseContestAdmin):
    inlines = [*BaseContestAdmin.inlines, CriterionInline, JudgeAssignmentInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["entry_reference", "criterion", "judge", "points", "max_points", "updated_at"]
    list_filter = ["entry__contest", "criterion"]
    search_fields = ["entry__reference", "judge__username"]
    list_select_related = ["entry", "criterion", "judge"]
    fields = ["judge", "entry", "criterion", "points", "max_points", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("entry"), ordering="entry__reference")
    def entry_reference(self, obj):
        return obj.entry.reference

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
