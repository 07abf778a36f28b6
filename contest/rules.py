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
# The organizers' pages of a contest (moderation, dashboard, audit log).
rules.add_perm("contest.organize_contest", is_organizer)
