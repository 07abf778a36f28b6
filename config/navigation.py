"""The organizers' navigation of a contest, assembled in this one place.

Every menu starts with a link to the organizers' home (`HOME`,
`/organize/`: all contests, their phase and what is left to do). Two
menus, as the pages have always shown them: "contest" on the
organizers' pages of the contest app (dashboard, moderation, audit log),
"judging" on the judging pages (results, panel, rounds, calibration,
audit trail). Links are named by URL name, so neither app imports the
other. Templates load it as the `navigation` tag library (registered in
`TEMPLATES["OPTIONS"]["libraries"]`):

    {% load navigation %}{% organizer_nav contest "contest" current="dashboard" %}

and it is drawn by `templates/components/organizer_nav.html`.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuLink:
    """One link: `key` (what `current` names), its label and its URL name
    (taking the contest's slug)."""

    key: str
    label: str
    url_name: str


@dataclass(frozen=True)
class Menu:
    label: str
    links: tuple[MenuLink, ...]


# The organizers' home, first in every menu (its URL takes no slug).
HOME = MenuLink("home", _("All contests"), "organize:home")

MENUS = {
    "contest": Menu(_("Organizing this contest"), (
        MenuLink("dashboard", _("Dashboard"), "contest:dashboard"),
        MenuLink("moderation", _("Moderation"), "contest:moderation"),
        MenuLink("audit_log", _("Audit log"), "contest:audit_log"),
        MenuLink("results", _("Results"), "judging:results"),
        MenuLink("judging_audit", _("Judging audit (scores, awards, publication)"), "judging:audit"),
        MenuLink("exports", _("Exports"), "exports:exports"),
    )),
    "judging": Menu(_("Judging of this contest"), (
        MenuLink("results", _("Results"), "judging:results"),
        MenuLink("panel", _("Panel and settings"), "judging:panel"),
        MenuLink("judges", _("Judges"), "judging:judges"),
        MenuLink("rounds", _("Rounds"), "judging:rounds"),
        MenuLink("calibration", _("Calibration"), "judging:calibration_report"),
        MenuLink("judging_audit", _("Audit trail"), "judging:audit"),
        MenuLink("dashboard", _("Dashboard"), "contest:dashboard"),
        MenuLink("moderation", _("Moderation"), "contest:moderation"),
        MenuLink("exports", _("Exports"), "exports:exports"),
    )),
}


def organizer_links(*, contest, menu: str, current: str = "") -> list[dict]:
    """The links of `MENUS[menu]` for `contest`, in order, each as
    {"key", "label", "url", "current"} (`current` True for the link whose
    key is `current`). KeyError for an unknown menu."""
    return [
        {"key": link.key, "label": link.label, "url": reverse(link.url_name, args=[contest.slug]),
         "current": bool(current) and link.key == current}
        for link in MENUS[menu].links
    ]


register = template.Library()


@register.inclusion_tag("components/organizer_nav.html")
def organizer_nav(contest, menu, current=""):
    """The `menu` navigation ("contest" or "judging") of `contest`, with
    `current` (a link's key) marked as the page the organizer is on, after
    the link to the organizers' home."""
    return {
        "label": MENUS[menu].label,
        "home": {"label": HOME.label, "url": reverse(HOME.url_name)},
        "links": organizer_links(contest=contest, menu=menu, current=current),
    }
