"""What a ranking is made of: one entry's line (`EntryRanking`), the
tie-breaks (`TieBreak`), a category's lines kept compact
(`RankingLines`) and the whole result (`Aggregate`). No Django."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .normalization import JudgeNormalization

TOP_N_VOTE = 3
CENT = Decimal("0.01")


class TieBreak:
    """What set an entry apart from the entries with the same mean."""

    NONE = ""  # its mean is unlike any other entry's of the category
    MEDIAN = "median"
    TOP3 = "top3"
    UNRESOLVED = "unresolved"  # still tied: the organizer decides


@dataclass(frozen=True)
class EntryRanking:
    """One entry's line in its category's ranking.

    `mean` is the ranking figure: `normalized_mean` under z-score
    normalization, `raw_mean` otherwise (all 0-100). `median` is the median
    of the same per-judge figures. `rank` is None for an entry nobody
    scored. `complete` is False below `min_judges` sheets. `tie` is True
    when the entry still shares its rank after both tie-breaks.
    """

    entry: Hashable
    category: Hashable
    rank: int | None
    mean: Decimal | None
    raw_mean: Decimal | None
    normalized_mean: Decimal | None
    median: Decimal | None
    judges: int
    top3_votes: int
    complete: bool
    tie: bool
    tie_break: str = TieBreak.NONE


def decimal_cents(value: int) -> Decimal:
    """Hundredths as a Decimal with two places."""
    return (Decimal(value) / 100).quantize(CENT)


class RankingLines(Sequence):
    """A category's `EntryRanking`s, in ranking order, kept as plain tuples
    of integers and made into lines only when read: the cached figures of
    a 10,000 entry round unpickle in milliseconds and a page of 100 lines
    costs 100 lines.

    `rows`: (entry, rank or None, mean, median, raw mean, normalized mean
    (the four in hundredths, None when unscored), judges, top-3 votes,
    tie-break) per entry; `min_judges` decides `complete`."""

    __slots__ = ("category", "rows", "min_judges", "_made")

    def __init__(self, category: Hashable, rows: Sequence[tuple], min_judges: int):
        self.category, self.rows, self.min_judges = category, tuple(rows), min_judges
        self._made: dict[int, EntryRanking] = {}

    def __reduce__(self):
        return RankingLines, (self.category, self.rows, self.min_judges)

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other) -> bool:
        if isinstance(other, (list, tuple, RankingLines)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"RankingLines({self.category!r}, {len(self)} lines)"

    def entries(self) -> list[Hashable]:
        """The entries in ranking order, without making their lines."""
        return [row[0] for row in self.rows]

    def judges(self) -> dict[Hashable, int]:
        """Entry -> complete sheets, without making the lines."""
        return {row[0]: row[6] for row in self.rows}

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.rows)))]
        if index < 0:
            index += len(self.rows)
        line = self._made.get(index)
        if line is None:
            line = self._made[index] = self._line(self.rows[index])
        return line

    def _line(self, row: tuple) -> EntryRanking:
        entry, rank, mean, median, raw, normalized, judges, votes, tie_break = row
        if rank is None:
            return EntryRanking(
                entry=entry, category=self.category, rank=None, mean=None, raw_mean=None, normalized_mean=None,
                median=None, judges=0, top3_votes=0, complete=self.min_judges <= 0, tie=False,
            )
        return EntryRanking(
            entry=entry, category=self.category, rank=rank, mean=decimal_cents(mean), raw_mean=decimal_cents(raw),
            normalized_mean=decimal_cents(normalized), median=decimal_cents(median), judges=judges,
            top3_votes=votes, complete=judges >= self.min_judges, tie=tie_break == TieBreak.UNRESOLVED,
            tie_break=tie_break,
        )


@dataclass(frozen=True)
class Aggregate:
    """A round's ranking: per category (in the order given) its lines
    (`RankingLines`, or lists of `EntryRanking`), plus the normalization
    figures of every judge."""

    categories: dict[Hashable, Sequence[EntryRanking]]
    judges: dict[Hashable, JudgeNormalization] = field(default_factory=dict)
    normalized_totals: dict[tuple[Hashable, Hashable], Decimal] = field(default_factory=dict)
