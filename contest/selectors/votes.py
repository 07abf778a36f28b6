"""Reads of the people's choice: the public ballot, the result once the
window has closed, and the organizers' report of suspicious bursts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from ..models import Contest, Entry, Rendition, Vote

# The only entry fields the ballot and the result ever read: the public
# renditions and the title, never a name, a school or the child's own words.
BALLOT_ENTRY_FIELDS = ["id", "public_id", "contest_id", "age_category_id", "title", "dominant_color"]


def _ballot_entries(*, contest: Contest):
    return (
        Entry.objects.on_ballot(contest=contest)
        .only(*BALLOT_ENTRY_FIELDS)
        .prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.only("entry_id", "kind", "format", "width", "height"))
        )
    )


def ballot_for_public(*, contest: Contest) -> list[tuple]:
    """[(age category, [entries on the ballot, by id])] of every category
    with at least one; [] unless the window has opened
    (`EntryQuerySet.on_ballot`). Three queries (categories unless
    prefetched, entries, renditions), and no vote counts."""
    by_category: dict[int, list[Entry]] = {}
    for entry in _ballot_entries(contest=contest).order_by("id"):
        by_category.setdefault(entry.age_category_id, []).append(entry)
    return [(category, by_category[category.pk]) for category in contest.age_categories.all() if category.pk in by_category]


def peoples_choice_results(*, contest: Contest, at: dt.datetime | None = None) -> list[tuple]:
    """[(age category, [(entry, counted votes)], most votes first, then by
    id)] once the window has closed (`Contest.voting_closed`); [] before,
    so no count is ever shown while people vote. Entries with no vote are
    listed with 0."""
    if not contest.voting_closed(at):
        return []
    entries = _ballot_entries(contest=contest).annotate(
        counted=Count("votes", filter=Q(votes__confirmed_at__isnull=False, votes__voided_at__isnull=True))
    )
    by_category: dict[int, list[tuple]] = {}
    for entry in sorted(entries, key=lambda e: (-e.counted, e.pk)):
        by_category.setdefault(entry.age_category_id, []).append((entry, entry.counted))
    return [(category, by_category[category.pk]) for category in contest.age_categories.all() if category.pk in by_category]


@dataclass(frozen=True)
class Burst:
    """Votes close together in time: `kind` "network" (one /24 or /64,
    `key` the network) or "entry" (one drawing, `key` its reference);
    `vote_ids` the not yet voided votes between `first` and `last`
    (aware datetimes), confirmed or not."""

    kind: str
    key: str
    first: dt.datetime
    last: dt.datetime
    vote_ids: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.vote_ids)


def _bursts(kind: str, rows: dict[str, list[tuple]], *, window: dt.timedelta, threshold: int) -> list[Burst]:
    found = []
    for key, votes in rows.items():
        votes.sort()
        start = 0
        while start + threshold <= len(votes):
            end = start
            while end + 1 < len(votes) and votes[end + 1][0] - votes[start][0] <= window:
                end += 1
            if end - start + 1 >= threshold:
                span = votes[start:end + 1]
                found.append(Burst(kind, key, span[0][0], span[-1][0], tuple(pk for _at, pk in span)))
                start = end + 1
            else:
                start += 1
    return found


def vote_bursts(*, contest: Contest, window_minutes: int, network_votes: int, entry_votes: int) -> list[Burst]:
    """The suspicious bursts of `contest`'s votes not yet voided: at least
    `network_votes` from one network, or `entry_votes` for one drawing,
    within `window_minutes` of the burst's first vote; each vote in at
    most one burst of its kind. Largest first. One query."""
    by_network: dict[str, list[tuple]] = {}
    by_entry: dict[str, list[tuple]] = {}
    for pk, at, network, reference in Vote.objects.filter(contest=contest, voided_at__isnull=True).values_list(
        "pk", "created_at", "network", "entry__reference"
    ):
        if network:
            by_network.setdefault(network, []).append((at, pk))
        by_entry.setdefault(reference, []).append((at, pk))
    window = dt.timedelta(minutes=window_minutes)
    bursts = _bursts("network", by_network, window=window, threshold=network_votes)
    bursts += _bursts("entry", by_entry, window=window, threshold=entry_votes)
    return sorted(bursts, key=lambda b: (-b.count, b.first, b.kind, b.key))


def votes_summary(*, contest: Contest) -> dict[str, int]:
    """How many votes `contest` has: "unconfirmed", "counted", "voided"
    (for organizers; the public sees counts only after the window)."""
    return Vote.objects.filter(contest=contest).aggregate(
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True, voided_at__isnull=True)),
        counted=Count("pk", filter=Q(confirmed_at__isnull=False, voided_at__isnull=True)),
        voided=Count("pk", filter=Q(voided_at__isnull=False)),
    )


def voting_now(*, contest: Contest) -> str:
    """"before", "open" or "closed" for a contest with a people's choice; "" without."""
    if not contest.peoples_choice:
        return ""
    now = timezone.now()
    return "open" if contest.voting_open(now) else "closed" if contest.voting_closed(now) else "before"
