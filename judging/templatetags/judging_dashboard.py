"""The judging part of the organizers' dashboard (`contest:dashboard`).

`contest` never imports `judging`; its dashboard template loads this
library instead, so judging's numbers reach the page from this side."""

from django import template

from contest import charts

from .. import selectors

register = template.Library()


@register.inclusion_tag("judging/_dashboard_progress.html")
def judging_progress_chart(contest):
    """Complete score sheets of the needed ones, per age category, as a
    progress bar chart with its table."""
    rnd, rows = selectors.judging_progress_by_category(contest=contest)
    chart = charts.horizontal_bars(
        [(row.category.name, row.complete) for row in rows], totals=[row.needed for row in rows]
    )
    return {
        "contest": contest,
        "round": rnd,
        "rows": list(zip(rows, chart.bars)),
        "chart": chart,
        "judges_per_entry": rows[0].judges_per_entry if rows else selectors.judging_settings_get(contest=contest).min_judges,
    }
