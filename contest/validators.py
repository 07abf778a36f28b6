"""Messages for refused uploads, in the parent's language (kept here for
existing imports; the phrases live in `contest.phrases`)."""

from .phrases import LOW_RESOLUTION_WARNING, UPLOAD_MESSAGES

__all__ = ["LOW_RESOLUTION_WARNING", "UPLOAD_MESSAGES"]
