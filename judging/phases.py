"""A contest's phase, defined in this one place.

The organizers' home (`/organize/`) shows each contest's phase; it is
decided by `contest_phase` from plain facts (no query of its own), in this
order, the first that holds:

- `results`: the results are published (`Contest.results_published_at`);
- `draft`: the submission window has not opened yet (the contest is being
  prepared);
- `open`: the submission window is open (moderation may already run);
- `judging`: the window is closed and judging has started (a round was
  recorded or a score given);
- `moderation`: the window is closed and entries wait for a moderator;
- `closed`: the window is closed, nothing waits for a moderator and
  judging has not started (the panel and assignment come next).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for entries")
    CLOSED = "closed", _("closed")
    MODERATION = "moderation", _("moderation")
    JUDGING = "judging", _("judging")
    RESULTS = "results", _("results published")


def contest_phase(
    *, now: dt.datetime, opens_at: dt.datetime, closes_at: dt.datetime, published: bool,
    awaiting_moderation: int, judging_started: bool,
) -> Phase:
    """The phase of a contest from its window, its publication, the number
    of entries waiting for moderation and whether judging has started (see
    the module's docstring for the order of the rules)."""
    if published:
        return Phase.RESULTS
    if now < opens_at:
        return Phase.DRAFT
    if now < closes_at:
        return Phase.OPEN
    if judging_started:
        return Phase.JUDGING
    if awaiting_moderation:
        return Phase.MODERATION
    return Phase.CLOSED
