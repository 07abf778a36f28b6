"""The contest's title, its age categories' and special awards' names in
the visitor's language (falling back to the contest's default language),
for templates that only have the objects."""

from django import template
from django.conf import settings
from django.utils import translation

from contest import selectors
from contest.models import place_label
from contest.role_labels import coordinator_label, role_label
from contest.zoned import zone_city

register = template.Library()


@register.filter
def localized_title(contest) -> str:
    """`contest`'s title in the active language; one query (its translations)
    unless they were prefetched."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return selectors.contest_content(contest=contest, language=language).title


@register.filter
def award_name(award) -> str:
    """A `SpecialAward`'s name in the active language (falling back to its
    name in the contest's default language); no query."""
    return award.name_in(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def category_name(category) -> str:
    """An `AgeCategory`'s name in the active language (falling back to its
    name in the contest's default language); no query."""
    return category.name_in(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def place_name(place) -> str:
    """A place (1, 2, 3, 4…) in words in the active language; "" for none."""
    return place_label(int(place)) if place else ""


@register.filter
def special_awards_of(awards, ids) -> list:
    """The special awards among `awards` whose ids are in `ids`, in the
    awards' order (for a results card; no query)."""
    wanted = set(ids or ())
    return [award for award in awards if award.pk in wanted]


@register.filter
def award_translations(award) -> list[tuple[str, str]]:
    """[(language name, the award's name in it)] for the languages its
    organizers named it in besides the default one, in the site's order."""
    return [(str(name), award.names[code]) for code, name in settings.LANGUAGES if (award.names or {}).get(code)]


@register.filter
def award_names(awards) -> str:
    """Special awards' names in the active language, joined by commas."""
    return ", ".join(award_name(award) for award in awards)


@register.filter
def city_time_zone(name) -> str:
    """A contest's time zone as families read it: its city in the active
    language (`contest.zoned.zone_city`)."""
    return zone_city(name)


@register.filter(name="role_label")
def role_label_filter(role, contest) -> str:
    """`{{ held.role|role_label:contest }}`: the role's name in that contest
    (a national round's organizer reads "Coordinator of the national
    round: …", `contest.role_labels`)."""
    return role_label(role=role, contest=contest)


@register.filter(name="coordinator_label")
def coordinator_label_filter(country) -> str:
    """`{{ contest.country|coordinator_label }}`: "Coordinator of the national round: <country>"."""
    return coordinator_label(country=country)
