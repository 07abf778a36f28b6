"""The organizers' navigation of a contest, assembled in this one place.

Every menu starts with a link to the organizers' home (`HOME`,
`/organize/`: all contests, their phase and what is left to do). Two
menus, as the pages have always shown them: "contest" on the
organizers' pages of the contest app (dashboard, moderation, audit log),
"judging" on the judging pages (results, panel, rounds, calibration,
audit trail). Links are named by URL name, so neither app imports the
other. Each link shows only to whoever holds its permission on the contest
(the rules of `contest.rules` and `judging.rules`: a moderator sees the
moderation only, an organizer every room). Templates load it as the
`navigation` tag library (registered in `TEMPLATES["OPTIONS"]["libraries"]`):

    {% load navigation %}{% organizer_nav contest "contest" current="dashboard" %}

and it is drawn by `templates/components/organizer_nav.html`. The steps of
a contest's setup (`SETUP_STEPS`) are drawn the same way by
`{% setup_steps contest current="ages" %}`. The same library tells the
site's header whether to link the organizers' home
(`{% may_open_workspace as organizing %}`).
"""

from dataclasses import dataclass

import rules
from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ORGANIZE = "contest.organize_contest"
MODERATE = "contest.moderate_contest"
MANAGE = "judging.manage_contest"
RESULTS = "judging.view_results"
EXPORT = "judging.export_contest"


@dataclass(frozen=True)
class MenuLink:
    """One link: `key` (what `current` names), its label, its URL name
    (taking the contest's slug) and the permission on the contest it needs
    (a django-rules permission name)."""

    key: str
    label: str
    url_name: str
    perm: str = ""


@dataclass(frozen=True)
class Menu:
    label: str
    links: tuple[MenuLink, ...]


# The organizers' home, first in every menu (its URL takes no slug).
HOME = MenuLink("home", _("All contests"), "organize:home", "contest.open_workspace")

MENUS = {
    "contest": Menu(_("Organizing this contest"), (
        MenuLink("dashboard", _("Dashboard"), "contest:dashboard", ORGANIZE),
        MenuLink("moderation", _("Moderation"), "contest:moderation", MODERATE),
        MenuLink("consent_scans", _("Signed consent forms to check"), "contest:consent_scans", MODERATE),
        MenuLink("audit_log", _("Audit log"), "contest:audit_log", ORGANIZE),
        MenuLink("results", _("Results"), "judging:results", RESULTS),
        MenuLink("judging_audit", _("Judging audit (scores, awards, publication)"), "judging:audit", MANAGE),
        MenuLink("exports", _("Exports"), "exports:exports", EXPORT),
        MenuLink("team", _("Team"), "contest:team", "contest.manage_roles"),
        MenuLink("votes", _("People's choice"), "contest:votes_report", "contest.manage_votes"),
        MenuLink("settings", _("Settings"), "organize:settings", ORGANIZE),
    )),
    "judging": Menu(_("Judging of this contest"), (
        MenuLink("results", _("Results"), "judging:results", RESULTS),
        MenuLink("panel", _("Panel and settings"), "judging:panel", MANAGE),
        MenuLink("judges", _("Judges"), "judging:judges", MANAGE),
        MenuLink("rounds", _("Rounds"), "judging:rounds", MANAGE),
        MenuLink("calibration", _("Calibration"), "judging:calibration_report", MANAGE),
        MenuLink("judging_audit", _("Audit trail"), "judging:audit", MANAGE),
        MenuLink("dashboard", _("Dashboard"), "contest:dashboard", ORGANIZE),
        MenuLink("moderation", _("Moderation"), "contest:moderation", MODERATE),
        MenuLink("exports", _("Exports"), "exports:exports", EXPORT),
        MenuLink("settings", _("Settings"), "organize:settings", ORGANIZE),
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


def organizer_links(*, contest, menu: str, user, current: str = "") -> list[dict]:
    """The links of `MENUS[menu]` for `contest` that `user` may follow (by
    each link's permission), in order, each as {"key", "label", "url",
    "current"} (`current` True for the link whose key is `current`).
    KeyError for an unknown menu. No query once the user's roles are read
    (`contest.rules.contest_roles_of`; the page's own check reads them)."""
    return [
        {"key": link.key, "label": link.label, "url": reverse(link.url_name, args=[contest.slug]),
         "current": bool(current) and link.key == current}
        for link in MENUS[menu].links
        if rules.has_perm(link.perm, user, contest)
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


@register.inclusion_tag("components/organizer_nav.html", takes_context=True)
def organizer_nav(context, contest, menu, current=""):
    """The `menu` navigation ("contest" or "judging") of `contest` for the
    signed-in user, with `current` (a link's key) marked as the page they
    are on, after the link to the organizers' home."""
    return {
        "label": MENUS[menu].label,
        "home": {"label": HOME.label, "url": reverse(HOME.url_name)},
        "links": organizer_links(contest=contest, menu=menu, user=context["request"].user, current=current),
    }


@register.inclusion_tag("components/setup_steps.html")
def setup_steps(contest=None, current=""):
    """The step indicator of a contest's setup, `current` (a step's key)
    marked; on a new contest (`contest` None) the later steps are not
    links yet."""
    return {"steps": setup_step_links(contest=contest, current=current), "contest": contest, "current": current}


@register.simple_tag(takes_context=True)
def may_open_workspace(context) -> bool:
    """Whether the signed-in user may open the organizers' home
    (`contest.open_workspace`: a role in some contest, or the right to
    create one). At most three queries, once per request."""
    user = getattr(context.get("request"), "user", None)
    return bool(user is not None and user.is_authenticated and rules.has_perm(HOME.perm, user))
