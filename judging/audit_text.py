"""The judging audit trail in words: one translated sentence per event,
naming entries by reference code, categories, criteria and judges by name,
never by database id.

`describe` is pure: the caller looks up, once per page, the names the
events' `detail` refers to by id (`AuditNames`, see
`judging.selectors.audit_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from contest.models import place_label

from . import checklist
from .models import AuditEvent, Criterion, JudgingSettings

Action = AuditEvent.Action
NOTHING = "–"


@dataclass(frozen=True)
class AuditNames:
    """Names for the ids that events' `detail` holds."""

    entries: dict[int, str] = field(default_factory=dict)  # entry id -> reference code
    categories: dict[int, str] = field(default_factory=dict)  # age category id -> name
    users: dict[int, str] = field(default_factory=dict)  # user id -> username


def referenced_ids(events) -> tuple[set[int], set[int], set[int]]:
    """(entry ids, category ids, user ids) that `describe` will need."""
    entries, categories, users = set(), set(), set()
    for event in events:
        detail = event.detail or {}
        if event.action in (Action.AWARDS_CONFIRMED, Action.AWARDS_OVERRIDDEN):
            for category, _place, entry in detail.get("awards", []):
                categories.add(category)
                entries.add(entry)
            for category, _place in detail.get("undecided", []):
                categories.add(category)
        elif event.action in (Action.ROUND_ADVANCED, Action.CALIBRATION_SET):
            entries.update(detail.get("entries", []))
            users.update(detail.get("judges", []))
    return entries, categories, users


def _list(items) -> str:
    items = list(items)
    return "; ".join(items) if items else NOTHING


def _value(value) -> str:
    if value is None or value == "":
        return NOTHING
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _change(label, before, after) -> str:
    return _("%(field)s: %(before)s → %(after)s") % {"field": label, "before": before, "after": after}


def _settings_changes(detail: dict) -> str:
    parts = []
    for name, (before, after) in detail.items():
        try:
            model_field = JudgingSettings._meta.get_field(name)
        except Exception:  # a field since removed: show its name as recorded
            parts.append(_change(name, _value(before), _value(after)))
            continue
        choices = dict(model_field.flatchoices)
        parts.append(_change(
            model_field.verbose_name, _value(choices.get(before, before)), _value(choices.get(after, after))
        ))
    return _list(parts)


def _criterion_changes(fields: dict) -> str:
    parts = []
    for name, (before, after) in fields.items():
        try:
            label = Criterion._meta.get_field(name).verbose_name
        except Exception:
            label = name
        parts.append(_change(label, _value(before), _value(after)))
    return _list(parts)


def describe(event: AuditEvent, names: AuditNames) -> str:
    """One sentence, in the active language, saying what `event` recorded."""
    detail = event.detail or {}
    action = event.action
    entry = event.entry.reference if event.entry_id and event.entry else NOTHING
    round_number = event.round_number or 1

    def ref(entry_id):
        return names.entries.get(entry_id, NOTHING)

    if action in (Action.SCORES_SAVED, Action.SCORES_CHANGED):
        criteria = detail.get("criteria", {})
        points = []
        for criterion_id, (before, after) in detail.get("points", {}).items():
            label = criteria.get(criterion_id, NOTHING)
            if before is None:
                points.append(_("%(criterion)s: %(points)s") % {"criterion": label, "points": _value(after)})
            else:
                points.append(_change(label, _value(before), _value(after)))
        if action == Action.SCORES_SAVED:
            message = _("Scored %(entry)s in round %(round)s: %(points)s.")
        else:
            message = _("Changed the scores of %(entry)s in round %(round)s: %(points)s.")
        return message % {"entry": entry, "round": round_number, "points": _list(points)}
    if action == Action.CONFLICT_DECLARED:
        return _("Abstained from %(entry)s (conflict of interest).") % {"entry": entry}
    if action == Action.DISCUSSION_FLAGGED:
        if detail.get("changed"):
            return _("Changed the note of the flag for discussion of %(entry)s.") % {"entry": entry}
        return _("Flagged %(entry)s for discussion.") % {"entry": entry}
    if action == Action.DISCUSSION_UNFLAGGED:
        return _("Removed the flag for discussion of %(entry)s.") % {"entry": entry}
    if action in (Action.AWARDS_CONFIRMED, Action.AWARDS_OVERRIDDEN):
        awards = [
            _("%(category)s, %(place)s: %(entry)s") % {
                "category": names.categories.get(category, NOTHING), "place": place_label(place) if place else NOTHING,
                "entry": ref(entry_id),
            }
            for category, place, entry_id in detail.get("awards", [])
        ]
        if action == Action.AWARDS_CONFIRMED:
            sentence = _("Confirmed the suggested winners: %(awards)s.") % {"awards": _list(awards)}
        else:
            sentence = _("Chose winners other than the suggested ones: %(awards)s.") % {"awards": _list(awards)}
        undecided = [
            _("%(category)s, %(place)s") % {
                "category": names.categories.get(category, NOTHING), "place": place_label(place) if place else NOTHING
            }
            for category, place in detail.get("undecided", [])
        ]
        if undecided:
            sentence += " " + _("Left to the organizer by a tie or an incomplete entry: %(places)s.") % {
                "places": _list(undecided)
            }
        return sentence
    if action == Action.RESULTS_PUBLISHED:
        open_items = detail.get("open_items") or {}
        if open_items:
            items = ", ".join(f"{checklist.label(code)}: {count}" for code, count in open_items.items())
            return _("Published the results with points still open (%(items)s).") % {"items": items}
        return _("Published the results.")
    if action == Action.ROUND_CLOSED:
        return _("Closed round %(round)s.") % {"round": round_number}
    if action == Action.ROUND_OPENED:
        return _("Opened round %(round)s again.") % {"round": round_number}
    if action == Action.ROUND_ADVANCED:
        return _("Started round %(round)s with the entries %(entries)s and the judges %(judges)s.") % {
            "round": round_number,
            "entries": _list(sorted(ref(e) for e in detail.get("entries", []))),
            "judges": _list(sorted(names.users.get(j, NOTHING) for j in detail.get("judges", []))),
        }
    if action == Action.ENTRIES_ASSIGNED:
        sentence = _(
            "Assigned the %(entries)s entries of round %(round)s to %(judges)s judges, %(k)s judges per entry."
        ) % {
            "entries": detail.get("entries", NOTHING), "round": round_number,
            "judges": detail.get("judges", NOTHING), "k": detail.get("min_judges", NOTHING),
        }
        if detail.get("short"):
            sentence += " " + _("Fewer judges than that for: %(references)s.") % {"references": _list(detail["short"])}
        return sentence
    if action == Action.SETTINGS_CHANGED:
        return _("Changed the judging settings: %(changes)s.") % {"changes": _settings_changes(detail)}
    if action == Action.CALIBRATION_SET:
        return _("Chose the reference drawings: %(entries)s.") % {
            "entries": _list(ref(e) for e in detail.get("entries", []))
        }
    if action == Action.RUBRIC_CHANGED:
        values = {"criterion": detail.get("criterion", NOTHING), "round": round_number}
        change = detail.get("change")
        if change == "added":
            return _("Added the criterion “%(criterion)s” to round %(round)s.") % values
        if change == "deleted":
            return _("Deleted the criterion “%(criterion)s” of round %(round)s.") % values
        return _("Changed the criterion “%(criterion)s” of round %(round)s: %(changes)s.") % {
            **values, "changes": _criterion_changes(detail.get("fields", {}))
        }
    return str(event.get_action_display())
