"""Figures shared by the ranking and the statistics: means, medians,
spreads, the display rounding and histograms (Decimal, no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
MEAN_PLACES = Decimal("0.01")


def mean_display(mean: Decimal | None) -> Decimal | None:
    """The figure rounded half-up to two decimals, as shown and as ranked."""
    return None if mean is None else mean.quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The arithmetic mean; None for no values."""
    return sum(values, Decimal(0)) / len(values) if values else None


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value; for an even count, the mean of the two middle ones."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def population_sd(values: Sequence[Decimal]) -> Decimal:
    """Standard deviation dividing by n (the judge's sheets are the whole
    population being rescaled, not a sample)."""
    if not values:
        return Decimal(0)
    m = mean(values)
    return (sum(((v - m) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def histogram(values: Iterable[Decimal], *, bins: int = 10, low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> list[int]:
    """Counts of `values` in `bins` equal bins over [low, high]; the top bin
    includes `high`."""
    counts = [0] * bins
    width = (high - low) / bins
    for v in values:
        index = int((v - low) / width) if width else 0
        counts[max(0, min(bins - 1, index))] += 1
    return counts


def _sort_key(key):
    # Keys of one ranking share a type in practice; str() keeps mixed keys sortable.
    return (str(type(key)), key) if isinstance(key, (int, str)) else (str(type(key)), str(key))
