"""What a judge set aside in their queue: the drawings they flagged for
discussion (with their notes) and those they abstained from; and, for
organizers, every flag of a contest. Each is one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from contest.models import Contest

from ..discussion import DiscussionFlag
from ..models import Conflict
from .blind import anonymous_label


@dataclass(frozen=True)
class AbstainedEntry:
    """An entry the judge abstained from, as the judge may know it: their
    label for it, its title and category, and the reason they gave."""

    id: int
    label: str
    title: str
    age_category_name: str
    reason: str


def discussion_flags_for_judge(*, contest: Contest, user) -> dict[int, str]:
    """`user`'s flags for discussion in `contest`: entry id -> note ("" for
    a flag without a note). One query."""
    return dict(DiscussionFlag.objects.filter(contest=contest, judge=user).values_list("entry_id", "note"))


def discussion_flag_for_judge(*, user, entry_id: int) -> DiscussionFlag | None:
    """`user`'s flag for discussion of entry `entry_id`, or None. One query."""
    return DiscussionFlag.objects.filter(judge=user, entry_id=entry_id).only("id", "note", "created_at").first()


def abstained_entries_for_judge(*, contest: Contest, user) -> list[AbstainedEntry]:
    """The entries of `contest` that `user` abstained from, newest first,
    blind (label, title, category and the judge's own reason: nothing that
    names the child). One query."""
    rows = (
        Conflict.objects.filter(judge=user, entry__contest=contest)
        .order_by("-created_at", "-id")
        .values("entry_id", "entry__title", "entry__age_category__name", "reason")
    )
    return [
        AbstainedEntry(
            id=row["entry_id"], label=anonymous_label(judge_id=user.pk, entry_id=row["entry_id"]),
            title=row["entry__title"], age_category_name=row["entry__age_category__name"], reason=row["reason"],
        )
        for row in rows
    ]


def discussion_flag_list(*, contest: Contest) -> QuerySet[DiscussionFlag]:
    """Every flag for discussion of `contest`, newest first, for organizers:
    with the judge's username and the entry's reference code and title.
    One query."""
    return (
        DiscussionFlag.objects.filter(contest=contest)
        .select_related("judge", "entry")
        .only("id", "note", "created_at", "judge__username", "entry__reference", "entry__title")
        .order_by("-created_at", "-id")
    )
