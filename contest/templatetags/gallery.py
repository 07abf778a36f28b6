"""Template tags of the public gallery (the work is in `contest.pictures`)."""

from django import template

from contest import gallery_cards, pictures

register = template.Library()


@register.simple_tag(takes_context=True)
def gallery_card(context, entry):
    """One winner's card (`gallery_cards.gallery_card_html`); eager loading
    for the entries in the context's `eager_ids`."""
    return gallery_cards.gallery_card_html(entry, eager=entry.pk in context.get("eager_ids", ()))


@register.simple_tag
def award_badges(entry):
    """The place and special awards of `entry` as badges (`gallery_cards.award_badges_html`)."""
    return gallery_cards.award_badges_html(entry)


@register.simple_tag
def picture_alt(entry):
    """The alt text of an entry's picture: title and the child's description."""
    return pictures.picture_alt(entry)


@register.simple_tag
def placeholder_style(entry, width, height):
    """The style attribute value that paints the placeholder ("" if none)."""
    return pictures.placeholder_style(entry, width=width, height=height)


@register.simple_tag
def aspect_ratio(width, height):
    """width / height as a CSS number, for the `--ar` of a picture's box."""
    return pictures.aspect_ratio(width, height)
