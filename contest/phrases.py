"""What the portal says when it refuses something: one home for the
user-facing refusal phrases of uploads, submissions, moderation and the
rendering worker, in the visitor's (or guardian's) language.

Each phrase is a lazy translation, rendered in the language active where it
is shown; those with `%(name)s` placeholders are filled in with `%`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import imaging

# --- uploads: the same words on the form, in the browser and from the worker --

# By the message categories of the upload policy (EMPTY, NOT_IMAGE,
# UNSUPPORTED_TYPE, CORRUPT, TOO_LARGE, BAD_DIMENSIONS). TOO_LARGE takes
# `megapixels` and `megabytes` (see `upload_limits`).
UPLOAD_MESSAGES = {
    imaging.Reason.EMPTY: _("The file is empty."),
    imaging.Reason.NOT_IMAGE: _("This file is not an image. Please upload a JPEG, PNG, WebP or HEIC photo."),
    imaging.Reason.UNSUPPORTED_TYPE: _(
        "This type of file is not accepted (GIF, TIFF, BMP, SVG, PDF…). Please upload a JPEG, PNG, WebP or HEIC photo."
    ),
    imaging.Reason.CORRUPT: _("The image is damaged or incomplete. Please upload it again."),
    imaging.Reason.TOO_LARGE: _("The image is too large (maximum %(megapixels)s megapixels or %(megabytes)s MB)."),
    imaging.Reason.BAD_DIMENSIONS: _("The image is too small or too narrow."),
}

LOW_RESOLUTION_WARNING = _(
    "Your photo is small. It was accepted, but judges see more detail in a larger photo."
)

# What the worker records for organizers when an accepted upload still
# cannot become renditions.
IMAGE_NOT_PROCESSED = _("The image could not be processed.")
UPLOAD_MISSING = _("The uploaded file is missing.")
IMAGE_NOT_STORED = _("The image could not be stored; please try again later.")
# Organizers read it on a failed entry: the drawing stopped the renderer itself.
RENDER_CRASHED = _(
    "The rendering stopped %(n)s times on this drawing without finishing (the file may crash the image "
    "library); it is not tried again automatically."
)
IMAGE_NOT_STORED_RETRYING = _("The image could not be stored; it is tried again automatically.")


def upload_limits(policy: imaging.Policy) -> dict[str, str]:
    """The placeholders of the TOO_LARGE phrase for `policy`: decimal
    megapixels and megabytes, without trailing zeros ('40', '0.05')."""
    return {"megapixels": f"{policy.max_pixels / 1e6:g}", "megabytes": f"{policy.max_bytes / 1e6:g}"}


def upload_refusal(reason: imaging.Reason, *, policy: imaging.Policy) -> str:
    """The phrase for an upload refused for `reason` under `policy`, in the
    active language; the generic one for a reason without its own."""
    message = UPLOAD_MESSAGES.get(reason)
    if message is None:
        return str(IMAGE_NOT_PROCESSED)
    return message % upload_limits(policy)


# --- the submission window, the child's age and the entry caps ---------------

NOT_OPEN_YET = _("Submissions open on %(opens)s (%(tz)s).")
CLOSED = _("Submissions closed on %(closes)s (%(tz)s).")
AGE_OUTSIDE_BANDS = _("On %(date)s the child will be %(age)d years old; this contest is for ages %(bands)s.")
AGE_BAND_REVERSED = _("An age category's minimum age must not be above its maximum age.")
AGE_BANDS_OVERLAP = _("Age categories %(a)s and %(b)s overlap.")
CONSENT_REQUIRED = _("The guardian's consent is required to take part.")
COUNTRY_NOT_TAKING_PART = _("This country does not take part in this contest.")
RELATIONSHIP_REQUIRED = _("Choose how you are related to the child.")
CAP_CHILD = _("This child has already sent %(n)d drawing(s) to this contest, the most allowed.")
CAP_GUARDIAN = _("This e-mail address has already sent %(n)d drawings to this contest, the most allowed.")
DUPLICATE_IMAGE_OWN = _("This image was already sent to this contest (reference %(ref)s).")
DUPLICATE_IMAGE = _("This image was already sent to this contest.")
CAP_TEACHER = _("You have already sent %(n)d drawings to this contest, the most allowed for one teacher.")
CAP_TEACHERS_ALL = _("This contest takes no more drawings from teachers.")

# --- moderation --------------------------------------------------------------

REJECTION_REASON_REQUIRED = _("Choose a reason for the rejection.")

TITLE_REQUIRED = _("The drawing needs a title.")

# Short names of the rejection reasons, for the audit log ("reason: off
# theme"); the guardian is sent the full sentence (`Entry.RejectionReason`).
REJECTION_REASON_SHORT = {
    "not_a_drawing": _("not a drawing"),
    "off_theme": _("off theme"),
    "not_by_child": _("not the child's own work"),
    "personal_data": _("shows personal data"),
    "unreadable": _("photo unreadable"),
    "duplicate": _("sent twice"),
    "inappropriate": _("not suitable for children"),
}

# --- setting a contest up (contest.views.setup) ------------------------------

CLOSES_BEFORE_OPENS = _("The closing time must come after the opening time.")
AGE_CATEGORY_NAME_TWICE = _("Two age categories have the same name.")
AGE_CATEGORY_HAS_ENTRIES = _(
    "Drawings were already sent in the age category “%(name)s”: its ages cannot change and it cannot be removed."
)
AGE_CATEGORIES_CONFLICT = _("The age categories were changed meanwhile. Look at them again and save once more.")
SLUG_TAKEN = _("Another contest already has this address.")

# --- the guardian changes the entry (contest.services.guardian_edit) ---------

EDIT_CLOSED = _(
    "The contest closed on %(closes)s (%(tz)s): the entry can no longer be changed. You can still change the "
    "publication answers, download the data or withdraw the entry."
)
EDIT_REJECTED = _("The organizers did not accept this entry, so it can no longer be changed.")
REPLACE_BUSY = _("The drawing you sent before is being prepared right now. Please try again in a minute.")
REPLACE_SCORED = _("The judges have already scored this drawing, so it can no longer be replaced.")

# The sheet and what a photo shows besides the drawing (`services.sheet_review`).
RERENDER_BUSY = _("The drawing's images are being made right now. Please try again in a minute.")
SHEET_CORNERS_INVALID = _("The four corners must lie inside the photo and enclose the sheet, in the order top left, top right, bottom right, bottom left.")
MASKS_INVALID = _("The regions to hide could not be read. Please draw them again (at most 20).")
PHOTO_REQUEST_NO_EMAIL = _("This entry has no guardian's e-mail address any more, so nobody can be asked for a new photo.")

# The guardian's choice between the straightened drawing and the photo as sent.
SHEET_SCORED = _("The judges have already scored this drawing, so its picture can no longer be changed.")
SHEET_MASKED = _("The organizers have hidden part of this picture, so it stays as it is. You can still send a new photo of the drawing.")
