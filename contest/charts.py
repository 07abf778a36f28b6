"""Bar chart geometry for the server-rendered SVG charts (no Django inside).

A chart is drawn by a template from these numbers; the same numbers fill
the table that goes with every chart, so what the picture shows is also
there as text for screen readers and for anyone who cannot see it.
"""

from __future__ import annotations

from dataclasses import dataclass

# The SVG's own units; the picture scales to the width of the page.
BAR_CHART_WIDTH = 600
BAR_LABEL_WIDTH = 150
BAR_HEIGHT = 24
BAR_GAP = 8
COLUMN_CHART_HEIGHT = 160
BAR_TRACK_WIDTH = BAR_CHART_WIDTH - BAR_LABEL_WIDTH - 60  # 60: the value printed after the bar


@dataclass(frozen=True)
class Bar:
    """One bar: what it stands for, its value (and the total it is a part
    of, for progress bars), and where the template draws it."""

    label: str
    value: int
    x: int
    y: int
    width: int
    height: int
    total: int | None = None

    @property
    def percent(self) -> int:
        if self.total is None:
            return 0
        return round(100 * self.value / self.total) if self.total else 0

    @property
    def text_y(self) -> int:
        return self.y + self.height // 2 + 5

    @property
    def end_x(self) -> int:
        return self.x + self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int

    @property
    def total(self) -> int:
        return sum(b.value for b in self.bars)

    @property
    def label_x(self) -> int:
        return BAR_LABEL_WIDTH - 8

    @property
    def track_width(self) -> int:
        return BAR_TRACK_WIDTH

    @property
    def axis_y(self) -> int:
        return self.height - 20

    @property
    def label_y(self) -> int:
        return self.height - 4


def horizontal_bars(items: list[tuple[str, int]], *, totals: list[int] | None = None) -> Chart:
    """One labelled row per (label, value). Without `totals` the longest bar
    is the largest value; with them each bar is its value's share of its own
    total (a progress bar), drawn over the whole width."""
    room = BAR_TRACK_WIDTH
    largest = max((v for _label, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        total = totals[i] if totals is not None else None
        share = (value / total if total else 0) if totals is not None else value / largest
        bars.append(
            Bar(
                label=label,
                value=value,
                x=BAR_LABEL_WIDTH,
                y=i * (BAR_HEIGHT + BAR_GAP),
                width=round(room * min(share, 1)),
                height=BAR_HEIGHT,
                total=total,
            )
        )
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)
    return Chart(bars=bars, width=BAR_CHART_WIDTH, height=height)


def columns(items: list[tuple[str, int]]) -> Chart:
    """One column per (label, value), left to right (days in order); the
    tallest column is the largest value. 20 units at the bottom are kept for
    the first and last labels."""
    n = max(len(items), 1)
    slot = BAR_CHART_WIDTH / n
    room = COLUMN_CHART_HEIGHT - 20
    largest = max((v for _label, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        height = round(room * value / largest)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(i * slot),
                y=room - height,
                width=max(round(slot * 0.8), 1),
                height=height,
            )
        )
    return Chart(bars=bars, width=BAR_CHART_WIDTH, height=COLUMN_CHART_HEIGHT)
