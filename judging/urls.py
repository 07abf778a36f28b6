from django.urls import path

from . import views

app_name = "judging"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.entry_list, name="entry_list"),
    path("<slug:slug>/entries/<uuid:public_id>/", views.entry_score, name="entry_score"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/publish/", views.results_publish, name="results_publish"),
]
