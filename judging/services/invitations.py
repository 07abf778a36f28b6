"""Judges' accounts: invitations by e-mail and accepting them, and the
password-reset e-mail. A request never sends mail itself: the e-mails are
Celery tasks (`judging.tasks`) queued after the commit, retried on SMTP
and network errors; what was sent is recorded (`Invitation.sent_at`).
Inviting the same address again while its invitation is open sends the
e-mail again (a new link; the older one stops working)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from contest.models import AgeCategory, Contest
from contest.services.jobs import job_enqueue

from .. import phrases
from ..invitations import Invitation, invitation_tokens, token_digest
from .assignment import judge_assign

logger = logging.getLogger(__name__)

SEND_INVITATION = "judging.invitation_mail_send"
SEND_PASSWORD_RESET = "judging.password_reset_mail_send"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def invitation_create(
    *, contest: Contest, email: str, name: str, language: str, categories: Iterable[AgeCategory], invited_by
) -> Invitation:
    """Invite `email` to the panel of `contest` (for `categories`; none:
    every category), written in `language`. An open invitation of the same
    address is updated and sent again. The e-mail is queued once the
    transaction commits."""
    categories = list(categories)
    if any(c.contest_id != contest.pk for c in categories):
        raise ValidationError(phrases.FOREIGN_CATEGORY, code="category")
    email = email.strip().lower()
    with transaction.atomic():
        invitation, _created = Invitation.objects.update_or_create(
            contest=contest, email=email, accepted_at__isnull=True,
            defaults={"name": name, "language": language, "invited_by": invited_by},
        )
        invitation.categories.set(categories)
        invitation_id = invitation.pk
        transaction.on_commit(lambda: job_enqueue(name=SEND_INVITATION, invitation_id=invitation_id))
    return invitation


def invitation_link(*, invitation: Invitation, token: str) -> str:
    """The absolute URL of the invitation's one-time link."""
    uid = urlsafe_base64_encode(force_bytes(invitation.pk))
    return _absolute(reverse("judging:invitation_accept", kwargs={"uidb64": uid, "token": token}))


def invitation_mail_deliver(*, invitation_id: int) -> bool:
    """Send the invitation e-mail (run by the worker): a new link, whose
    token's hash is kept so that only the latest e-mail's link works. False
    (logged) when the invitation is gone or accepted. Raises what the mail
    backend raises, the row unchanged, so the task can retry."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("contest").filter(pk=invitation_id).first()
        )
        if invitation is None or invitation.accepted_at is not None:
            logger.info("invitation %s is gone or accepted; no e-mail sent", invitation_id)
            return False
        invitation.sent_at = timezone.now()
        token = invitation_tokens.make_token(invitation)
        with translation.override(invitation.language):
            context = {
                "invitation": invitation, "contest": invitation.contest,
                "link": invitation_link(invitation=invitation, token=token),
                "days": max(1, settings.JUDGE_INVITATION_TIMEOUT // 86400),
            }
            subject = " ".join(render_to_string("judging/email/invitation_subject.txt", context).split())
            body = render_to_string("judging/email/invitation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
        invitation.token_hash = token_digest(token)
        invitation.save(update_fields=["token_hash", "sent_at"])
    return True


def invitation_user(*, invitation: Invitation):
    """The account the invitation is for: the user with its e-mail address
    (case-insensitive), else a new, unsaved user named by the address."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk").first()
    if user is None:
        user = User(username=_free_username(invitation.email), email=invitation.email, first_name=invitation.name[:150])
    return user


def _free_username(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email)[:140] or "judge"
    User = get_user_model()
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def invitation_accept(*, invitation: Invitation, user, password: str):
    """Accept the invitation as `user` (from `invitation_user`; saved here
    when new) with the new `password`, already validated (SetPasswordForm):
    the judge joins the panel of the contest for the invitation's
    categories, and the invitation is marked accepted, so its link dies.
    ValidationError when it was accepted meanwhile. Returns the user."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().filter(pk=invitation.pk, accepted_at__isnull=True).first()
        if locked is None:
            raise ValidationError(phrases.INVITATION_USED, code="used")
        user.set_password(password)
        user.save()
        judge_assign(contest=invitation.contest, judge=user, categories=list(invitation.categories.all()) or None)
        locked.accepted_at, locked.accepted_user = timezone.now(), user
        locked.save(update_fields=["accepted_at", "accepted_user"])
    invitation.accepted_at, invitation.accepted_user = locked.accepted_at, user
    return user


def password_reset_mail_queue(*, user_id: int, language: str) -> None:
    """Owe the password-reset e-mail to user `user_id`, in `language`;
    queued once the transaction commits."""
    transaction.on_commit(lambda: job_enqueue(name=SEND_PASSWORD_RESET, user_id=user_id, language=language))


def password_reset_mail_deliver(*, user_id: int, language: str) -> bool:
    """Send the password-reset e-mail of user `user_id` in `language`, with
    Django's reset link (run by the worker). False (logged) when the user
    is gone, inactive or has no address. Raises what the mail
    backend raises, so the task can retry."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        logger.info("user %s is gone or has no address; no password-reset e-mail sent", user_id)
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(language):
        context = {
            "user": user, "link": _absolute(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("registration/password_reset_subject.txt", context).split())
        body = render_to_string("registration/password_reset_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
