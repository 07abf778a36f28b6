"""Every refusal judging gives a user, in one place: the messages of the
services' `ValidationError`s, the forms' and the admin's, and the pages'. The wording is the
catalogues' msgid: change a phrase here and in `locale/` together.

Lazy, so each is translated when shown, in the language of that request;
those with `%(name)s` placeholders are formatted by the caller.
"""

from django.utils.translation import gettext_lazy as _

# Publication and rounds lock judging.
PUBLISHED = _("The results are published; nothing can change any more.")
PUBLISHED_CRITERIA = _("The results are published; the criteria can no longer change.")
PUBLISHED_SCORES = _("The results are published; scores can no longer change.")
PUBLISHED_AWARDS = _("The results are published; awards can no longer change.")
ALREADY_PUBLISHED = _("The results are already published.")
STILL_OPEN = _("Submissions are still open; publish the results after they close.")
ROUND_NOT_FINISHED = _(
    "Entries go up to the regional final once the round's judging is over: its submissions closed and every "
    "judging round closed (or its results published)."
)
CHECKLIST_OPEN = _(
    "Some points of the checklist are still open. Settle them first, or publish anyway with a reason."
)
OVERRIDE_REASON_SHORT = _("Say why you publish with open points (at least %(min)d characters).")
ROUND_CLOSED = _("This round is closed.")
ROUND_CLOSED_SCORES = _("This round is closed; scores can no longer change.")
ROUND_ALREADY_CLOSED = _("This round is already closed.")
ROUND_ALREADY_OPEN = _("This round is already open.")
NO_SUCH_ROUND = _("There is no such round.")

# Settings, rubric and panel.
HALF_POINTS_USED = _("Half points are already given; they cannot be switched off.")
ROUND_SCORED = _(
    "This round has scores: criteria cannot be added or removed, and their weight and maximum cannot change."
)
INACTIVE_JUDGE = _("Only active users can be judges.")
FOREIGN_CATEGORY = _("A category of another contest was chosen.")
MIN_JUDGES = _("Give at least one judge per entry.")
NO_PANEL = _("Nobody is on the panel of this round yet.")
JUDGE_TWICE = _("A judge is listed twice.")

# Advancing to the next round.
NO_NEW_JUDGES = _("Choose the judges of the new round.")
ADVANCE_CHOICE = _("Give either a number per category or a list of entries.")
ADVANCE_TOP_N = _("Advance at least one entry per category.")
ADVANCE_NOT_IN_ROUND = _("Only entries of the current round can advance.")
ADVANCE_EMPTY = _("No entry would advance.")

# Score sheets (`criterion`: the criterion's name; `max`: its maximum points).
POINTS_NOT_HALF = _("%(criterion)s: give whole or half points.")
POINTS_NOT_INTEGER = _("%(criterion)s: give a whole number of points.")
POINTS_OUT_OF_RANGE = _("%(criterion)s: give 0 to %(max)d points.")
POINTS_REQUIRED = _("%(criterion)s: this criterion is required.")
NO_CRITERIA = _("This contest has no criteria yet.")
UNKNOWN_CRITERION = _("Some criteria do not belong to this contest.")
NOT_A_JUDGE = _("You are not a judge of this contest.")
NOT_JUDGE_OF_ENTRY = _("You are not a judge of this entry.")
NOT_JUDGEABLE = _("This entry is not open for judging.")
NOT_IN_QUEUE = _("This entry is not among the entries you judge.")
ABSTAINED = _("You abstained from this entry.")
CALIBRATION_FIRST = _("Please score the reference drawings first.")

# Calibration.
REFERENCE_NOT_JUDGEABLE = _("Reference drawings must be approved entries of this contest.")
NOT_A_REFERENCE = _("This is not a reference drawing.")

# Awards (`ref`: the entry's reference code).
AWARD_TWO_PLACES = _("In %(category)s one entry was chosen for two places.")  # `category`: its name
UNKNOWN_PLACE = _("Unknown age category or place.")
AWARD_OTHER_CATEGORY = _("An award went to an entry of another category.")
AWARD_NOT_JUDGEABLE = _("Entry %(ref)s is not approved and ready.")
AWARD_TWICE = _("Entry %(ref)s cannot win two places.")
REASON_FOR_UNDECIDED = _("A place is held by tied or incomplete entries; say why you chose as you did.")
REASON_FOR_OVERRIDE = _("These winners differ from the suggested ones; give a reason.")

# Judges' invitations.
INVITATION_USED = _("This invitation was accepted already.")
INVITATION_INVALID = _("This invitation link has expired or was used already.")

# Exports.
EXPORT_FAILED = _("The export could not be made.")
CERTIFICATES_NOT_PUBLISHED = _(
    "The certificates carry the date of the results: ask for them once the results are published."
)
CERTIFICATES_NONE = _("No entry of this contest gets a certificate: none was confirmed and approved.")
EXPORT_NOT_QUEUED = _("The export could not be started; please try again in a few minutes.")

# Flags for discussion (`max`: the note's maximum length in characters).
FLAG_NOTE_TOO_LONG = _("Keep the note to the organizers within %(max)d characters.")
# The rubric step of a contest's setup.
WEIGHT_POSITIVE = _("The weight must be above zero.")
MAX_POINTS_POSITIVE = _("The maximum must be at least 1 point.")
CRITERION_NAME_TWICE = _("Two criteria have the same name.")
RUBRIC_CONFLICT = _("The criteria were changed meanwhile. Look at them again and save once more.")
# Places and special awards given drawing by drawing (`ref`: the entry's
# reference code, `place`: the place in words, `name`: a special award's).
AWARD_UNKNOWN_ENTRY = _("This drawing is not an entry of this contest.")
PLACE_NOT_POSITIVE = _("A place is a whole number from 1 up.")
PLACE_TAKEN = _("The %(place)s of this age category already went to %(ref)s: take it back from that drawing first.")
SPECIAL_AWARD_UNKNOWN = _("This special award is not one of this contest's.")
SPECIAL_AWARD_NAME_MISSING = _("Give the special award a name in the contest's default language.")
SPECIAL_AWARD_NAME_TAKEN = _("This contest already has a special award named “%(name)s”.")
SPECIAL_AWARD_UNKNOWN_LANGUAGE = _("Unknown language for a special award's name.")
