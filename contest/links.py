"""Expiring links for guardians (no account needed), each carrying the
entry's own random secret.

A link is `django.core.signing` over the entry's public id, its purpose
and the entry's link secret (`secrets.token_urlsafe(32)`), with a
per-purpose salt, so a confirmation link cannot open the guardian page and
vice versa, and the signature's timestamp gives the link its lifetime.
The signature alone is not enough: the entry stores only the SHA-256 of
its secret (`Entry.link_secret_hash`), and a link works only while the
secret it carries hashes to that value. Whoever knows the project's
SECRET_KEY still cannot make a link to an entry without its secret.

The secret exists in plain form only when it is made (`secret_new`): a
new one replaces the old one each time links are e-mailed (receipt, "send
my links again", rejection), so every older link stops working; the
outbox row that sends the e-mail carries the plain secret until it is sent
(`GuardianMail.link_secret`, cleared then). A withdrawal or a purge
deletes the entry: its links name nothing any more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing

# secrets.token_urlsafe(32): 43 URL-safe characters.
SECRET_BYTES = 32


class Purpose(StrEnum):
    CONFIRM = "confirm"
    MANAGE = "manage"


class LinkExpired(Exception):
    """The signature is right but the link is older than its lifetime."""


class LinkInvalid(Exception):
    """The link was changed, cut short or made for another purpose."""


@dataclass(frozen=True)
class LinkClaim:
    """What a well-signed link says: the entry's public id and the secret
    it carries (still to be checked against the entry, `secret_matches`)."""

    public_id: uuid.UUID
    secret: str


def lifetime(purpose: Purpose) -> dt.timedelta:
    """How long a link of this purpose works (settings, in days)."""
    days = settings.GUARDIAN_CONFIRM_DAYS if purpose == Purpose.CONFIRM else settings.GUARDIAN_LINK_DAYS
    return dt.timedelta(days=days)


def secret_hash(secret: str) -> str:
    """The SHA-256 of `secret`, 64 lower-case hex digits (what an entry stores)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_new() -> tuple[str, str]:
    """A fresh link secret: (plain, its `secret_hash`). Store the hash on
    the entry; hand the plain one only to the e-mail that carries it."""
    plain = secrets.token_urlsafe(SECRET_BYTES)
    return plain, secret_hash(plain)


def secret_hash_unknown() -> str:
    """The hash of a secret nobody keeps: an entry whose links were never
    e-mailed yet (the model's default), or one from before link secrets."""
    return secret_new()[1]


def secret_matches(*, secret: str, stored_hash: str) -> bool:
    """Whether `secret` hashes to `stored_hash` (compared in constant time)."""
    return bool(secret) and hmac.compare_digest(secret_hash(secret), stored_hash or "")


def token_make(*, public_id: uuid.UUID, secret: str, purpose: Purpose) -> str:
    """A URL-safe signed token (no slashes) naming the entry for `purpose`
    and carrying its plain link `secret`; dated now (see `lifetime`)."""
    return signing.dumps(
        {"e": str(public_id), "p": str(purpose), "s": secret}, salt=f"contest.guardian.{purpose}", compress=False
    )


def token_read(*, token: str, purpose: Purpose) -> LinkClaim:
    """The `LinkClaim` of a well-signed, unexpired token; raises
    `LinkExpired` or `LinkInvalid` (also for a token without a secret, as
    links made before link secrets were)."""
    salt = f"contest.guardian.{purpose}"
    try:
        data = signing.loads(token, salt=salt, max_age=lifetime(purpose))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    if not isinstance(data, dict) or data.get("p") != str(purpose) or not isinstance(data.get("s"), str):
        raise LinkInvalid
    try:
        return LinkClaim(public_id=uuid.UUID(data["e"]), secret=data["s"])
    except (KeyError, ValueError, TypeError):
        raise LinkInvalid from None
