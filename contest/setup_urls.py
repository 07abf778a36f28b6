"""Contest's steps of a contest's setup, included by
`judging.organize_urls` into the organizers' workspace (`/organize/`, the
"organize" namespace) by name, so that judging's URL conf imports none of
contest's views. Judging's own steps (rubric, judges) sit beside them there;
the steps' order is `config.navigation.SETUP_STEPS`."""

from django.urls import path

from .views import setup

urlpatterns = [
    path("contests/new/", setup.contest_new, name="contest_new"),
    path("<slug:slug>/settings/", setup.contest_settings, name="settings"),
    path("<slug:slug>/settings/basics/", setup.settings_basics, name="settings_basics"),
    path("<slug:slug>/settings/ages/", setup.settings_ages, name="settings_ages"),
    path("<slug:slug>/settings/texts/", setup.settings_texts, name="settings_texts"),
    path("<slug:slug>/settings/texts/<str:language>/", setup.settings_texts, name="settings_texts_language"),
    path("<slug:slug>/settings/uploads/", setup.settings_uploads, name="settings_uploads"),
    path("<slug:slug>/settings/rounds/", setup.settings_rounds, name="settings_rounds"),
]
