"""Reads for the contest app, by audience: `public` (contests, the
winners' gallery, a winner's page, content per language), `home` (the home
page), `certificates` (who gets one, what it says), `guardian` (consent,
the guardian's entry and its stage) and `organizer` (moderation queue,
audit log, dashboard, roles), `votes` (the people's choice), `teachers` (a class's entries, forms to check). Every list here costs a constant number of
SQL queries whatever the number of entries. Every public name is
importable from here (`selectors.contest_content`)."""



from .certificates import (
    CertificateFacts, certificate_available, certificate_entries, certificate_for_entry, certificates_for_contest,
)
from .guardian import (
    STAGES, Consent, EntryStatus, Stage, Step, consent_text_current, consent_text_for_entry,
    consent_version_accepted, entry_for_guardian, entry_for_receipt, entry_photo_asked, entry_reference_for_submission,
    entry_stage, entry_status,
)
from .home import HOME_WINNERS, HomePage, home_page, home_winners
from .organizer import (
    Dashboard, MailCounts, QueueFilter, audit_log_actors, audit_log_list, contest_list_with_role, contest_team,
    dashboard_for_organizer, moderation_queue, results_mail_counts,
)
from .public import (
    PUBLIC_ENTRY_FIELDS, ContestContent, contest_content, contests_with_rounds_flag,
    entry_public_get, national_rounds_listed, national_winners_for_gallery, winner_order, winners_for_gallery,
)
from .teachers import (
    CLASS_ENTRY_FIELDS, ClassEntry, class_entry_status, consent_scans_waiting, teacher_class_entries, teacher_contests,
    teachers_waiting,
)
from .votes import (
    BALLOT_ENTRY_FIELDS, Burst, ballot_for_public, peoples_choice_results, vote_bursts, votes_summary, voting_now,
)

__all__ = [
    "contests_with_rounds_flag", "national_rounds_listed", "national_winners_for_gallery",
    "CLASS_ENTRY_FIELDS", "ClassEntry", "class_entry_status", "consent_scans_waiting", "teacher_class_entries", "teacher_contests",
    "teachers_waiting",
    "BALLOT_ENTRY_FIELDS", "Burst", "ballot_for_public", "peoples_choice_results", "vote_bursts", "votes_summary",
    "voting_now",
    "HOME_WINNERS", "PUBLIC_ENTRY_FIELDS", "STAGES", "CertificateFacts", "Consent", "ContestContent", "Dashboard",
    "EntryStatus", "HomePage", "MailCounts", "QueueFilter", "Stage", "Step", "audit_log_actors", "audit_log_list",
    "certificate_available", "certificate_entries", "certificate_for_entry", "certificates_for_contest",
    "consent_text_current", "consent_text_for_entry", "consent_version_accepted", "contest_content",
    "contest_list_with_role", "contest_team", "dashboard_for_organizer", "entry_for_guardian", "entry_for_receipt",
    "entry_public_get", "entry_reference_for_submission", "entry_photo_asked", "entry_stage", "entry_status", "home_page",
    "home_winners", "moderation_queue", "results_mail_counts", "winner_order", "winners_for_gallery",
]
