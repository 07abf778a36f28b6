"""Writes of the contest app, one module per concern:

- `submission`: receipt codes, age category, caps, duplicate image, `entry_submit`;
- `policy`: the upload rules (window, upload policy and limits, grace period);
- `guardian`: what a guardian does (links, confirmation, publication answers, export, withdrawal);
- `guardian_edit`: what a guardian changes before the closing time (details, a new drawing);
- `mail`: e-mails to guardians: an outbox row in the caller's transaction, sent by a
  Celery task after commit, and the sweeper that queues unsent ones again;
- `results_mail`: the results e-mails to families, owed at publication, sent in batches;
- `moderation`: approve, reject, flag;
- `sheet_review`: the sheet's corners, hidden regions, the face or name check, asking for a new photo;
- `retention`: erasing entries and the deletion rules;
- `storage`: entries' files, the orphan-file check, retired renditions;
- `processing`: queueing renditions, the stuck-entry sweeper, retrying failed ones;
- `national`: national rounds of a regional final, promoting their entries to it;
- `setup`: creating a contest and changing its settings, age categories and texts;
- `roles`: the team of a contest (organizer and moderator roles given and taken away);
- `teachers`: teachers' accounts (registration, verification, approval), a
  teacher's row as an entry, the check of a signed paper consent form;
- `votes`: the people's choice (casting, confirming by e-mail, voiding votes);
- `audit`, `public_cache`, `jobs`: the audit log, the public pages' cache, queueing tasks.

Every public name is importable from here (`services.entry_submit`).
Submodules import their siblings directly, never this package.
"""

from ..ages import age_bands_validate, age_on
from .audit import audit_log_record, purge_run_record
from .guardian import (
    entry_confirm,
    entry_data_export,
    entry_publication_update,
    entry_withdraw,
    guardian_links_request,
)
from .guardian_edit import (
    DETAIL_FIELDS,
    EntryDetails,
    entry_details_edit,
    entry_drawing_replace,
    entry_edit_check,
    entry_replace_check,
    entry_sheet_choose,
)
from .filestore import STORAGE_ERRORS, StorageUnavailable, file_delete_quietly, file_store
from .jobs import job_enqueue, renditions_enqueue
from .mail import (
    MAIL_MAX_ATTEMPTS,
    MAIL_REQUEUE_AFTER_SECONDS,
    entry_confirmation_send,
    entry_link_secret_renew,
    entry_links_resend,
    entry_receipt_send,
    entry_rejection_send,
    entry_photo_request_send,
    entry_text_edited_send,
    entry_unreadable_send,
    guardian_mail_deliver,
    guardian_mail_deliver_once,
    guardian_mail_queue,
    guardian_mails_requeue,
    mail_error_label,
)
from .mail_text import MAIL_KINDS, guardian_links, guardian_mail_render, placeholders_fill
from .results_mail import (
    RESULTS_MAIL_BATCH,
    results_mail_families,
    results_mails_dispatch,
    results_mails_owe,
    results_mails_send,
)
from .moderation import entries_approval_blocked, entries_flag, entries_moderate, entry_text_edit
from .policy import rejected_grace_days, upload_policy, window_check
from .processing import RETRY_DELAYS, STUCK_AFTER_SECONDS, entries_requeue_stuck, entries_retry_failed, retry_delay
from .public_cache import public_cache_clear
from .roles import role_grant, role_person_find, role_revoke
from .retention import (
    entries_purge_rejected,
    entries_purge_retention,
    entries_purge_unconfirmed,
    entry_anonymize_winner,
    entry_erase,
)
from .sheet_review import (
    MAX_MASKS,
    entry_masks_set,
    entry_photo_request,
    entry_privacy_clear,
    entry_rerender,
    entry_sheet_set,
)
from .national import (
    COUNTRY_LANGUAGES, COUNTRY_TIMEZONES, RoundPlan, entries_promote, final_category_for, national_rounds_create,
    national_rounds_setup,
    promoted_original_copy, round_slug,
)
from .setup import age_categories_save, contest_create, contest_texts_save, contest_update
from .votes import (
    email_disposable, email_key, entries_shortlist, network_of, vote_cast, vote_confirm, vote_confirmation_deliver, vote_from_token,
    vote_token, votes_void,
)
from .teachers import (
    TeacherRow,
    entry_consent_scan_check,
    teacher_approve,
    teacher_email_verify,
    teacher_entry_submit,
    teacher_register,
    teacher_verification_deliver,
    teacher_verification_token,
)
from .storage import ORPHAN_MIN_AGE, STORAGE_PREFIXES, renditions_prune_retired, storage_orphans_purge
from .submission import (
    REFERENCE_ALPHABET,
    Submission,
    age_category_for,
    duplicate_image_error,
    entry_caps_check,
    entry_caps_lock,
    entry_submit,
    teacher_caps_check,
    name_normalize,
    reference_generate,
    reference_normalize,
)

