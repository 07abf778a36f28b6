"""Writes for judging: settings, panels and assignment, rounds, score
sheets, conflicts, calibration, awards, publication, and the audit trail.

Publication (`results_publish`) is the final lock: from
`Contest.results_published_at` on, every write here refuses. A closed round
locks its own scores. Each write locks the contest row first
(`select_for_update`, a no-op on SQLite, whose writers are serialized
anyway) and re-reads the state it checks inside its transaction, so a sheet
saved while an organizer publishes or closes a round is either counted or
refused. Every change that matters for fairness is recorded in
`AuditEvent` with who and when (`audit_record`).

By concern: `locking` (the contest lock and the publication refusal every
write starts with), `audit` (the trail), `configuration` (settings and
rubric changes), `rubric` (a round's criteria changed at once), `assignment` (panels, entries to judges), `rounds`,
`sheets` (score sheets, conflicts), `discussion` (flags for discussion), `calibration`, `awards` (awards and
publication), `entry_awards` (places and special awards drawing by drawing), `exports` (exports built by the worker), `promotion` (a national round's entries up to the regional final). Refusals are
`ValidationError`s whose messages live in `judging.phrases`. Every public name is re-exported here.
"""

from .assignment import AssignmentReport, entries_assign, judge_assign
from .audit import Action, audit_record, entry_judging_text_erase
from .awards import OVERRIDE_REASON_MIN_LENGTH, award_suggestions, awards_set, results_publish
from .invitations import (
    invitation_accept,
    invitation_create,
    invitation_mail_deliver,
    invitation_user,
    password_reset_mail_deliver,
    password_reset_mail_queue,
)
from .entry_awards import SUGGESTED_PLACES, entry_awards_set, special_award_create, special_award_delete
from .calibration import calibration_set, calibration_sheet_submit
from .discussion import discussion_flag_remove, discussion_flag_set
from .configuration import (
    CRITERION_STRUCTURE,
    criterion_change_check,
    criterion_change_record,
    judging_settings_check,
    judging_settings_update,
)
from .exports import (
    BUILD_EXPORT,
    EXPORT_KEEP,
    export_build,
    export_download_name,
    export_request,
    exports_purge_expired,
    winner_file_name,
)
from .promotion import PromotionUndecided, national_rounds_rubric_copy, promotion_candidates, round_promote
from .rounds import round_advance, round_close, round_open
from .rubric import rubric_save
from .sheets import clean_sheet, conflict_declare, score_sheet_submit

__all__ = [
    "PromotionUndecided", "national_rounds_rubric_copy", "promotion_candidates", "round_promote",
    "BUILD_EXPORT", "CRITERION_STRUCTURE", "EXPORT_KEEP", "OVERRIDE_REASON_MIN_LENGTH", "Action",
    "SUGGESTED_PLACES", "AssignmentReport", "audit_record", "entry_judging_text_erase",
    "entry_awards_set", "special_award_create", "special_award_delete", "award_suggestions", "awards_set", "calibration_set",
    "calibration_sheet_submit", "clean_sheet", "conflict_declare", "criterion_change_check",
    "criterion_change_record", "discussion_flag_remove", "discussion_flag_set", "entries_assign", "export_build", "export_download_name", "export_request",
    "exports_purge_expired", "invitation_accept", "invitation_create", "invitation_mail_deliver",
    "invitation_user", "judge_assign", "judging_settings_check", "judging_settings_update",
    "password_reset_mail_deliver", "password_reset_mail_queue", "results_publish", "round_advance",
    "round_close", "round_open", "rubric_save", "score_sheet_submit", "winner_file_name",
]
