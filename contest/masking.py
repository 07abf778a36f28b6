"""Showing a guardian's e-mail address without giving it away: enough for
the family to recognise which address the links went to, too little for
anyone looking over their shoulder (or at a shared screen) to write to it.
Pure; no Django."""

from __future__ import annotations

# What stands for the hidden letters: always three stars, so the mask does
# not tell how long the hidden part is.
HIDDEN = "***"


def email_mask(email: str) -> str:
    """`email` with all but a few letters hidden: the first letter of the
    name before the @, the first letter of the domain, and the domain's
    last label (the top-level domain), which says little about the person.

    "aigerim.s@gmail.com" → "a***@g***.com"; "x@mail.yandex.ru" →
    "x***@m***.ru" (the labels between are dropped, not counted); a domain
    without a dot ("x@localhost") → "x***@l***". An address without an @
    (never stored by the forms, but the column allows it) → "***"; an empty
    one → "". The domain is lower-cased, the first letter kept as typed."""
    email = (email or "").strip()
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return HIDDEN
    labels = [label for label in domain.lower().split(".") if label]
    if not labels:
        return f"{local[0]}{HIDDEN}"
    masked_domain = f"{labels[0][0]}{HIDDEN}"
    if len(labels) > 1:
        masked_domain += f".{labels[-1]}"
    return f"{local[0]}{HIDDEN}@{masked_domain}"
