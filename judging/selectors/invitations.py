"""Reads for judges' invitations: the organizer's list and the invitation a
link names."""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from django.db.models import QuerySet

from contest.models import AgeCategory, Contest

from ..invitations import Invitation, invitation_tokens


def invitation_list(*, contest: Contest) -> list[Invitation]:
    """Every invitation of `contest`, newest first, with who invited and
    who accepted, and their age categories (two queries)."""
    return list(
        Invitation.objects.filter(contest=contest)
        .select_related("invited_by", "accepted_user")
        .prefetch_related("categories")
    )


def invitation_categories(*, contest: Contest) -> QuerySet[AgeCategory]:
    """The age categories a judge of `contest` may be invited for."""
    return AgeCategory.objects.filter(contest=contest).order_by("min_age", "pk")


def invitation_for_link(*, uidb64: str, token: str) -> Invitation | None:
    """The open invitation a link names (its contest loaded) when `token`
    is its valid, latest and unexpired token (`InvitationTokenGenerator`);
    None otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    invitation = Invitation.objects.select_related("contest").filter(pk=pk).first()
    return invitation if invitation is not None and invitation_tokens.check_token(invitation, token) else None
