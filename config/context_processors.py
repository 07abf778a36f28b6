"""Values every page's template needs."""

from django.conf import settings


def contact(request):
    """The organizers' address for the help link in every page's footer."""
    return {"CONTACT_EMAIL": settings.CONTACT_EMAIL}
