"""Reads for the contest app, by audience: `public` (contests, the
winners' gallery, a winner's page, content per language), `guardian`
(consent, the guardian's entry and its stage), `organizer` (moderation
queue, audit log, dashboard, roles) and `home` (the home page). Every list here costs a constant
number of SQL queries whatever the number of entries. Every public name
is importable from here (`selectors.contest_content`)."""

from .guardian import (
    STAGES, Consent, Stage, consent_text_current, consent_text_for_entry, consent_version_accepted,
    entry_for_guardian, entry_reference_for_submission, entry_stage,
)
from .home import HOME_WINNERS, HomePage, home_page, home_winners
from .organizer import (
    Dashboard, QueueFilter, audit_log_actors, audit_log_list, contest_list_with_role, contest_team,
    dashboard_for_organizer, moderation_queue,
)
from .public import (
    PUBLIC_ENTRY_FIELDS, ContestContent, contest_content, contest_list_public, contest_list_with_content,
    entry_public_get, public_cache_key, winner_order, winners_for_gallery,
)

__all__ = [
    "PUBLIC_ENTRY_FIELDS", "STAGES", "Consent", "ContestContent", "Dashboard", "QueueFilter", "Stage",
    "HOME_WINNERS", "HomePage", "audit_log_actors", "audit_log_list", "consent_text_current", "consent_text_for_entry",
    "consent_version_accepted", "contest_content", "contest_list_public", "contest_list_with_content",
    "contest_list_with_role", "contest_team", "dashboard_for_organizer", "entry_for_guardian",
    "entry_public_get", "entry_reference_for_submission", "entry_stage",
    "home_page", "home_winners", "moderation_queue", "public_cache_key",
    "winner_order", "winners_for_gallery",
]
