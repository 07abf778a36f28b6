"""The organizers' export URLs, under `/organize/` (see `config/urls.py`)."""

from django.urls import path

from ..views import exports as views

app_name = "exports"
urlpatterns = [
    path("<slug:slug>/exports/", views.exports, name="exports"),
    path("<slug:slug>/exports/status.json", views.export_status, name="status"),
    path("<slug:slug>/exports/<int:export_id>/download/", views.export_download, name="download"),
]
