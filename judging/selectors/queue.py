"""The judge's queue: which entries a judge judges, in the judge's own
order, with their progress (see `blind` for what a judge may know of an
entry).

One rule decides membership of a queue, `queue_entries`: the entries of
the judge's round, limited to their categories and, once entries were
assigned, to their assignment. Without the entries the judge abstained
from, that is the queue the pages list (`judge_queue`), the check of one
entry (`entry_in_judge_queue`) and, with the reference drawings, what a
judge may see (`judge_sees_entry`, the image permission in
`judging.rules`). Every list here issues a fixed number of queries,
whatever the number of entries or judges.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from contest.models import Contest, Entry

from ..models import CalibrationEntry, Conflict, Criterion, EntryAssignment, JudgeAssignment, Round
from .blind import BLIND_FIELDS, BlindEntry, blind_entry, entry_for_token, judge_order_key
from .calibration import calibration_pending_count, calibration_queue_for_judge
from .rounds import round_entries, round_list


@dataclass(frozen=True)
class Progress:
    """A judge has complete score sheets for `scored` of `total` entries."""

    scored: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.scored / self.total) if self.total else 0


@dataclass(frozen=True)
class ContestProgress:
    """A contest on the judge's home page with the judge's progress in it."""

    contest: Contest
    progress: Progress


@dataclass(frozen=True)
class JudgeQueue:
    """A judge's work in one contest: the round they judge, their entries
    in their own order, and how many reference drawings are still to score
    before judging (`calibration_pending`)."""

    round: Round
    entries: list[BlindEntry]
    calibration_pending: int
    calibration_total: int

    @property
    def progress(self) -> Progress:
        return judge_progress(entries=self.entries)

    def next_unscored(self, *, after: int | None = None) -> BlindEntry | None:
        """The first unscored entry after entry id `after` in the judge's
        order, wrapping around; None when every entry is scored."""
        entries = self.entries
        start = next((i + 1 for i, e in enumerate(entries) if e.id == after), 0)
        for e in entries[start:] + entries[:start]:
            if not e.is_scored and e.id != after:
                return e
        return None

    @property
    def progress_by_category(self) -> list[tuple[str, Progress]]:
        """(age category name, the judge's progress in it) for every
        category of the queue, by category id. No query."""
        names: dict[int, str] = {}
        for e in self.entries:
            names.setdefault(e.age_category_id, e.age_category_name)
        return [
            (names[c], judge_progress(entries=[e for e in self.entries if e.age_category_id == c]))
            for c in sorted(names)
        ]

    def neighbours(self, *, entry_id: int) -> tuple[BlindEntry | None, BlindEntry | None]:
        """The entries before and after entry id `entry_id` in the judge's
        order (None at either end, or both when it is not in the queue).
        No query."""
        ids = [e.id for e in self.entries]
        if entry_id not in ids:
            return None, None
        i = ids.index(entry_id)
        return (self.entries[i - 1] if i > 0 else None), (self.entries[i + 1] if i + 1 < len(ids) else None)

    def entry_for_token(self, token: str) -> BlindEntry | None:
        """The queue's entry with this judge's URL `token`; None when none
        has it (another judge's token, an entry left out). No query."""
        return entry_for_token(entries=self.entries, token=token)


def contest_list_for_judge(*, user) -> list[ContestProgress]:
    """The contests `user` judges, newest first, each with the judge's
    progress in the latest round they are on. One query for the contests,
    then the judge's queue of each (`judge_queue`, a fixed number of
    queries): constant in the number of entries, linear in the number of
    contests a judge is on (one or two a year)."""
    contests = list(
        Contest.objects.filter(judge_assignments__judge=user).distinct().order_by("-opens_at")
        .prefetch_related("translations")
    )
    result = []
    for contest in contests:
        queue = judge_queue(contest=contest, user=user)
        result.append(ContestProgress(contest=contest, progress=queue.progress))
    return result


def judge_round(*, contest: Contest, user, rounds: list[Round] | None = None) -> tuple[Round, JudgeAssignment | None]:
    """The latest round whose panel `user` is on, and that assignment (with
    its categories prefetched); two or three queries."""
    rounds = rounds if rounds is not None else round_list(contest=contest)
    assignments = {
        a.round_number: a
        for a in JudgeAssignment.objects.filter(contest=contest, judge=user).prefetch_related("categories")
    }
    for r in reversed(rounds):
        if r.number in assignments:
            return r, assignments[r.number]
    return rounds[0], assignments.get(1)


def queue_entries(*, contest: Contest, user, round: Round, assignment: JudgeAssignment | None) -> QuerySet[Entry]:
    """The membership rule of a judge's queue in `round`: its judgeable
    entries (`round_entries`), limited to the categories of `assignment`
    (every category when it names none) and, once the round's entries were
    assigned, to those assigned to `user`; nothing without an assignment.
    Entries the judge abstained from are still in (callers leave them out,
    or refuse them with their own message). A query set, not run here."""
    entries = round_entries(contest=contest, round=round)
    if assignment is None:
        return entries.none()
    category_ids = [c.pk for c in assignment.categories.all()]
    if category_ids:
        entries = entries.filter(age_category_id__in=category_ids)
    if round.entries_assigned_at is not None:
        entries = entries.filter(
            Exists(EntryAssignment.objects.filter(round_id=round.pk, judge=user, entry=OuterRef("pk")))
        )
    return entries


def _without_conflicts(entries: QuerySet[Entry], *, user) -> QuerySet[Entry]:
    return entries.exclude(Exists(Conflict.objects.filter(judge=user, entry=OuterRef("pk"))))


def queue_sizes(*, contest: Contest, assignments: list[JudgeAssignment], rounds: list[Round]) -> dict[int, int]:
    """How many drawings each of `assignments` (judges on `contest`'s
    panels, categories prefetched, `judge` loaded) has in their queue of
    that assignment's round (`queue_entries` without the entries they
    abstained from, as `judge_queue` lists them): assignment id → count.
    `rounds` is `round_list`'s; a round not among them holds nothing past
    round 1. One query, whatever the number of judges; none without
    assignments."""
    by_number = {r.number: r for r in rounds}
    counts = {}
    for a in assignments:
        rnd = by_number.get(a.round_number) or Round(contest=contest, number=a.round_number)
        entries = _without_conflicts(
            queue_entries(contest=contest, user=a.judge, round=rnd, assignment=a), user=a.judge
        )
        counts[f"a{a.pk}"] = Count("pk", filter=Q(pk__in=entries.values("pk")))
    if not counts:
        return {}
    row = Entry.objects.filter(contest=contest).aggregate(**counts)
    return {a.pk: row[f"a{a.pk}"] for a in assignments}


def _queue_values(*, contest: Contest, user, round: Round, assignment: JudgeAssignment | None) -> QuerySet:
    entries = _without_conflicts(
        queue_entries(contest=contest, user=user, round=round, assignment=assignment), user=user
    )
    if assignment is None:
        return entries.values(*BLIND_FIELDS)
    return entries.values(*BLIND_FIELDS).annotate(
        scored_criteria=Count(
            "scores__criterion_id",
            filter=Q(scores__judge=user, scores__criterion__round_number=round.number),
            distinct=True,
        )
    )


def judge_queue(*, contest: Contest, user) -> JudgeQueue:
    """The entries `user` judges in the latest round they are on, in the
    judge's own stable random order, without entries they abstained from,
    limited to their categories and, once entries were assigned, to their
    assignment. A fixed number of queries (rounds, assignment, categories,
    criteria, entries, calibration). The caller checks access
    (the `judging.judge_contest` permission)."""
    rnd, assignment = judge_round(contest=contest, user=user)
    criteria_total = Criterion.objects.filter(contest=contest, round_number=rnd.number).count()
    rows = list(_queue_values(contest=contest, user=user, round=rnd, assignment=assignment))
    rows.sort(key=lambda row: judge_order_key(judge_id=user.pk, round_number=rnd.number, entry_id=row["id"]))
    entries = [
        blind_entry(row=row, judge_id=user.pk, criteria_total=criteria_total, position=i)
        for i, row in enumerate(rows, start=1)
    ]
    pending, total = (0, 0)
    if rnd.number == 1:
        pending, total = calibration_pending_count(contest=contest, user=user, criteria_total=criteria_total)
    return JudgeQueue(round=rnd, entries=entries, calibration_pending=pending, calibration_total=total)


def entry_list_for_judge(*, contest: Contest, user) -> list[BlindEntry]:
    """The entries of `judge_queue`, in the judge's order."""
    return judge_queue(contest=contest, user=user).entries


def judge_progress(*, entries: list[BlindEntry]) -> Progress:
    """Scored N of M, from a list of `BlindEntry` (no query)."""
    return Progress(scored=sum(1 for e in entries if e.is_scored), total=len(entries))


def entry_visible_to_judge(*, contest: Contest, user, token: str) -> BlindEntry | None:
    """The entry `user` knows by URL `token` in `contest`: one of their
    queue (`judge_queue`) or one of the contest's reference drawings; None
    otherwise. A fixed number of queries (the queue's, then the reference
    drawings'). The caller checks access (`judging.judge_contest`)."""
    found = judge_queue(contest=contest, user=user).entry_for_token(token)
    if found is None:
        found = entry_for_token(entries=calibration_queue_for_judge(contest=contest, user=user), token=token)
    return found


def entry_in_judge_queue(*, contest: Contest, user, entry_id: int) -> bool:
    """Whether `entry_id` is in `user`'s queue of `contest` (the rule of
    `judge_queue`, which the judging pages use): the judge's latest
    round, their categories and, once entries were assigned, their own
    assigned entries; judgeable entries only, abstained ones excluded.
    Three or four queries."""
    rnd, assignment = judge_round(contest=contest, user=user)
    if assignment is None:
        return False
    entries = queue_entries(contest=contest, user=user, round=rnd, assignment=assignment)
    return _without_conflicts(entries, user=user).filter(pk=entry_id).exists()


def judge_sees_entry(*, contest: Contest, user, entry_id: int) -> bool:
    """Whether `user` may see entry `entry_id` of `contest` as its judge:
    it is one of the contest's reference drawings, or it is in their queue
    (`entry_in_judge_queue`). One query for a reference drawing, four or
    five otherwise. Whether the entry is judgeable and `user` on a panel
    is the caller's (`judging.rules.can_see_entry_image`)."""
    if CalibrationEntry.objects.filter(contest_id=contest.pk, entry_id=entry_id).exists():
        return True
    return entry_in_judge_queue(contest=contest, user=user, entry_id=entry_id)
