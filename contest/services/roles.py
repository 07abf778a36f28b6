"""The team of a contest: granting and revoking its organizer and
moderator roles (judges join through judging's invitations). Every change
is recorded in the contest's audit log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AuditLog, Contest, ContestRole
from .audit import audit_log_record

Role = ContestRole.Role


def role_person_find(*, person: str):
    """The active account whose username or e-mail address (either case)
    is `person`, leading and trailing spaces ignored; an exact username
    wins over one differing only by case. ValidationError (code "unknown"
    or "ambiguous") when there is none, or when several accounts share
    that address and no username matches."""
    User = get_user_model()
    wanted = person.strip()
    active = User.objects.filter(is_active=True)
    name = User.USERNAME_FIELD
    found = None
    if wanted:
        found = active.filter(**{name: wanted}).first() or (
            active.filter(**{f"{name}__iexact": wanted}).order_by("pk").first()
        )
    if found is not None:
        return found
    by_email = list(active.filter(email__iexact=wanted)[:2]) if wanted else []
    if len(by_email) > 1:
        raise ValidationError(
            _("Several accounts use this e-mail address: give the username instead."), code="ambiguous"
        )
    if not by_email:
        raise ValidationError(
            _("There is no account with this username or e-mail address. Judges are invited on the judges page."),
            code="unknown",
        )
    return by_email[0]


def role_grant(*, contest: Contest, user, role: str, actor=None) -> ContestRole:
    """Give `user` the `role` ("organizer" or "moderator") in `contest`,
    recorded in the audit log as given by `actor` (None: the system). A
    moderator made organizer loses the moderator row (organizers moderate
    too). ValidationError, with nothing saved, for an unknown role, a role
    already held, or the moderator role for one of the contest's
    organizers."""
    if role not in Role.values:
        raise ValidationError(_("Choose organizer or moderator."), code="role")
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        held = set(ContestRole.objects.filter(contest=contest, user=user).values_list("role", flat=True))
        if role in held:
            raise ValidationError(
                _("%(person)s already has this role in this contest.") % {"person": user.get_username()},
                code="held",
            )
        if role == Role.MODERATOR and Role.ORGANIZER in held:
            raise ValidationError(
                _("%(person)s already organizes this contest, and organizers moderate too.")
                % {"person": user.get_username()},
                code="organizer",
            )
        ContestRole.objects.filter(contest=contest, user=user, role=Role.MODERATOR).delete()
        granted = ContestRole(contest=contest, user=user, role=role, granted_by=actor if _saved(actor) else None)
        granted.full_clean()
        granted.save()
        audit_log_record(
            action=AuditLog.Action.ROLE_GRANTED, actor=actor, contest=contest,
            detail={"person": user.get_username(), "role": role},
        )
    return granted


def role_revoke(*, contest: Contest, role_id: int, actor) -> ContestRole:
    """Take away the role `role_id` of `contest`, recorded in the audit log
    as done by `actor`; the removed row (no longer saved) is returned.
    ValidationError, with nothing changed, when there is no such role in
    this contest, or when it is the contest's last organizer (a contest
    always keeps one: nobody, the organizer themself included, can leave
    it without one)."""
    with transaction.atomic():
        # One change of a contest's team at a time: two organizers revoking
        # each other at once cannot leave it without any.
        Contest.objects.select_for_update().filter(pk=contest.pk).first()
        found = ContestRole.objects.select_related("user").filter(contest=contest, pk=role_id).first()
        if found is None:
            raise ValidationError(_("This role is no longer held: the page was out of date."), code="gone")
        if (
            found.role == Role.ORGANIZER
            and not ContestRole.objects.filter(contest=contest, role=Role.ORGANIZER).exclude(pk=found.pk).exists()
        ):
            raise ValidationError(
                _("A contest keeps at least one organizer: give the role to someone else first."), code="last"
            )
        found.delete()
        audit_log_record(
            action=AuditLog.Action.ROLE_REVOKED, actor=actor, contest=contest,
            detail={"person": found.user.get_username(), "role": found.role},
        )
    return found


def _saved(user) -> bool:
    return user is not None and getattr(user, "pk", None) is not None
