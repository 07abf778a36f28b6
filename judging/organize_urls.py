"""The organizers' workspace under `/organize/` (included by `config.urls`)."""

from django.urls import path

from .views import organize_home

app_name = "organize"
urlpatterns = [
    path("", organize_home, name="home"),
]
