"""The judging audit trail as sentences with a subject: one home for the
rules that say who did what ("Judge aigul changed 3 scores of entry
7QK4M2ZP in round 1."), in the active language, with the time in the
contest's own zone.

Consecutive score changes by the same judge on the same entry and round
(on one page of the trail) are told once, with the number of scores
changed; each event's own sentence (`judging.audit_text.describe`: the
points before and after) and its raw record stay under the grouped line.
Organizers read judges' names here: the trail is theirs, and judging
stays blind for judges only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AuditEvent

Action = AuditEvent.Action
# Events a judge makes; every other one is an organizer's (or the portal's).
JUDGE_ACTIONS = {Action.SCORES_SAVED, Action.SCORES_CHANGED, Action.CONFLICT_DECLARED}


@dataclass
class AuditLine:
    """One line of the trail: the newest event's time (aware, in the
    contest's zone, and as text with the zone's name), the sentence, and
    the events it tells of (`rows`: `judging.selectors.AuditRow`, newest
    first, each with its own sentence), and the contest's `zone`."""

    at: object
    when: str
    text: str
    zone: object
    rows: list = field(default_factory=list)

    @property
    def details(self) -> list[tuple[str, str, str]]:
        """(time, sentence, raw detail as JSON) of each event."""
        return [(_zoned(r.event.created_at, self.zone)[1], r.text, json.dumps(r.event.detail or {}, ensure_ascii=False, sort_keys=True))
                for r in self.rows]


def _zoned(value, zone) -> tuple[object, str]:
    local = timezone.localtime(value, zone)
    return local, f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone.key})"


def _name(event: AuditEvent) -> str:
    return event.actor.get_username() if event.actor_id and event.actor else ""


def sentence(rows) -> str:
    """The sentence of one line: `rows` are the `AuditRow`s of one event,
    or of consecutive score changes by one judge on one entry and round."""
    event = rows[0].event
    name = _name(event)
    entry = event.entry.reference if event.entry_id and event.entry else "–"
    values = {"judge": name, "entry": entry, "round": event.round_number or 1}
    if event.action == Action.SCORES_CHANGED:
        count = sum(max(1, len((r.event.detail or {}).get("points", {}))) for r in rows)
        return ngettext(
            "Judge %(judge)s changed %(count)d score of entry %(entry)s in round %(round)s.",
            "Judge %(judge)s changed %(count)d scores of entry %(entry)s in round %(round)s.",
            count,
        ) % {**values, "count": count}
    if event.action == Action.SCORES_SAVED:
        return _("Judge %(judge)s scored entry %(entry)s in round %(round)s.") % values
    if event.action == Action.CONFLICT_DECLARED:
        return _("Judge %(judge)s abstained from entry %(entry)s (conflict of interest).") % values
    if not name:
        return _("The portal: %(what)s") % {"what": rows[0].text}
    return _("Organizer %(name)s: %(what)s") % {"name": name, "what": rows[0].text}


def _same_group(a, b) -> bool:
    ea, eb = a.event, b.event
    return (
        ea.action == eb.action == Action.SCORES_CHANGED and ea.actor_id == eb.actor_id
        and ea.entry_id == eb.entry_id and ea.round_number == eb.round_number
    )


def audit_lines(rows, *, contest) -> list[AuditLine]:
    """`rows` (`AuditRow`s, newest first) as lines of the page, consecutive
    score changes grouped; no query of its own (the events come with their
    actor and entry)."""
    lines, group = [], []
    zone = contest.tzinfo

    def flush():
        if group:
            at, when = _zoned(group[0].event.created_at, zone)
            lines.append(AuditLine(at=at, when=when, text=sentence(group), zone=zone, rows=list(group)))

    for row in rows:
        if group and not _same_group(group[-1], row):
            flush()
            group = []
        group.append(row)
    flush()
    return lines
