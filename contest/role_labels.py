"""How a contest role reads on the pages (one home for the wording): the
organizer role of a national round is its country's coordinator's
("Coordinator of the national round: Kyrgyzstan"); the permissions are the
organizer's all the same (`contest.rules`)."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Contest, ContestRole, Country
from .rules import ORGANIZER, contest_roles_of


def coordinator_label(*, country: str) -> str:
    """ "Coordinator of the national round: <country's name>" in the
    active language, for the `Country` code `country`."""
    return _("Coordinator of the national round: %(country)s") % {"country": Country(country).label}


def role_label(*, role: str, contest: Contest) -> str:
    """The name of the `ContestRole.Role` value `role` held in `contest`,
    capitalised: a national round's organizer is its coordinator."""
    if role == ContestRole.Role.ORGANIZER and contest.parent_id is not None and contest.country:
        return coordinator_label(country=contest.country)
    return capfirst(ContestRole.Role(role).label)


def coordinator_labels_of(*, user) -> list[str]:
    """The coordinator labels (`coordinator_label`) of the national rounds
    `user` organizes by a role of their own, by country; [] for anyone
    else. At most two queries (the roles are kept on the user)."""
    ids = [contest_id for contest_id, held in contest_roles_of(user).items() if ORGANIZER in held]
    if not ids:
        return []
    countries = Contest.objects.filter(pk__in=ids, parent__isnull=False).order_by("country").values_list(
        "country", flat=True)
    return [coordinator_label(country=code) for code in dict.fromkeys(countries) if code]
