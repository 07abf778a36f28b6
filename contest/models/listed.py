"""An entry's renditions and special awards as a selector loaded them.

Public pages list many entries at once. `Prefetch(..., to_attr=...)` puts
each entry's related rows in a plain list, which costs no queryset per
entry (a prefetch into the related manager clones one per entry: half the
gallery selector's time for 48 winners). Readers go through these two
functions, which fall back to the related manager when nothing was listed.
"""

LISTED_RENDITIONS = "listed_renditions"
LISTED_SPECIAL_AWARDS = "listed_special_awards"


def listed_renditions(entry) -> list:
    """The entry's `Rendition` rows: the list a selector set as
    `LISTED_RENDITIONS`, else `entry.renditions.all()` (a query unless
    prefetched)."""
    rows = entry.__dict__.get(LISTED_RENDITIONS)
    return rows if rows is not None else list(entry.renditions.all())


def listed_special_awards(entry) -> list:
    """The entry's `SpecialAward`s in their order: the list a selector set
    as `LISTED_SPECIAL_AWARDS`, else `entry.special_awards.all()`."""
    rows = entry.__dict__.get(LISTED_SPECIAL_AWARDS)
    return rows if rows is not None else list(entry.special_awards.all())