__all__ = [
    "DETAIL_FIELDS", "EntryDetails", "entry_details_edit", "entry_drawing_replace", "entry_edit_check",
    "MAIL_KINDS", "MAIL_MAX_ATTEMPTS", "MAIL_REQUEUE_AFTER_SECONDS", "ORPHAN_MIN_AGE", "REFERENCE_ALPHABET",
    "STORAGE_ERRORS", "STORAGE_PREFIXES", "STUCK_AFTER_SECONDS", "StorageUnavailable", "Submission",
    "age_bands_validate", "age_categories_save", "age_category_for", "age_on", "audit_log_record", "contest_create",
    "contest_texts_save", "contest_update", "duplicate_image_error", "file_delete_quietly", "file_store",
    "entries_flag", "entries_moderate", "entries_purge_rejected", "entries_purge_retention",
    "entries_purge_unconfirmed", "entries_requeue_stuck", "entries_retry_failed", "entry_anonymize_winner",
    "entry_caps_check", "entry_caps_lock", "entry_confirm", "entry_confirmation_send", "entry_data_export",
    "entry_erase", "entry_link_secret_renew", "entry_links_resend", "entry_publication_update", "entry_receipt_send",
    "entry_rejection_send", "entry_text_edited_send", "entry_text_edit", "entry_unreadable_send",
    "entry_submit", "entry_withdraw", "guardian_links", "guardian_links_request", "guardian_mail_deliver",
    "guardian_mail_deliver_once", "guardian_mail_queue", "guardian_mail_render", "guardian_mails_requeue",
    "job_enqueue", "mail_error_label", "name_normalize", "placeholders_fill",
    "public_cache_clear", "purge_run_record", "RESULTS_MAIL_BATCH", "results_mail_families",
    "results_mails_dispatch", "results_mails_owe", "results_mails_send", "reference_generate", "reference_normalize", "rejected_grace_days",
    "RETRY_DELAYS", "renditions_enqueue", "renditions_prune_retired", "retry_delay", "role_grant", "role_person_find",
    "role_revoke", "storage_orphans_purge", "upload_policy", "window_check",
    "MAX_MASKS", "entries_approval_blocked", "entry_masks_set", "entry_photo_request", "entry_photo_request_send",
    "entry_privacy_clear", "entry_rerender", "entry_sheet_set", "entry_replace_check", "entry_sheet_choose",
    "email_disposable", "email_key", "entries_shortlist", "network_of", "vote_cast", "vote_confirm", "vote_confirmation_deliver",
    "vote_from_token", "vote_token", "votes_void",
    "COUNTRY_LANGUAGES", "COUNTRY_TIMEZONES", "RoundPlan", "entries_promote", "final_category_for",
    "national_rounds_create", "national_rounds_setup", "promoted_original_copy", "round_slug",
    "TeacherRow", "entry_consent_scan_check", "teacher_approve", "teacher_caps_check", "teacher_email_verify",
    "teacher_entry_submit", "teacher_register", "teacher_verification_deliver", "teacher_verification_token",
]
