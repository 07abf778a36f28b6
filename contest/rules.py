"""Who may see what (django-rules predicates)."""

import rules


@rules.predicate
def is_organizer(user):
    return user.is_active and user.is_staff


@rules.predicate
def is_published_winner(user, entry):
    return (
        entry.contest.results_published_at is not None
        and entry.award is not None
        and entry.publish_consent
        and entry.is_judgeable
    )


@rules.predicate
def is_assigned_judge_of_entry(user, entry):
    # Through the reverse relation so that contest never imports judging.
    return (
        user.is_authenticated
        and entry.is_judgeable
        and entry.contest.judge_assignments.filter(judge=user).exists()
    )


rules.add_perm("contest.view_entry_image", is_organizer | is_published_winner | is_assigned_judge_of_entry)
rules.add_perm("contest.view_entry_public", is_published_winner)
