"""The portal's WSGI application for bench/bench_pages.py, with two more
addresses behind the same middleware: /bench/bare/, a bare Django view
("ok"), the floor every page is measured against; and
/bench/reference-gallery/<slug>/, the reference gallery: the same winners
written the plain Django way (one ORM query with the renditions and age
categories prefetched, one template looping over the entries with `{% url %}`
per picture: bench/templates/reference_gallery.html), no page cache."""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
settings.TEMPLATES[0]["DIRS"] = [*settings.TEMPLATES[0]["DIRS"], os.path.join(os.path.dirname(__file__), "templates")]
django.setup()

from contest.models import Contest, Entry  # noqa: E402  (after setup)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def reference_gallery(request, slug):
    contest = get_object_or_404(Contest, slug=slug)
    entries = (
        Entry.objects.published_winners(contest=contest)
        .select_related("age_category")
        .prefetch_related("renditions")
        .order_by("age_category__min_age", "award", "id")
    )
    return render(request, "reference_gallery.html", {"contest": contest, "entries": entries})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/reference-gallery/<slug:slug>/", reference_gallery),
    path("", include("config.urls")),
]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
