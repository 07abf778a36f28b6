"""Submitting an entry once, however often Submit is clicked.

The submit form carries a random one-time `submission_token`. The session
maps each token to the reference of the entry it created, so a second
click leads to the first entry's receipt. When two clicks race, the twin
that arrives second is refused by the database (the same image, or the
child's entry cap); it then finds the entry its twin made and shows that
receipt instead of the refusal.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from . import selectors, services

# Session keys: token → entry reference; the reference the receipt page shows.
TOKENS_KEY = "submission_tokens"
RECEIPT_KEY = "receipt"


@dataclass(frozen=True)
class Submitted:
    """The entry a post led to: its `reference`, and whether the photo is
    of low resolution (False for the entry of an earlier, twin post)."""

    reference: str
    low_resolution: bool = False


def earlier_reference(session, *, token: str) -> str | None:
    """The reference of the entry this session already made with `token`
    ("" never matches), or None."""
    if not token:
        return None
    return session.get(TOKENS_KEY, {}).get(token)


def receipt_show(session, *, reference: str, token: str = "") -> None:
    """Let the receipt page show `reference`, and remember it for `token`
    (if any) so that the same post again leads there too."""
    if token:
        tokens = session.get(TOKENS_KEY, {})
        tokens[token] = reference
        session[TOKENS_KEY] = tokens
    session[RECEIPT_KEY] = reference


def receipt_reference(session) -> str | None:
    """The reference the receipt page shows to this session, or None."""
    return session.get(RECEIPT_KEY)


def entry_submit_once(session, *, contest, token: str, form, language: str) -> Submitted:
    """Create the entry from a valid `EntrySubmitForm` and make it this
    session's receipt. When the service refuses it and the refusal comes
    from the twin of this very post that got there first, the twin's entry
    is the answer instead.

    Raises `ValidationError` (with the service's `code`) for any other
    refusal; nothing is remembered then."""
    try:
        entry = services.entry_submit(
            contest=contest,
            data=form.submission(),
            image=form.cleaned_data["image"],
            image_info=form.image_info,
            language=language,
        )
    except ValidationError:
        earlier = selectors.entry_reference_for_submission(
            contest=contest, token=token, sha256=form.image_info.sha256,
            guardian_email=form.cleaned_data["guardian_email"],
        )
        if not earlier:
            raise
        receipt_show(session, reference=earlier, token=token)
        return Submitted(reference=earlier)
    receipt_show(session, reference=entry.reference, token=token)
    return Submitted(reference=entry.reference, low_resolution=entry.low_resolution)
