"""The contest's title in the visitor's language (falling back to the
contest's default language), for templates that only have the contest."""

from django import template
from django.conf import settings
from django.utils import translation

from contest import selectors

register = template.Library()


@register.filter
def localized_title(contest) -> str:
    """`contest`'s title in the active language; one query (its translations)
    unless they were prefetched."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return selectors.contest_content(contest=contest, language=language).title
