"""Reads for the contest app. Every list here costs a constant number of
SQL queries whatever the number of entries."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Contest, Entry, Rendition

# The only entry fields the public ever gets.
PUBLIC_ENTRY_FIELDS = [
    "id", "public_id", "contest_id", "age_category_id", "title", "description", "child_first_name",
    "child_age", "country", "award", "placeholder", "dominant_color", "publish_consent",
    "moderation_status", "processing_status",
]


def contest_list_public() -> tuple[QuerySet, QuerySet]:
    """(open contests, contests with published results)."""
    now = timezone.now()
    open_now = Contest.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")
    published = Contest.objects.filter(results_published_at__isnull=False).order_by("-results_published_at")
    return open_now, published


def winners_for_gallery(*, contest: Contest) -> list[tuple]:
    """[(age category, [entries with renditions, by place])] for a contest
    whose results are published; only winners whose guardian consented."""
    if contest.results_published_at is None:
        return []
    entries = (
        Entry.objects.filter(
            contest=contest,
            award__isnull=False,
            publish_consent=True,
            moderation_status=Entry.Moderation.APPROVED,
            processing_status=Entry.Processing.READY,
        )
        .only(*PUBLIC_ENTRY_FIELDS)
        .order_by("age_category__min_age", "award")
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.only("entry_id", "kind", "format", "width", "height")))
    )
    by_category = {}
    for entry in entries:
        by_category.setdefault(entry.age_category_id, []).append(entry)
    return [(category, by_category.get(category.id, [])) for category in contest.age_categories.all()]


def entry_public_get(*, public_id) -> Entry | None:
    """The published winner with this public id, or None."""
    entry = (
        Entry.objects.select_related("contest", "age_category")
        .only(*PUBLIC_ENTRY_FIELDS, "contest__title", "contest__slug", "contest__results_published_at",
              "age_category__name", "age_category__min_age", "age_category__max_age")
        .prefetch_related("renditions")
        .filter(public_id=public_id)
        .first()
    )
    return entry
