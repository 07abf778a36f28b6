"""Contest data: contests, age categories, entries and their renditions,
the outbox of e-mails to guardians.

The entry row holds the child's personal data; judges and the public only
ever see what selectors expose (see `contest/selectors.py`).

One module per concern; every model and helper is importable from here
(`from contest.models import Entry`), as migrations and other apps do.
"""

from .awards import LANGUAGE_CODES, SpecialAward, SpecialAwardHolder
from .base import TimeStampedModel
from .contest import AgeCategory, Contest, Country, default_countries, validate_countries, validate_timezone
from .entry import Entry, EntryQuerySet, Rendition, original_upload_to, place_label
from .listed import LISTED_RENDITIONS, LISTED_SPECIAL_AWARDS, listed_renditions, listed_special_awards
from .mail import RESULTS_KINDS, GuardianMail
from .records import AnonymousCount, AuditLog, PurgeRun, SweepRun
from .roles import ContestRole
from .staged import StagedUpload
from .teachers import Teacher, consent_scan_upload_to
from .votes import Vote, VoteQuerySet
from .texts import EMAIL_KINDS, EMAIL_PLACEHOLDERS, ConsentText, ContestTranslation, validate_email_placeholders

__all__ = [
    "EMAIL_KINDS", "EMAIL_PLACEHOLDERS", "LANGUAGE_CODES", "AgeCategory", "AnonymousCount", "AuditLog",
    "ConsentText", "Contest", "LISTED_RENDITIONS", "LISTED_SPECIAL_AWARDS", "ContestRole", "ContestTranslation", "Country", "Entry", "EntryQuerySet", "GuardianMail",
    "PurgeRun", "RESULTS_KINDS", "Rendition", "SpecialAward", "SpecialAwardHolder", "StagedUpload", "SweepRun", "Teacher", "TimeStampedModel", "consent_scan_upload_to", "Vote", "VoteQuerySet", "default_countries",
    "listed_renditions", "listed_special_awards", "original_upload_to", "place_label", "validate_countries", "validate_email_placeholders", "validate_timezone",
]
