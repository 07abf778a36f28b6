"""The portal's URLs plus one view that fails, for the 500 page's tests."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("a view that fails")


urlpatterns = [*portal_urlpatterns, path("broken/", broken_view)]
