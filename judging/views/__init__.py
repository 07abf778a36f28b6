"""Judging pages, by audience: `judge` (the judges' contests, queue,
scoring and abstaining), `discussion` (flags for discussion), `calibration` (reference drawings, for judges and
organizers), `images` (renditions under the judge's token) and `organizer`
(results, publication, panel, rounds, audit), `awards` (places and
special awards on the results grid), `exports`
(the worker-made exports: request, progress, download) and `organize`
(the organizers' home), `setup` (the rubric and judges steps of a
contest's settings). Thin: the
page's object and permission come from `access` (a 404 decided in one
place), a selector reads, a form cleans, a service writes; `pictures`
builds the scoring page's <picture>."""

from .accounts import invitation_accept, judges
from .awards import results_awards, results_csv, results_promote, special_award_create, special_award_delete
from .calibration import calibration, calibration_report, calibration_score
from .discussion import entry_flag
from .images import entry_image
from .judge import entry_abstain, entry_list, entry_score, home
from .organize import organize_home
from .organizer import audit, panel, results, results_publish, rounds

__all__ = [
    "audit", "calibration", "calibration_report", "calibration_score", "entry_abstain", "entry_flag", "entry_image",
    "entry_list", "entry_score", "home", "invitation_accept", "judges", "organize_home", "panel", "results",
    "results_awards", "results_csv", "results_promote", "results_publish", "rounds", "special_award_create", "special_award_delete",
]
