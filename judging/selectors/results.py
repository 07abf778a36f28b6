"""The organizers' figures of a round: the results page (ranking,
agreement, each judge's distribution of totals) and the dashboard's
judging progress per age category."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from contest.models import AgeCategory, Contest, SpecialAward

from .. import scoring
from ..models import JudgingSettings, Round
from ..scoring.scaled import decimal_cents
from .ranking import CategoryRanking, ranking_parts, round_sheets
from .rounds import judging_settings_get, round_current, round_entries, scoring_criteria


@dataclass(frozen=True)
class JudgeDistribution:
    """One judge's totals in the round: count, mean, spread, 10 bins."""

    judge_id: int
    name: str
    sheets: int
    mean: Decimal | None
    sd: Decimal | None
    normalized: bool
    bins: list[int]
    bars: list[tuple[int, int, int]]  # (x, y, height) in the SVG's units


@dataclass(frozen=True)
class Results:
    """The organizer's results page for one round."""

    settings: JudgingSettings
    round: Round
    rounds: list[Round]
    ranking: list[CategoryRanking]
    judges: list[JudgeDistribution]
    special_awards: list[SpecialAward] = field(default_factory=list)  # the contest's, in their order


BAR_WIDTH = 12
CHART_HEIGHT = 40


def results_for_organizer(*, contest: Contest, round_number: int | None = None, shown=None) -> Results:
    """Everything the organizer's results page shows for one round: the
    ranking with agreement and suggestions, and every judge's distribution
    of totals (for the small SVG charts), and the contest's special awards.
    `shown`: the rows of each category that will be read (a page; see
    `ranking.ranking_parts`), None for all. Eight queries when the figures
    are cached (the results page's usual case), nine or ten when they are
    computed, whatever the number of entries, sheets or awards."""
    blocks, settings, rnd, rounds, core, names = ranking_parts(
        contest=contest, round_number=round_number, with_stats=True, shown=shown
    )
    distributions = []
    for figures in sorted(core.judges, key=lambda f: names.get(f.judge_id, "")):
        tallest = max(figures.bins) or 1
        bars = []
        for i, count in enumerate(figures.bins):
            height = round(CHART_HEIGHT * count / tallest)
            bars.append((i * BAR_WIDTH, CHART_HEIGHT - height, height))
        distributions.append(
            JudgeDistribution(
                judge_id=figures.judge_id,
                name=names.get(figures.judge_id, str(figures.judge_id)),
                sheets=figures.sheets,
                mean=decimal_cents(figures.mean_cents),
                sd=decimal_cents(figures.sd_cents),
                normalized=figures.normalized,
                bins=figures.bins,
                bars=bars,
            )
        )
    return Results(
        settings=settings, round=rnd, rounds=rounds, ranking=blocks, judges=distributions,
        special_awards=list(SpecialAward.objects.filter(contest=contest)),
    )


@dataclass(frozen=True)
class CategoryProgress:
    """Judging progress in one age category: `complete` score sheets of the
    `needed` ones (K judges per entry × the entries judged in the round)."""

    category: AgeCategory
    entries: int
    judges_per_entry: int
    complete: int

    @property
    def needed(self) -> int:
        return self.entries * self.judges_per_entry

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.needed) if self.needed else 0


def judging_progress_by_category(*, contest: Contest) -> tuple[Round, list[CategoryProgress]]:
    """The latest round and, per age category (youngest first), how many of
    the score sheets it needs are complete. An entry needs
    `JudgingSettings.min_judges` complete sheets; sheets beyond that and the
    sheets of judges who abstained do not count. Six queries, whatever the
    number of entries, judges or scores."""
    settings = judging_settings_get(contest=contest)
    rnd = round_current(contest=contest)
    categories = list(AgeCategory.objects.filter(contest=contest).order_by("min_age"))
    criteria = scoring_criteria(contest=contest, round_number=rnd.number)
    entries = dict(round_entries(contest=contest, round=rnd).values_list("id", "age_category_id"))
    sheets, _partial = round_sheets(contest=contest, round=rnd, criteria=criteria, entry_ids=set(entries))
    per_entry: dict[int, int] = defaultdict(int)
    for sheet in sheets:
        per_entry[sheet.entry] += 1
    k = settings.min_judges
    entry_count: dict[int, int] = defaultdict(int)
    complete: dict[int, int] = defaultdict(int)
    for entry_id, category_id in entries.items():
        entry_count[category_id] += 1
        complete[category_id] += min(per_entry.get(entry_id, 0), k)
    return rnd, [
        CategoryProgress(
            category=category, entries=entry_count[category.pk], judges_per_entry=k, complete=complete[category.pk]
        )
        for category in categories
    ]
