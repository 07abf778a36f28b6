"""The judging part of the organizers' dashboard (`contest:dashboard`).

`contest` never imports `judging`: `JudgingConfig.ready()` adds
`judging_progress_section` to `contest.dashboard.DASHBOARD_SECTIONS`, and
the dashboard renders what it returns."""

from contest import charts
from contest.dashboard import DashboardSection

from . import selectors


def judging_progress_section(*, contest) -> DashboardSection:
    """Complete score sheets of the needed ones, per age category of the
    current round, as a progress bar chart with its table
    (`components/dashboard_judging_progress.html`)."""
    rnd, rows = selectors.judging_progress_by_category(contest=contest)
    chart = charts.horizontal_bars(
        [(row.category.name, row.complete) for row in rows], totals=[row.needed for row in rows]
    )
    return DashboardSection(
        template="components/dashboard_judging_progress.html",
        context={
            "contest": contest,
            "round": rnd,
            "rows": list(zip(rows, chart.bars)),
            "chart": chart,
            "judges_per_entry": (
                rows[0].judges_per_entry if rows else selectors.judging_settings_get(contest=contest).min_judges
            ),
        },
    )
