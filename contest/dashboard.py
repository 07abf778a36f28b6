"""Sections that other apps add to the organizers' dashboard
(`contest:dashboard`), so that contest never imports them.

Judging registers its progress chart here in `JudgingConfig.ready()`. Each
entry of `DASHBOARD_SECTIONS` is called as `section(contest=contest)` and
returns a `DashboardSection`; the page renders them in order, after
contest's own charts.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DashboardSection:
    """A template (under `templates/components/`) and the context it is
    rendered with, on its own (the page's context does not reach it)."""

    template: str
    context: dict = field(default_factory=dict)


DASHBOARD_SECTIONS: list = []


def dashboard_sections(*, contest) -> list[DashboardSection]:
    """Every registered section for `contest`, in registration order."""
    return [section(contest=contest) for section in DASHBOARD_SECTIONS]
