"""The reference ranking: the portal's previous implementation (Decimal
sheet totals, `scoring.normalize`, Decimal means and medians), kept here
so that the tests (and bench/bench_ranking.py) can check that
`judging.scoring.scaled.aggregate_scaled` ranks exactly as it did: the
same ranks, tie flags, tie-breaks and shown figures. No Django; not used
by the product.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import Decimal

from judging.scoring import (
    RAW, TOP_N_VOTE, ZSCORE, Aggregate, EntryRanking, Sheet, TieBreak, mean, mean_display, median, normalize,
)
from judging.scoring.figures import _sort_key


def top_votes(sheets: Sequence[Sheet], categories: Mapping[Hashable, Hashable], n: int = TOP_N_VOTE) -> dict[Hashable, int]:
    """For each entry, how many judges put it in their own top `n` of its
    category: the entries whose total ranks n or better among that judge's
    totals in the category, with competition ranking (so equal totals at
    place n all count)."""
    per_judge_category: dict[tuple[Hashable, Hashable], list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        per_judge_category[(sheet.judge, categories[sheet.entry])].append(sheet)
    votes: dict[Hashable, int] = defaultdict(int)
    for own in per_judge_category.values():
        ordered = sorted((s.total for s in own), reverse=True)
        threshold = ordered[min(n, len(ordered)) - 1]
        for s in own:
            if s.total >= threshold:
                votes[s.entry] += 1
    return votes


def aggregate(
    *,
    sheets: Iterable[Sheet],
    categories: Mapping[Hashable, Hashable],
    normalization: str = RAW,
    min_judges: int = 3,
) -> Aggregate:
    """Rank the entries of one round within their categories.

    `sheets`: the complete sheets of the round (one per judge and entry; the
    caller leaves out judges who declared a conflict). `categories`: every
    entry of the round -> its category, in the order categories should be
    listed (entries nobody scored are listed last, rank None).

    1. Per entry, the *raw mean* is the mean of its judges' totals and the
       *normalized mean* the mean of their normalized totals (`normalize`).
       `normalization` ("raw" or "zscore") picks which one ranks; the
       *median* is taken over the same per-judge figures.
    2. Within a category, entries are ordered by the ranking mean, highest
       first; equal means (to 0.01) are ordered by the higher median, then by
       more top-3 votes (`top_votes`). Entries equal on all three share a
       rank (competition ranking, "1224") and are flagged `tie` for the
       organizer: submission time or ids never decide.
    3. An entry with fewer than `min_judges` sheets is `complete=False`; it
       is still ranked so organizers see it, flagged.
    """
    sheets = [s for s in sheets if s.entry in categories]
    normalized, judge_stats = normalize(sheets)
    votes = top_votes(sheets, categories)

    raw_by_entry: dict[Hashable, list[Decimal]] = defaultdict(list)
    norm_by_entry: dict[Hashable, list[Decimal]] = defaultdict(list)
    for s in sheets:
        raw_by_entry[s.entry].append(s.total)
        norm_by_entry[s.entry].append(normalized[(s.judge, s.entry)])
    use_normalized = normalization == ZSCORE

    by_category: dict[Hashable, list[Hashable]] = {}
    for entry, category in categories.items():
        by_category.setdefault(category, []).append(entry)

    result: dict[Hashable, list[EntryRanking]] = {}
    for category, entries in by_category.items():
        scored, unscored = [], []
        for entry in entries:
            raw = raw_by_entry.get(entry, [])
            if not raw:
                unscored.append(entry)
                continue
            figures = norm_by_entry[entry] if use_normalized else raw
            scored.append(
                {
                    "entry": entry,
                    "raw_mean": mean(raw),
                    "normalized_mean": mean(norm_by_entry[entry]),
                    "mean": mean(figures),
                    "median": median(figures),
                    "judges": len(raw),
                    "votes": votes.get(entry, 0),
                }
            )
        for line in scored:
            line["key"] = (mean_display(line["mean"]), mean_display(line["median"]), line["votes"])
        scored.sort(key=lambda line: (tuple(-k for k in line["key"]), _sort_key(line["entry"])))

        # Counting keys keeps this linear: how many entries share the mean,
        # the mean and median, or all three figures.
        same_mean = Counter(line["key"][:1] for line in scored)
        same_median = Counter(line["key"][:2] for line in scored)
        same_all = Counter(line["key"] for line in scored)
        lines: list[EntryRanking] = []
        current_rank = 0
        for position, line in enumerate(scored, start=1):
            if position == 1 or line["key"] != scored[position - 2]["key"]:
                current_rank = position
            if same_mean[line["key"][:1]] == 1:
                tie_break = TieBreak.NONE
            elif same_all[line["key"]] > 1:
                tie_break = TieBreak.UNRESOLVED
            elif same_median[line["key"][:2]] == 1:
                tie_break = TieBreak.MEDIAN
            else:
                tie_break = TieBreak.TOP3
            lines.append(
                EntryRanking(
                    entry=line["entry"],
                    category=category,
                    rank=current_rank,
                    mean=line["mean"],
                    raw_mean=line["raw_mean"],
                    normalized_mean=line["normalized_mean"],
                    median=line["median"],
                    judges=line["judges"],
                    top3_votes=line["votes"],
                    complete=line["judges"] >= min_judges,
                    tie=tie_break == TieBreak.UNRESOLVED,
                    tie_break=tie_break,
                )
            )
        for entry in sorted(unscored, key=_sort_key):
            lines.append(
                EntryRanking(
                    entry=entry, category=category, rank=None, mean=None, raw_mean=None, normalized_mean=None,
                    median=None, judges=0, top3_votes=0, complete=min_judges <= 0, tie=False,
                )
            )
        result[category] = lines
    return Aggregate(categories=result, judges=judge_stats, normalized_totals=normalized)
