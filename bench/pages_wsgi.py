"""The portal's WSGI application for bench/bench_pages.py, with one more
address: /bench/bare/, a bare Django view ("ok") behind the same
middleware, the floor every page is measured against."""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
