"""The demo's people's choice (`seed_demo`): the finished contest's best
drawings on a ballot, its vote open for two months from the seeding, so
that anyone trying the demo can vote, confirm the vote from the e-mail
under `var/mail/` and watch the organizer's report count it."""

from __future__ import annotations

import datetime as dt

from contest import services as contest_services
from contest.models import Contest, Entry

# How many drawings of each age category go on the ballot (best ranked first).
BALLOT_PER_CATEGORY = 4
VOTE_DAYS = 60


def seed_peoples_choice(*, contest: Contest, entry_ids_by_rank: list[int], now: dt.datetime) -> int:
    """Turn on `contest`'s people's choice with its window
    [now - 1 day, now + `VOTE_DAYS` days) and put up to
    `BALLOT_PER_CATEGORY` entries of each age category on the ballot, taken
    in the order of `entry_ids_by_rank` (entry ids, best first; entries the
    public may not see are skipped by `entries_shortlist`). Returns how
    many entries went on the ballot. Does nothing (0) when the contest
    already has a people's choice."""
    if contest.peoples_choice:
        return 0
    per_category: dict[int, list[int]] = {}
    categories = dict(Entry.objects.filter(pk__in=entry_ids_by_rank).values_list("pk", "age_category_id"))
    for entry_id in entry_ids_by_rank:
        chosen = per_category.setdefault(categories.get(entry_id), [])
        if entry_id in categories and len(chosen) < BALLOT_PER_CATEGORY:
            chosen.append(entry_id)
    Contest.objects.filter(pk=contest.pk).update(
        peoples_choice=True, vote_opens_at=now - dt.timedelta(days=1), vote_closes_at=now + dt.timedelta(days=VOTE_DAYS),
    )
    contest.refresh_from_db()
    ids = [pk for chosen in per_category.values() for pk in chosen]
    return contest_services.entries_shortlist(entries=Entry.objects.filter(pk__in=ids), shortlisted=True)
