"""Who may see what (django-rules predicates)."""

import rules

# Other apps register here who else may see an entry's images (judging adds
# "the entry is in this judge's queue or is one of the contest's reference
# drawings"); contest never imports them. Each is called as check(user, entry).
ENTRY_IMAGE_VIEWERS: list = []


@rules.predicate
def is_organizer(user):
    return user.is_active and user.is_staff


@rules.predicate
def may_add_contests(user):
    """Django's model permission `contest.add_contest`, or a superuser."""
    return user.is_active and (user.is_superuser or user.has_perm("contest.add_contest"))


@rules.predicate
def is_published_winner(user, entry):
    return (
        entry.contest.results_published_at is not None
        and entry.publish_consent
        and entry.is_judgeable
        and entry.is_winner
    )


@rules.predicate
def is_registered_viewer(user, entry):
    return user.is_authenticated and any(check(user, entry) for check in ENTRY_IMAGE_VIEWERS)


rules.add_perm("contest.view_entry_image", is_organizer | is_published_winner | is_registered_viewer)
rules.add_perm("contest.view_entry_public", is_published_winner)
# The judges' large `zoom` rendition: never public. Judges get it under their
# own token (`judging:entry_image`); here, by public id, organizers only.
rules.add_perm("contest.view_entry_zoom", is_organizer)
# The organizers' pages of a contest (moderation, dashboard, audit log,
# settings).
rules.add_perm("contest.organize_contest", is_organizer)
# Setting up a new contest (/organize/contests/new/).
rules.add_perm("contest.create_contest", may_add_contests)
