"""The organizers' workspace under `/organize/` (included by `config.urls`):
the home, a new contest and a contest's settings in steps (contest's pages
come from `contest.setup_urls`, by name; judging's are `judging.views.setup`;
the steps' order is `config.navigation.SETUP_STEPS`)."""

from django.urls import include, path

from .views import organize_home
from .views import setup as judging_setup

app_name = "organize"
urlpatterns = [
    path("", organize_home, name="home"),
    path("", include("contest.setup_urls")),
    path("<slug:slug>/settings/rubric/", judging_setup.settings_rubric, name="settings_rubric"),
    path("<slug:slug>/settings/judges/", judging_setup.settings_judges, name="settings_judges"),
]
