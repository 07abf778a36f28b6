"""The people's choice: casting a vote, confirming it by its e-mailed
link, voiding votes, and the confirmation e-mail.

A vote is cast unconfirmed (`vote_cast`) and its confirmation e-mail is
queued after commit (`jobs.SEND_VOTE_CONFIRMATION`, sent in the voter's
language by `vote_confirmation_deliver`); it counts once its voter opens
the signed link (`vote_confirm`) before the window closes. One mailbox
(`email_key`) has at most one confirmed vote per age category (a database
constraint); a mailbox that already voted in the category is refused, a
pending unconfirmed vote is replaced by the new one (whoever typed another
person's address cannot block them). Disposable-address domains are
refused (`disposable_email_domains.blocklist`, with their subdomains).
"""

from __future__ import annotations

import ipaddress

from disposable_email_domains import blocklist
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import AuditLog, Contest, Entry, Vote
from .audit import audit_log_record
from .jobs import SEND_VOTE_CONFIRMATION, job_enqueue

VOTE_TOKEN_SALT = "contest.vote.confirm"
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def email_key(address: str) -> str:
    """The mailbox an address reaches, as one key: trimmed, lower case,
    without a +tag; Gmail's dots dropped and googlemail.com read as
    gmail.com ("J.Doe+x@GoogleMail.com" -> "jdoe@gmail.com")."""
    local, _at, domain = (address or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def email_disposable(address: str) -> bool:
    """Whether the address's domain, or a domain it is under, is on the
    maintained list of disposable-address domains."""
    labels = (address or "").strip().lower().rpartition("@")[2].split(".")
    return any(".".join(labels[i:]) in blocklist for i in range(len(labels) - 1))


def network_of(ip: str) -> str:
    """The client's network as text: its /24 for IPv4, its /64 for IPv6
    ("203.0.113.7" -> "203.0.113.0/24"); "" for an unusable address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def vote_token(*, vote: Vote) -> str:
    """The signed token of `vote`'s confirmation link (valid
    `VOTE_CONFIRM_HOURS`)."""
    return signing.dumps(vote.pk, salt=VOTE_TOKEN_SALT)


def vote_from_token(*, token: str) -> Vote | None:
    """The vote a confirmation token names, or None when the token is
    forged, expired, or its vote was replaced or deleted."""
    try:
        pk = signing.loads(token, salt=VOTE_TOKEN_SALT, max_age=settings.VOTE_CONFIRM_HOURS * 3600)
    except signing.BadSignature:
        return None
    return Vote.objects.select_related("contest", "entry", "age_category").filter(pk=pk).first()


def _already_voted() -> ValidationError:
    return ValidationError(
        _("This e-mail address has already voted in this age category. Each address has one vote per category."),
        code="already_voted",
    )


def vote_cast(*, contest: Contest, entry: Entry, email: str, language: str, ip: str) -> Vote:
    """Store an unconfirmed vote for `entry` and queue its confirmation
    e-mail after commit. Raises ValidationError (code "closed": outside
    the window or not on the ballot; "disposable"; "already_voted": the
    mailbox has a confirmed vote in the category). A pending unconfirmed
    vote of the same mailbox in the category is replaced."""
    if not contest.voting_open() or not Entry.objects.on_ballot(contest=contest).filter(pk=entry.pk).exists():
        raise ValidationError(_("Voting for this drawing is not open."), code="closed")
    if email_disposable(email):
        raise ValidationError(
            _("Addresses of temporary mailboxes cannot vote. Please use your usual e-mail address."), code="disposable"
        )
    key = email_key(email)
    with transaction.atomic():
        mine = Vote.objects.select_for_update().filter(age_category_id=entry.age_category_id, email_key=key)
        if any(vote.confirmed_at is not None for vote in mine):
            raise _already_voted()
        mine.filter(confirmed_at__isnull=True).delete()
        vote = Vote(
            contest=contest, age_category_id=entry.age_category_id, entry=entry, email=email.strip(), email_key=key,
            language=language, network=network_of(ip),
        )
        vote.full_clean()
        vote.save()
        transaction.on_commit(lambda: job_enqueue(name=SEND_VOTE_CONFIRMATION, vote_id=vote.pk))
    return vote


def vote_confirm(*, vote: Vote) -> Vote:
    """Count `vote` (idempotent: a confirmed vote stays as it is). Raises
    ValidationError "closed" once the window has closed, "already_voted"
    when its mailbox confirmed another vote in the category meanwhile."""
    if vote.confirmed_at is not None:
        return vote
    if not vote.contest.voting_open():
        raise ValidationError(_("Voting has closed; this vote was not confirmed in time."), code="closed")
    try:
        with transaction.atomic():
            updated = Vote.objects.filter(pk=vote.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
    except IntegrityError:
        raise _already_voted() from None
    if updated:
        vote.refresh_from_db(fields=["confirmed_at"])
    return vote


def votes_void(*, contest: Contest, vote_ids: list[int], actor, reason: str = "") -> int:
    """Void the given votes of `contest` (others' ids are ignored); they
    stop counting, their mailboxes cannot vote again in the category. One
    audit row says how many, for which networks and entries. Returns how
    many were voided."""
    with transaction.atomic():
        target = Vote.objects.select_for_update().filter(contest=contest, pk__in=vote_ids, voided_at__isnull=True)
        rows = list(target.values("pk", "network", "entry__reference"))
        if not rows:
            return 0
        Vote.objects.filter(pk__in=[row["pk"] for row in rows]).update(voided_at=timezone.now(), voided_by=actor)
        audit_log_record(
            action=AuditLog.Action.VOTES_VOIDED, actor=actor, contest=contest,
            detail={
                "votes": len(rows), "reason": reason,
                "networks": sorted({row["network"] for row in rows}),
                "entries": sorted({row["entry__reference"] for row in rows}),
            },
        )
    return len(rows)


def vote_confirmation_deliver(*, vote_id: int) -> bool:
    """Send the confirmation e-mail of vote `vote_id` in its voter's
    language; False when the vote is gone (replaced) or already confirmed."""
    vote = Vote.objects.select_related("contest", "entry").filter(pk=vote_id, confirmed_at__isnull=True).first()
    if vote is None:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("contest:vote_confirm", args=[vote_token(vote=vote)])
    with translation.override(vote.language):
        context = {"vote": vote, "link": link, "hours": settings.VOTE_CONFIRM_HOURS}
        subject = _("Confirm your vote: %(title)s") % {"title": vote.entry.title}
        body = render_to_string("contest/email/vote_confirm.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [vote.email])
    return True


def entries_shortlist(*, entries, shortlisted: bool) -> int:
    """Put the given entries on their contest's people's choice ballot (or
    take them off); only entries the public may see go on it (judgeable,
    publication agreed). Returns how many changed."""
    target = entries.exclude(shortlisted=shortlisted)
    if shortlisted:
        target = target.judgeable().filter(publish_consent=True)
    return Entry.objects.filter(pk__in=list(target.values_list("pk", flat=True))).update(
        shortlisted=shortlisted, updated_at=timezone.now()
    )
