"""Invalidation of the cached rankings (`selectors.ranking_core`): a saved
or deleted score, conflict, criterion, judging setting, round, round entry,
entry or age category replaces its contest's ranking version. Bulk writes
(`QuerySet.update`, `bulk_create`) send no signals: the services that use
them on these models call `ranking_version_bump` themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from contest.models import AgeCategory, Entry

from .models import Conflict, Criterion, JudgingSettings, Round, RoundEntry, Score
from .selectors.ranking_core import ranking_version_bump


def _contest_id(instance) -> int | None:
    if isinstance(instance, (Criterion, JudgingSettings, Round, Entry, AgeCategory)):
        return instance.contest_id
    if isinstance(instance, RoundEntry):
        related = instance._state.fields_cache.get("round")
        return related.contest_id if related else Round.objects.filter(pk=instance.round_id).values_list(
            "contest_id", flat=True).first()
    related = instance._state.fields_cache.get("entry")  # Score, Conflict
    if related is not None:
        return related.contest_id
    return Entry.objects.filter(pk=instance.entry_id).values_list("contest_id", flat=True).first()


def ranking_changed(sender, instance, **kwargs) -> None:
    """Signal receiver: the ranking of `instance`'s contest is outdated."""
    contest_id = _contest_id(instance)
    if contest_id is not None:
        ranking_version_bump(contest_id=contest_id)


RANKING_MODELS = (Score, Conflict, Criterion, JudgingSettings, Round, RoundEntry, Entry, AgeCategory)


def connect() -> None:
    """Connect `ranking_changed` to the models a ranking is made of."""
    for model in RANKING_MODELS:
        post_save.connect(ranking_changed, sender=model, dispatch_uid=f"ranking-{model._meta.label}-save")
        post_delete.connect(ranking_changed, sender=model, dispatch_uid=f"ranking-{model._meta.label}-delete")
