"""Reads for judging, by concern:

- `rounds`: the judging settings, rounds, criteria and contest look-ups;
- `blind`: what a judge may know of an entry, per-judge labels, tokens and order;
- `queue`: the judge's queue (one membership rule) and progress;
- `calibration`: reference drawings, for judges and the organizer's report;
- `sheets`: the scoring page (renditions, saved sheet, peer scores);
- `flags`: flags for discussion and abstentions (judges' and organizers');
- `ranking`: the ranking per category, agreement, award suggestions;
- `results`: the results page and the dashboard's judging progress;
- `organizer`: panel, conflicts, audit trail, score export;
- `exports`: the organizer's exports and the rows each kind is made of;
- `overview`: each contest's phase and what is left to do (the organizers'
  home) and the publication checklist;
- `sql`: the ranking computed by the database (benchmark).

Selectors return data: they build no URL and decide no 404 (the views do,
`judging.views.access`). Every list selector issues a fixed number of
queries, whatever the number of entries or judges. Every public name is
re-exported here, so `from judging import selectors` is enough.
"""

from .blind import (
    BLIND_FIELDS,
    ENTRY_TOKEN_BYTES,
    LABEL_ALPHABET,
    BlindEntry,
    anonymous_label,
    blind_entry,
    entry_for_token,
    entry_token,
    judge_order_key,
)
from .calibration import (
    CalibrationReport,
    CalibrationRow,
    calibration_pending_count,
    calibration_queue_for_judge,
    calibration_report,
    calibration_sheet_for_judge,
)
from .flags import (
    AbstainedEntry,
    abstained_entries_for_judge,
    discussion_flag_for_judge,
    discussion_flag_list,
    discussion_flags_for_judge,
)
from .invitations import invitation_categories, invitation_for_link, invitation_list
from .exports import (
    EXPORT_LIST_SIZE,
    EntryRow,
    SheetRow,
    WinnerOriginal,
    entry_export_count,
    entry_export_rows,
    entry_special_awards,
    export_for_build,
    export_get,
    export_list,
    score_sheet_count,
    score_sheet_criteria,
    score_sheets,
    winner_originals,
)
from .organizer import (
    AUDIT_PAGE_SIZE,
    AuditFilter,
    AuditRow,
    PanelJudge,
    audit_actors,
    audit_page,
    conflict_list,
    panel_for_organizer,
    score_export_rows,
)
from .overview import (
    CHECKLIST_CODES,
    ChecklistItem,
    ContestOverview,
    RenderingOverview,
    contest_overviews,
    publication_checklist,
    rendering_overview,
)
from .queue import (
    ContestProgress,
    JudgeQueue,
    Progress,
    contest_list_for_judge,
    entry_in_judge_queue,
    entry_list_for_judge,
    entry_visible_to_judge,
    judge_progress,
    judge_queue,
    judge_round,
    judge_sees_entry,
    queue_entries,
)
from .ranking import (
    Agreement,
    CategoryRanking,
    RankingRow,
    contest_ranking,
    judge_names,
    ranking_parts,
    special_awards_held,
    round_sheets,
)
from .ranking_core import RankingCore, ranking_core, ranking_core_cached, ranking_version_bump
from .results import (
    BAR_WIDTH,
    CHART_HEIGHT,
    CategoryProgress,
    JudgeDistribution,
    Results,
    judging_progress_by_category,
    results_for_organizer,
)
from .rounds import (
    contest_get,
    contest_list_for_organizer,
    criterion_list,
    judgeable_entries,
    judging_over,
    judging_settings_get,
    round_current,
    round_entries,
    round_has_scores,
    round_list,
    scoring_criteria,
)
from .sheets import (
    DisplayRenditions,
    PeerScore,
    display_renditions,
    peer_scores_for_judge,
    rendition_for_judge,
    score_sheet_for_judge,
    sheet_comment_for_judge,
)
from .sql import ranking_in_database


__all__ = [
    "AUDIT_PAGE_SIZE", "BAR_WIDTH", "BLIND_FIELDS", "CHART_HEIGHT", "CHECKLIST_CODES", "ENTRY_TOKEN_BYTES",
    "EXPORT_LIST_SIZE", "LABEL_ALPHABET", "AbstainedEntry", "abstained_entries_for_judge",
    "discussion_flag_for_judge", "discussion_flag_list", "discussion_flags_for_judge", "Agreement", "audit_actors", "AuditFilter", "AuditRow", "BlindEntry",
    "CalibrationReport", "CalibrationRow", "CategoryProgress", "ChecklistItem", "contest_overviews",
    "RenderingOverview", "rendering_overview",
    "ContestOverview", "entry_export_count", "entry_export_rows", "entry_special_awards", "EntryRow", "export_for_build", "export_get",
    "export_list", "publication_checklist", "score_sheet_count", "score_sheet_criteria", "score_sheets",
    "SheetRow", "winner_originals", "WinnerOriginal",
    "CategoryRanking", "ContestProgress", "DisplayRenditions", "JudgeDistribution", "JudgeQueue", "PanelJudge",
    "PeerScore", "Progress", "RankingRow", "Results",
    "anonymous_label", "audit_page", "blind_entry", "calibration_pending_count", "calibration_queue_for_judge",
    "calibration_report", "calibration_sheet_for_judge", "conflict_list", "contest_get", "contest_list_for_judge",
    "contest_list_for_organizer", "contest_ranking", "criterion_list", "display_renditions", "entry_for_token",
    "entry_in_judge_queue", "entry_list_for_judge", "entry_token", "entry_visible_to_judge", "invitation_categories",
    "invitation_for_link", "invitation_list", "judge_names",
    "judge_order_key", "judge_progress", "judge_queue", "judge_round", "judge_sees_entry", "judgeable_entries",
    "judging_progress_by_category", "judging_settings_get", "panel_for_organizer", "peer_scores_for_judge",
    "queue_entries", "ranking_core", "ranking_core_cached", "ranking_in_database", "ranking_parts",
    "ranking_version_bump", "RankingCore", "special_awards_held", "rendition_for_judge", "results_for_organizer",
    "round_current", "round_entries", "round_has_scores", "round_list", "round_sheets", "score_export_rows",
    "score_sheet_for_judge", "scoring_criteria", "sheet_comment_for_judge",
]
