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

and it is drawn by `templates/components/organizer_nav.html`. The steps of
a contest's setup (`SETUP_STEPS`) are drawn the same way by
`{% setup_steps contest current="ages" %}`.
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
        MenuLink("settings", _("Settings"), "organize:settings"),
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
        MenuLink("settings", _("Settings"), "organize:settings"),
    )),
}

# The steps of a contest's setup (/organize/<slug>/settings/<step>/), in
# order: contest's pages and judging's, named by URL name.
SETUP_STEPS = (
    MenuLink("basics", _("Basics and dates"), "organize:settings_basics"),
    MenuLink("ages", _("Age categories"), "organize:settings_ages"),
    MenuLink("rubric", _("Rubric"), "organize:settings_rubric"),
    MenuLink("texts", _("Texts in each language"), "organize:settings_texts"),
    MenuLink("uploads", _("Entries and uploads"), "organize:settings_uploads"),
    MenuLink("judges", _("Judges and panels"), "organize:settings_judges"),
)


def organizer_links(*, contest, menu: str, current: str = "") -> list[dict]:
    """The links of `MENUS[menu]` for `contest`, in order, each as
    {"key", "label", "url", "current"} (`current` True for the link whose
    key is `current`). KeyError for an unknown menu."""
    return [
        {"key": link.key, "label": link.label, "url": reverse(link.url_name, args=[contest.slug]),
         "current": bool(current) and link.key == current}
        for link in MENUS[menu].links
    ]


def setup_step_links(*, contest=None, current: str = "") -> list[dict]:
    """The setup steps, in order, each as {"number", "key", "label", "url",
    "current"}; `url` is None for every step while the contest does not
    exist yet (`contest` None: only the first step can be filled in)."""
    return [
        {"number": number, "key": step.key, "label": step.label, "current": step.key == current,
         "url": reverse(step.url_name, args=[contest.slug]) if contest is not None else None}
        for number, step in enumerate(SETUP_STEPS, start=1)
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


@register.inclusion_tag("components/setup_steps.html")
def setup_steps(contest=None, current=""):
    """The step indicator of a contest's setup, `current` (a step's key)
    marked; on a new contest (`contest` None) the later steps are not
    links yet."""
    return {"steps": setup_step_links(contest=contest, current=current), "contest": contest, "current": current}
