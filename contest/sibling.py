""""Submit another drawing" (a brother's or sister's) without typing the
guardian's details again, and without putting them in a URL.

After an entry is made, the session keeps the guardian's own answers (name,
e-mail, relationship to the child) for `PREFILL_SECONDS`. The submit form
opened with `?another=1` takes them once and forgets them. Nothing of the
child is kept (name, birth date, place, school, drawing), and the consents
are never carried over: they are given again for each child.
"""

import time

# Session key: {"fields": {name: value}, "saved_at": Unix seconds}.
SESSION_KEY = "sibling_guardian"
# The guardian's fields of `EntrySubmitForm`, the only ones kept.
GUARDIAN_FIELDS = ("guardian_name", "guardian_email", "guardian_relationship")
# How long the details wait for the next child's form (seconds).
PREFILL_SECONDS = 2 * 60 * 60


def guardian_remember(session, *, cleaned_data: dict, now: float | None = None) -> None:
    """Keep the guardian's fields of a submitted form's `cleaned_data` in
    `session` (replacing any kept earlier); `now` in Unix seconds, the
    current time by default."""
    session[SESSION_KEY] = {
        "fields": {name: str(cleaned_data[name]) for name in GUARDIAN_FIELDS},
        "saved_at": time.time() if now is None else now,
    }


def guardian_recall(session, *, now: float | None = None) -> dict[str, str]:
    """The kept guardian's fields ({field name: value}), removed from
    `session` as they are read: {} when nothing is kept or it is older than
    `PREFILL_SECONDS` (then it is removed too)."""
    kept = session.pop(SESSION_KEY, None)
    if not isinstance(kept, dict):
        return {}
    age = (time.time() if now is None else now) - kept.get("saved_at", 0)
    if not 0 <= age <= PREFILL_SECONDS:
        return {}
    fields = kept.get("fields", {})
    return {name: fields[name] for name in GUARDIAN_FIELDS if fields.get(name)}
