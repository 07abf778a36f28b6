from django.urls import path

from .views import drawing, guardian, images, organizer, public, submission, team, uploads, votes

app_name = "contest"
urlpatterns = [
    path("", public.home, name="home"),
    path("contests/<slug:slug>/", public.contest_detail, name="contest_detail"),
    path("contests/<slug:slug>/rules/", public.contest_rules, name="contest_rules"),
    path("contests/<slug:slug>/submit/", submission.entry_submit, name="entry_submit"),
    path("contests/<slug:slug>/uploads/", uploads.upload_create, name="upload_create"),
    path("contests/<slug:slug>/uploads/<str:upload_id>/", uploads.upload_chunk, name="upload_chunk"),
    path("contests/<slug:slug>/receipt/", submission.entry_receipt, name="entry_receipt"),
    path("contests/<slug:slug>/receipt/resend/", submission.entry_receipt_resend, name="entry_receipt_resend"),
    path("contests/<slug:slug>/receipt/sheet/", submission.entry_receipt_sheet, name="entry_receipt_sheet"),
    path("contests/<slug:slug>/winners/", public.gallery, name="gallery"),
    path("contests/<slug:slug>/vote/", votes.vote, name="vote"),
    path("votes/confirm/<str:token>/", votes.vote_confirm, name="vote_confirm"),
    path("entries/<uuid:public_id>/", public.entry_detail, name="entry_detail"),
    path("images/<uuid:public_id>/<slug:kind>.<slug:fmt>", images.rendition_serve, name="rendition"),
    path("guardian/confirm/<str:token>/", guardian.guardian_confirm, name="guardian_confirm"),
    path("guardian/entry/<str:token>/", guardian.guardian_entry, name="guardian_entry"),
    path("guardian/entry/<str:token>/edit/", guardian.guardian_edit, name="guardian_edit"),
    path("guardian/entry/<str:token>/drawing/", guardian.guardian_drawing, name="guardian_drawing"),
    path("guardian/entry/<str:token>/sheet/", guardian.guardian_sheet, name="guardian_sheet"),
    path("guardian/entry/<str:token>/publication/", guardian.guardian_publication, name="guardian_publication"),
    path("guardian/entry/<str:token>/withdraw/", guardian.guardian_withdraw, name="guardian_withdraw"),
    path("guardian/entry/<str:token>/data.zip", guardian.guardian_export, name="guardian_export"),
    path("guardian/entry/<str:token>/certificate.pdf", guardian.guardian_certificate, name="guardian_certificate"),
    path("guardian/link/", guardian.guardian_link_request, name="guardian_link_request"),
    path("organize/<slug:slug>/moderation/", organizer.moderation_queue, name="moderation"),
    path("organize/<slug:slug>/moderation/<str:reference>/text/", organizer.entry_text, name="entry_text"),
    path("organize/<slug:slug>/moderation/<str:reference>/drawing/", drawing.entry_drawing, name="entry_drawing"),
    path("organize/<slug:slug>/audit/", organizer.audit_log, name="audit_log"),
    path("organize/<slug:slug>/dashboard/", organizer.dashboard, name="dashboard"),
    path("organize/<slug:slug>/team/", team, name="team"),
    path("organize/<slug:slug>/votes/", votes.votes_report, name="votes_report"),
]
