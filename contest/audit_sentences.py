"""The contest's audit log in sentences: one home for the rules that turn
an `AuditLog` row into words ("Organizer dana rejected entry 7QK4M2ZP
(reason: off theme)."), in the active language, with the time in the
contest's own zone. The row's raw detail stays available beside the
sentence (the page shows it in a <details>).

Every sentence is one translatable string with named placeholders, so each
language orders the words its own way."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AuditLog, Contest, Country, Entry
from .phrases import REJECTION_REASON_SHORT

Action = AuditLog.Action


@dataclass(frozen=True)
class AuditSentence:
    """One row of the log as the page shows it: `at` (aware, in the
    contest's zone), `when` (that time as text, with the zone's name), the
    sentence, and the raw row (`row`, `detail` as JSON text)."""

    row: AuditLog
    at: object
    when: str
    text: str
    detail: str


def who(row: AuditLog) -> str:
    """Who acted, as the subject of a sentence: "The guardian", "The
    portal" (an automatic rule) or "Organizer <name>"."""
    if row.actor_label == "guardian":
        return _("The guardian")
    if row.actor_label == "system" and row.actor_id is None:
        return _("The portal")
    return _("Organizer %(name)s") % {"name": row.actor_label}


def _reason(code: str) -> str:
    short = REJECTION_REASON_SHORT.get(code)
    return str(short) if short is not None else code or "–"


def _text_edited(values: dict, fields: list) -> str:
    if set(fields) >= {"title", "description"}:
        return _("%(who)s changed the title and the description of entry %(entry)s.") % values
    if "description" in fields:
        return _("%(who)s changed the description of entry %(entry)s.") % values
    return _("%(who)s changed the title of entry %(entry)s.") % values


def _field_names(fields: list) -> str:
    """The entry fields named in an audit row, as their labels in the
    active language ("artwork title, school"); unknown names as they are."""
    names = []
    for name in fields:
        try:
            names.append(str(Entry._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field that no longer exists: its name
            names.append(str(name))
    return ", ".join(names) or "–"


def sentence(row: AuditLog) -> str:
    """What `row` recorded, as one sentence in the active language."""
    detail = row.detail or {}
    values = {"who": who(row), "entry": row.entry_reference or "–"}
    action = row.action
    if action == Action.CONFIRMED:
        return _("%(who)s confirmed entry %(entry)s.") % values
    if action == Action.APPROVED:
        return _("%(who)s approved entry %(entry)s.") % values
    if action == Action.REJECTED:
        return _("%(who)s rejected entry %(entry)s (reason: %(reason)s).") % {**values, "reason": _reason(detail.get("reason", ""))}
    if action == Action.FLAGGED:
        if detail.get("flagged", True):
            return _("%(who)s flagged entry %(entry)s for a closer look.") % values
        return _("%(who)s removed the flag of entry %(entry)s.") % values
    if action == Action.TEXT_EDITED:
        return _text_edited(values, detail.get("fields", []))
    if action == Action.EDITED:
        values["fields"] = _field_names(detail.get("fields", []))
        if detail.get("flagged"):
            return _("%(who)s changed entry %(entry)s (%(fields)s); it was flagged for a closer look.") % values
        return _("%(who)s changed entry %(entry)s (%(fields)s).") % values
    if action == Action.REPLACED:
        if detail.get("back_to_moderation"):
            return _("%(who)s replaced the drawing of entry %(entry)s; it went back to moderation.") % values
        return _("%(who)s replaced the drawing of entry %(entry)s.") % values
    if action == Action.PUBLICATION_CHANGED:
        return _("%(who)s changed the publication answers of entry %(entry)s.") % values
    if action == Action.WITHDRAWN:
        return _("%(who)s withdrew entry %(entry)s.") % values
    if action == Action.EXPORTED:
        return _("%(who)s downloaded the personal data of entry %(entry)s.") % values
    if action == Action.DELETED:
        return _("%(who)s deleted entry %(entry)s.") % values
    if action == Action.PURGED:
        if row.entry_reference:
            return _("%(who)s deleted the personal data of entry %(entry)s.") % values
        return _("%(who)s deleted personal data by a deletion rule.") % values
    if action == Action.AWARDED:
        return _("%(who)s gave an award to entry %(entry)s.") % values
    if action == Action.PROMOTED:
        return _("%(who)s promoted entry %(entry)s to the regional final.") % values
    if action == Action.ROUNDS_CREATED:
        names = ", ".join(str(Country(code).label) for code in detail.get("countries", []) if code in Country.values)
        return _("%(who)s added national rounds: %(countries)s.") % {**values, "countries": names}
    if action == Action.VOTES_VOIDED:
        n = detail.get("votes", 0)
        return ngettext(
            "%(who)s voided %(n)d people's choice vote.", "%(who)s voided %(n)d people's choice votes.", n
        ) % {**values, "n": n}
    return _("%(who)s: %(what)s (entry %(entry)s).") % {**values, "what": row.get_action_display()}


def zoned_time(value, contest: Contest) -> tuple[object, str]:
    """(`value` in the contest's zone, that time as DATETIME_FORMAT in the
    active language followed by the zone's name: "3 Dec 2026, 17:05
    (Asia/Tashkent)")."""
    local = timezone.localtime(value, contest.tzinfo)
    return local, f"{formats.date_format(local, 'DATETIME_FORMAT')} ({contest.timezone})"


def contest_rows(rows, *, contest: Contest) -> list[AuditSentence]:
    """`rows` (AuditLog, newest first) as `AuditSentence`s; no query of its own."""
    shown = []
    for row in rows:
        at, when = zoned_time(row.at, contest)
        detail = json.dumps(row.detail or {}, ensure_ascii=False, sort_keys=True)
        shown.append(AuditSentence(row=row, at=at, when=when, text=sentence(row), detail=detail))
    return shown
