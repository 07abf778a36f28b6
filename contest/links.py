"""Signed, expiring links for guardians (no account needed).

A link carries the entry's public id and its purpose, signed with the
project's secret key (`django.core.signing`) and a per-purpose salt, so a
confirmation link cannot open the guardian page and vice versa. A link dies
with the entry: after a withdrawal or a purge the id names nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from django.conf import settings
from django.core import signing


class Purpose(StrEnum):
    CONFIRM = "confirm"
    MANAGE = "manage"


class LinkExpired(Exception):
    """The signature is right but the link is older than its lifetime."""


class LinkInvalid(Exception):
    """The link was changed, cut short or made for another purpose."""


def lifetime(purpose: Purpose) -> dt.timedelta:
    """How long a link of this purpose works (settings, in days)."""
    days = settings.GUARDIAN_CONFIRM_DAYS if purpose == Purpose.CONFIRM else settings.GUARDIAN_LINK_DAYS
    return dt.timedelta(days=days)


def token_make(*, public_id: uuid.UUID, purpose: Purpose) -> str:
    """A URL-safe signed token (no slashes) naming the entry for `purpose`."""
    return signing.dumps({"e": str(public_id), "p": str(purpose)}, salt=f"contest.guardian.{purpose}", compress=False)


def token_read(*, token: str, purpose: Purpose) -> uuid.UUID:
    """The entry's public id; raises `LinkExpired` or `LinkInvalid`."""
    salt = f"contest.guardian.{purpose}"
    try:
        data = signing.loads(token, salt=salt, max_age=lifetime(purpose))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or data.get("p") != str(purpose):
        raise LinkInvalid
    try:
        return uuid.UUID(data["e"])
    except (KeyError, ValueError, TypeError):
        raise LinkInvalid from None
