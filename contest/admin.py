from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .ages import age_bands_validate
from .models import (
    AgeCategory, AnonymousCount, AuditLog, ConsentText, Contest, ContestRole, ContestTranslation, Country, Entry, PurgeRun,
    Rendition, SweepRun, Teacher,
)
from .zoned import ZonedDateTimesFormMixin, zone_get, zone_valid, zoned_column


class AgeCategoryFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        bands = [
            (f.cleaned_data["min_age"], f.cleaned_data["max_age"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and "min_age" in f.cleaned_data
        ]
        age_bands_validate(bands=bands)


class AgeCategoryInline(admin.TabularInline):
    model = AgeCategory
    formset = AgeCategoryFormSet
    extra = 1


class ContestAdminForm(ZonedDateTimesFormMixin, forms.ModelForm):
    """Opening and closing times are typed and shown in the contest's time
    zone: the one chosen in this same form (a new contest, a change of
    zone), else the contest's."""

    zone_field = "timezone"
    zone_path = "timezone"

    countries = forms.MultipleChoiceField(
        label=_("participating countries"), choices=Country.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Contest
        fields = "__all__"


class ContestTranslationInline(admin.StackedInline):
    """The contest's title, theme, rules and e-mails to guardians per
    language; what is left empty falls back to the default language."""

    model = ContestTranslation
    extra = 0
    fields = [
        "language", "title", "theme", "rules", "receipt_subject", "receipt_body", "link_subject", "link_body",
        "rejection_subject", "rejection_body",
    ]


# The contest page's inlines. Other apps add theirs by extending this list
# when their admin module is imported (judging: criteria and judges).
CONTEST_ADMIN_INLINES: list = [AgeCategoryInline, ContestTranslationInline]


class ZonedChangeFormMixin:
    """An admin whose add and change pages are rendered in a contest's time
    zone (`page_zone_name`): the admin's "Now" button and its note on the
    difference to the server's time follow that zone, and read-only
    datetimes are shown in it. Editable datetimes are zoned by their form
    (`contest.zoned.ZonedDateTimesFormMixin`)."""

    def page_zone_name(self, request, object_id) -> str | None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(zone_get(self.page_zone_name(request, object_id))):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


def _field_label(model, name):
    return model._meta.get_field(name).verbose_name


@admin.register(Contest)
class ContestAdmin(ZonedChangeFormMixin, admin.ModelAdmin):
    """Contests; every date and time in the contest's own time zone."""

    form = ContestAdminForm
    list_display = [
        "title", "default_language", zoned_column("opens_at", description=_field_label(Contest, "opens_at")),
        zoned_column("closes_at", description=_field_label(Contest, "closes_at")), "timezone",
        zoned_column("results_published_at", description=_field_label(Contest, "results_published_at")),
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = CONTEST_ADMIN_INLINES

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.entries.exists():
            # Guardians accepted this wording: a new one is a new consent text
            # version (Consent texts), never an edit of what they accepted.
            fields += ["consent_version", "consent_text"]
        return fields

    def page_zone_name(self, request, object_id):
        submitted = request.POST.get("timezone", "").strip()
        if zone_valid(submitted):
            return submitted
        contest = self.get_object(request, object_id) if object_id is not None else None
        if contest is not None:
            return contest.timezone
        return Contest._meta.get_field("timezone").get_default()


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    can_delete = False
    fields = ["kind", "format", "width", "height", "bytes"]
    readonly_fields = fields


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = [
        "reference", "title", "contest", "age_category", "country",
        "processing_status", "moderation_status", "low_resolution", "award", "shortlisted", "created_at",
    ]
    list_filter = [
        "contest", "moderation_status", "processing_status", "age_category", "country", "low_resolution", "flagged",
        "shortlisted",
        ("guardian_confirmed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["reference", "title", "child_last_name", "guardian_email"]
    readonly_fields = [
        "reference", "public_id", "shortlisted", "child_age", "consent_version", "consent_given_at", "original_format",
        "original_width", "original_height", "original_sha256", "processing_status", "processing_error",
        "processed_at", "placeholder", "dominant_color", "phash", "near_duplicate_of", "award",
        "consent_language", "consent_participation", "publish_consent", "publish_region_consent",
        "publication_changed_at", "guardian_confirmed_at", "confirmation_sent_at", "personal_data_purged_at",
        "moderation_status", "rejection_reason", "moderated_at",
        "render_attempts", "render_retries", "render_retry_at", "render_lease_until", "render_lease_owner",
    ]
    exclude = ["original"]
    inlines = [RenditionInline]
    actions = ["approve", "reject", "retry_rendering", "shortlist", "unshortlist"]

    # Deleting here is the same erase as a withdrawal (files, anonymous
    # count, audit row), never a bare row delete that leaves the drawing in
    # storage: both the delete view and the "delete selected" action.
    def delete_model(self, request, obj):
        services.entry_erase(entry=obj, reason="deleted", actor=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset.only("pk"):
            services.entry_erase(entry=entry, reason="deleted", actor=request.user)

    @admin.action(description=_("Retry making the images of the selected failed entries"))
    def retry_rendering(self, request, queryset):
        n = services.entries_retry_failed(entries=queryset)
        self.message_user(request, _("%(n)d entries queued again.") % {"n": n})

    @admin.action(description=_("Put the selected entries on the people's choice ballot (approved, publication agreed)"))
    def shortlist(self, request, queryset):
        n = services.entries_shortlist(entries=queryset, shortlisted=True)
        self.message_user(request, _("%(n)d entries put on the ballot.") % {"n": n})

    @admin.action(description=_("Take the selected entries off the people's choice ballot"))
    def unshortlist(self, request, queryset):
        n = services.entries_shortlist(entries=queryset, shortlisted=False)
        self.message_user(request, _("%(n)d entries taken off the ballot.") % {"n": n})

    @admin.action(description=_("Approve the selected entries (only those their guardian confirmed)"))
    def approve(self, request, queryset):
        n = services.entries_moderate(entries=queryset, approve=True, actor=request.user)
        self.message_user(request, _("%(n)d entries approved.") % {"n": n})

    @admin.action(description=_("Reject the selected entries (reason: not a drawing; use the moderation queue for others)"))
    def reject(self, request, queryset):
        n = services.entries_moderate(
            entries=queryset, approve=False, reason=Entry.RejectionReason.NOT_A_DRAWING, actor=request.user
        )
        self.message_user(request, _("%(n)d entries rejected.") % {"n": n})


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    """Teachers and studios: approval goes through `services.teacher_approve`
    (audited, refused before the address is verified)."""

    list_display = ["full_name", "school", "country", "region", "email_verified_at", "approved_at"]
    list_filter = ["country", ("email_verified_at", admin.EmptyFieldListFilter),
                   ("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "school", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "email_verified_at", "approved_at", "approved_by"]
    actions = ["approve"]

    def has_add_permission(self, request):
        # Teachers register themselves (their address verified by a link).
        return False

    @admin.action(description=_("Approve the selected teachers (only those who verified their address)"))
    def approve(self, request, queryset):
        approved = refused = 0
        for teacher in queryset.filter(approved_at__isnull=True):
            try:
                services.teacher_approve(teacher=teacher, actor=request.user)
            except ValidationError:
                refused += 1
            else:
                approved += 1
        self.message_user(request, ngettext(
            "%(n)d teacher approved.", "%(n)d teachers approved.", approved) % {"n": approved})
        if refused:
            self.message_user(request, ngettext(
                "%(n)d teacher has not verified the address yet.", "%(n)d teachers have not verified their address yet.",
                refused) % {"n": refused}, messages.WARNING)


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "requeued", "older_than_seconds"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records nobody edits by hand (logs, runs, scores)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "contest", "entry_reference"]
    list_filter = ["action", "contest"]
    search_fields = ["entry_reference", "actor_label"]


@admin.register(ContestRole)
class ContestRoleAdmin(ReadOnlyAdmin):
    """Who organizes and moderates which contest; given and taken away on
    each contest's team page (`/organize/<slug>/team/`), which audits it."""

    list_display = ["contest", "user", "role", "granted_at", "granted_by"]
    list_filter = ["role", "contest"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["contest", "user", "granted_by"]


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "rule", "entries", "dry_run"]
    list_filter = ["rule", "dry_run"]


@admin.register(AnonymousCount)
class AnonymousCountAdmin(ReadOnlyAdmin):
    list_display = ["contest", "country", "age_category", "reason", "count"]
    list_filter = ["contest", "reason", "country"]


class ConsentTextAdminForm(forms.ModelForm):
    class Meta:
        model = ConsentText
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        contest, language, version = cleaned.get("contest"), cleaned.get("language"), cleaned.get("version")
        # Entries without a row of their own accepted the contest's text under
        # its version: a row with that version would rewrite what they accepted.
        if contest and language and version and selectors.consent_version_accepted(
            contest_id=contest.pk, language=language, version=version
        ):
            raise forms.ValidationError(
                _("Guardians already accepted version %(version)s in this language: give the new wording a new version.")
                % {"version": version}
            )
        return cleaned


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Consent texts per contest and language. A version is never edited
    once saved (guardians may have accepted it): add a new version. A
    version an entry accepted cannot be deleted either: the entry's record
    of what its guardian agreed to would be lost."""

    form = ConsentTextAdminForm
    list_display = ["contest", "language", "version", "created_at"]
    list_filter = ["contest", "language"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and selectors.consent_version_accepted(
            contest_id=obj.contest_id, language=obj.language, version=obj.version
        ):
            return False
        return super().has_delete_permission(request, obj)
