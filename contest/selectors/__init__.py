"""Reads for the contest app, by audience: `public` (contests, the
winners' gallery, a winner's page, content per language), `guardian`
(consent, the guardian's entry and its stage) and `organizer` (moderation
queue, audit log, dashboard, roles). Every list here costs a constant
number of SQL queries whatever the number of entries. Every public name
is importable from here (`selectors.contest_content`)."""

from .guardian import (
    STAGES, Consent, EntryStatus, Stage, Step, consent_text_current, consent_text_for_entry,
    consent_version_accepted, entry_for_guardian, entry_for_receipt, entry_reference_for_submission, entry_stage,
    entry_status,
)
from .organizer import (
    Dashboard, QueueFilter, audit_log_actors, audit_log_list, contest_list_with_role, contest_team,
    dashboard_for_organizer, moderation_queue,
)
from .public import (
    PUBLIC_ENTRY_FIELDS, ContestContent, contest_content, contest_list_public, contest_list_with_content,
    entry_public_get, public_cache_key, winner_order, winners_for_gallery,
)

__all__ = [
    "PUBLIC_ENTRY_FIELDS", "STAGES", "Consent", "ContestContent", "Dashboard", "EntryStatus", "QueueFilter", "Stage",
    "Step", "entry_for_receipt", "entry_status",
    "audit_log_actors", "audit_log_list", "consent_text_current", "consent_text_for_entry",
    "consent_version_accepted", "contest_content", "contest_list_public", "contest_list_with_content",
    "contest_list_with_role", "contest_team", "dashboard_for_organizer", "entry_for_guardian",
    "entry_public_get", "entry_reference_for_submission", "entry_stage", "moderation_queue", "public_cache_key",
    "winner_order", "winners_for_gallery",
]
