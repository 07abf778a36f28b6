from django.urls import path

from . import views

app_name = "contest"
urlpatterns = [
    path("", views.home, name="home"),
    path("contests/<slug:slug>/", views.contest_detail, name="contest_detail"),
    path("contests/<slug:slug>/submit/", views.entry_submit, name="entry_submit"),
    path("contests/<slug:slug>/uploads/", views.upload_create, name="upload_create"),
    path("contests/<slug:slug>/uploads/<str:upload_id>/", views.upload_chunk, name="upload_chunk"),
    path("contests/<slug:slug>/receipt/", views.entry_receipt, name="entry_receipt"),
    path("contests/<slug:slug>/winners/", views.gallery, name="gallery"),
    path("entries/<uuid:public_id>/", views.entry_detail, name="entry_detail"),
    path("images/<uuid:public_id>/<slug:kind>.<slug:fmt>", views.rendition_serve, name="rendition"),
]
