"""The organizers' workspace under `/organize/` (included by `config.urls`):
the home, a new contest and a contest's settings in steps (contest's pages
in `contest.views.setup`, judging's in `judging.views.setup`; the steps'
order is `config.navigation.SETUP_STEPS`)."""

from django.urls import path

from contest.views import setup as contest_setup

from .views import organize_home
from .views import setup as judging_setup

app_name = "organize"
urlpatterns = [
    path("", organize_home, name="home"),
    path("contests/new/", contest_setup.contest_new, name="contest_new"),
    path("<slug:slug>/settings/", contest_setup.contest_settings, name="settings"),
    path("<slug:slug>/settings/basics/", contest_setup.settings_basics, name="settings_basics"),
    path("<slug:slug>/settings/ages/", contest_setup.settings_ages, name="settings_ages"),
    path("<slug:slug>/settings/rubric/", judging_setup.settings_rubric, name="settings_rubric"),
    path("<slug:slug>/settings/texts/", contest_setup.settings_texts, name="settings_texts"),
    path("<slug:slug>/settings/texts/<str:language>/", contest_setup.settings_texts, name="settings_texts_language"),
    path("<slug:slug>/settings/uploads/", contest_setup.settings_uploads, name="settings_uploads"),
    path("<slug:slug>/settings/judges/", judging_setup.settings_judges, name="settings_judges"),
]
