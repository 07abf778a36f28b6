"""Promoting a national round's best entries to the regional final, by the
round's ranking or by its jury's explicit choice (the copying itself is
`contest.services.entries_promote`), and giving the rounds the final's
rubric.

The rule at the cut (documented for coordinators): the first `quota`
ranked entries of the age category go up, in the round's ranking order
(`judging.selectors.contest_ranking`: the median and the top-3 votes break
ties first). The ranking decides only when it can: when an entry among the
first `quota` has fewer complete score sheets than the round's minimum, or
when the entry at place `quota` still shares its rank with the next one
(an exact tie at the cut), nothing is promoted and `PromotionUndecided`
names the entries concerned; the coordinator then promotes by an explicit
choice. Submission time or ids never decide.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contest.models import AgeCategory, Contest, Entry
from contest.services import entries_promote

from .. import phrases
from ..models import Criterion
from ..selectors import contest_ranking, judging_over
from ..selectors.ranking_core import ranking_version_bump


class PromotionUndecided(ValidationError):
    """The ranking cannot decide who goes up (a tie at the cut, or too few
    score sheets): `references` names the entries the coordinator chooses
    among."""

    def __init__(self, message: str, *, references: list[str]):
        super().__init__(message)
        self.references = references


def promotion_candidates(*, round: Contest, category: AgeCategory, quota: int) -> list[int]:
    """The ids of the entries of `category` (a category of the national
    round `round`) its ranking promotes: the first `quota` ranked ones, in
    ranking order (fewer when fewer are ranked). Raises
    `PromotionUndecided` under the rule of this module's docstring."""
    if quota < 1:
        raise ValidationError(_("Promote at least one entry."))
    block = next((b for b in contest_ranking(contest=round, cached=False) if b.category.pk == category.pk), None)
    rows = [row for row in (block.rows if block else []) if row.rank is not None]
    chosen = rows[:quota]
    short = [row.reference for row in chosen if not row.complete]
    if short:
        raise PromotionUndecided(
            _("Some of these entries have too few score sheets to be promoted by rank: %(refs)s. Choose them yourself.")
            % {"refs": ", ".join(short)}, references=short,
        )
    if len(rows) > quota and rows[quota - 1].rank == rows[quota].rank:
        tied = [row.reference for row in rows if row.rank == rows[quota].rank]
        raise PromotionUndecided(
            _("These entries are tied at the last promoted place: %(refs)s. Choose which go up.")
            % {"refs": ", ".join(tied)}, references=tied,
        )
    return [row.entry_id for row in chosen]


def round_promote(
    *, round: Contest, category: AgeCategory, quota: int, actor=None, entry_ids: Iterable[int] | None = None,
    references: Iterable[str] | None = None,
) -> list[Entry]:
    """Promote entries of `category` of the national round `round` to its
    regional final: the ranking's first `quota` (`promotion_candidates`),
    or, with `entry_ids` (or their `references`, the receipt codes), the
    jury's explicit choice (at most `quota` entries, all of `category`).
    Returns the new entries of the final. Raises `ValidationError`
    (`PromotionUndecided` when the ranking cannot decide; an unknown
    reference; the round's judging not over yet, `selectors.judging_over`);
    nothing is saved then."""
    if not judging_over(contest=round):
        raise ValidationError(phrases.ROUND_NOT_FINISHED, code="not_finished")
    if references:
        wanted = list(dict.fromkeys(references))
        found = dict(Entry.objects.filter(contest=round, reference__in=wanted).values_list("reference", "pk"))
        unknown = [code for code in wanted if code not in found]
        if unknown:
            raise ValidationError(_("No entry of this round has the code %(refs)s.") % {"refs": ", ".join(unknown)})
        entry_ids = [found[code] for code in wanted]
    if entry_ids is None:
        ids, basis = promotion_candidates(round=round, category=category, quota=quota), "rank"
    else:
        ids, basis = list(dict.fromkeys(entry_ids)), "choice"
        if not ids or len(ids) > quota:
            raise ValidationError(_("Choose between 1 and %(quota)s entries.") % {"quota": quota})
        if Entry.objects.filter(pk__in=ids).exclude(age_category=category).exists():
            raise ValidationError(_("Choose entries of this age category only."))
    if not ids:
        raise ValidationError(_("No entry of this age category is ranked yet."))
    return entries_promote(round=round, entry_ids=ids, actor=actor, basis=basis)


def national_rounds_rubric_copy(*, contest: Contest) -> int:
    """Give each national round of the regional contest `contest` that has
    no criteria the final's criteria of every judging round (names, weights,
    points, order). Returns how many criteria were created."""
    source = list(Criterion.objects.filter(contest=contest))
    made = []
    with transaction.atomic():
        for round_ in Contest.objects.filter(parent=contest).exclude(criteria__isnull=False):
            made += [
                Criterion(contest=round_, round_number=c.round_number, name=c.name, description=c.description,
                          weight=c.weight, max_points=c.max_points, order=c.order)
                for c in source
            ]
        Criterion.objects.bulk_create(made)
        for contest_id in {c.contest_id for c in made}:
            ranking_version_bump(contest_id=contest_id)
    return len(made)
