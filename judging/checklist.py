"""The points of the publication checklist: their codes (recorded in the
audit trail when results are published with points open) and what each is
called on the pages. Counted by `judging.selectors.publication_checklist`,
enforced by `judging.services.results_publish`."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "unscored_sheets": _("score sheets still to fill in"),
    "unresolved_ties": _("award places in an unresolved tie"),
    "open_conflicts": _("conflicts of interest with too few sheets"),
    "winners_without_consent": _("winners without consent to publication"),
    "renditions_not_ready": _("entries whose images are not ready"),
}
CODES = tuple(LABELS)


def label(code: str) -> str:
    """What the checklist point `code` is called (the code itself when unknown)."""
    return str(LABELS.get(code, code))
