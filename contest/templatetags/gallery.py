"""Template tags of the public gallery (the work is in `contest.pictures`)."""

from django import template

from contest import pictures

register = template.Library()


@register.inclusion_tag("contest/_gallery_card.html", takes_context=True)
def gallery_card(context, entry):
    """One winner's card: a link to the entry page with a responsive
    picture; the data the lightbox script reads sit on the link."""
    return {
        "entry": entry,
        "picture": pictures.card_picture(entry, eager=entry.pk in context.get("eager_ids", ())),
        "lightbox": pictures.lightbox_image(entry),
    }


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
