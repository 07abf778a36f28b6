"""The contest's views, one module per concern; thin: forms clean,
services write, selectors read, and `shortcuts.get_or_404` turns "nothing
here" into a 404.

- `public`: home, a contest's page, the winners' gallery, a winner's page;
- `submission`: the submit form and its receipt;
- `uploads`: resumable uploads of the photo in chunks;
- `guardian`: the pages behind the guardian's signed links;
- `images`: an entry's images, to whoever may see them;
- `organizer`: moderation, dashboard and audit log;
- `drawing`: a moderator's page of one entry's drawing (sheet, hidden regions, face or name check);
- `setup`: a new contest and its settings in steps (routed by
  `judging.organize_urls`, the organizers' workspace);
- `team`: the contest's organizers and moderators;
- `votes`: the people's choice (voting page, confirmation link, the organizers' burst report).
"""

from .guardian import (
    GUARDIAN_SESSION_KEY,
    guardian_confirm,
    guardian_entry,
    guardian_export,
    guardian_link_request,
    guardian_publication,
    guardian_withdraw,
)
from .images import rendition_serve
from .organizer import audit_log, dashboard, moderation_queue
from .public import contest_detail, entry_detail, gallery, home
from .submission import entry_receipt, entry_receipt_resend, entry_submit
from .team import team
from .uploads import upload_chunk, upload_create

__all__ = [
    "GUARDIAN_SESSION_KEY", "audit_log", "contest_detail", "dashboard", "entry_detail", "entry_receipt",
    "entry_receipt_resend", "entry_submit", "gallery", "guardian_confirm", "guardian_entry", "guardian_export",
    "guardian_link_request", "guardian_publication", "guardian_withdraw", "home", "moderation_queue",
    "rendition_serve", "team", "upload_chunk", "upload_create",
]
