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
    path("contests/<slug:slug>/receipt/resend/", views.entry_receipt_resend, name="entry_receipt_resend"),
    path("contests/<slug:slug>/winners/", views.gallery, name="gallery"),
    path("entries/<uuid:public_id>/", views.entry_detail, name="entry_detail"),
    path("images/<uuid:public_id>/<slug:kind>.<slug:fmt>", views.rendition_serve, name="rendition"),
    path("guardian/confirm/<str:token>/", views.guardian_confirm, name="guardian_confirm"),
    path("guardian/entry/<str:token>/", views.guardian_entry, name="guardian_entry"),
    path("guardian/entry/<str:token>/publication/", views.guardian_publication, name="guardian_publication"),
    path("guardian/entry/<str:token>/withdraw/", views.guardian_withdraw, name="guardian_withdraw"),
    path("guardian/entry/<str:token>/data.zip", views.guardian_export, name="guardian_export"),
    path("guardian/link/", views.guardian_link_request, name="guardian_link_request"),
    path("organize/<slug:slug>/moderation/", views.moderation_queue, name="moderation"),
    path("organize/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("organize/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
]
