"""Messages for refused uploads, in the parent's language.

The wording follows the message categories of the upload policy
(EMPTY, NOT_IMAGE, UNSUPPORTED_TYPE, CORRUPT, TOO_LARGE, BAD_DIMENSIONS).
"""

from django.utils.translation import gettext_lazy as _

from .imaging import Reason

UPLOAD_MESSAGES = {
    Reason.EMPTY: _("The file is empty."),
    Reason.NOT_IMAGE: _("This file is not an image. Please upload a JPEG, PNG, WebP or HEIC photo."),
    Reason.UNSUPPORTED_TYPE: _(
        "This type of file is not accepted (GIF, TIFF, BMP, SVG, PDF…). Please upload a JPEG, PNG, WebP or HEIC photo."
    ),
    Reason.CORRUPT: _("The image is damaged or incomplete. Please upload it again."),
    Reason.TOO_LARGE: _("The image is too large (maximum %(megapixels)s megapixels or %(megabytes)s MB)."),
    Reason.BAD_DIMENSIONS: _("The image is too small or too narrow."),
}

LOW_RESOLUTION_WARNING = _(
    "Your photo is small. It was accepted, but judges see more detail in a larger photo."
)
