from django.urls import include, path

from . import views

app_name = "judging"
# The judges' pages and the organizers' judging pages, under /judging/.
judging_urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.entry_list, name="entry_list"),
    # Entries are named by the judge's own token (`selectors.entry_token`),
    # never by their public id: judges cannot compare notes by URL.
    path("<slug:slug>/entries/<slug:entry_token>/", views.entry_score, name="entry_score"),
    path("<slug:slug>/entries/<slug:entry_token>/abstain/", views.entry_abstain, name="entry_abstain"),
    path("<slug:slug>/entries/<slug:entry_token>/flag/", views.entry_flag, name="entry_flag"),
    path("<slug:slug>/images/<slug:entry_token>/<slug:kind>.<slug:fmt>", views.entry_image, name="entry_image"),
    path("<slug:slug>/calibration/", views.calibration, name="calibration"),
    # Before the token pattern, which "report" would match too.
    path("<slug:slug>/calibration/report/", views.calibration_report, name="calibration_report"),
    path("<slug:slug>/calibration/<slug:entry_token>/", views.calibration_score, name="calibration_score"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/publish/", views.results_publish, name="results_publish"),
    path("<slug:slug>/results/awards/", views.results_awards, name="results_awards"),
    path("<slug:slug>/results/promote/", views.results_promote, name="results_promote"),
    path("<slug:slug>/results/special-awards/", views.special_award_create, name="special_award_create"),
    path(
        "<slug:slug>/results/special-awards/<int:award_id>/delete/", views.special_award_delete,
        name="special_award_delete",
    ),
    # The score sheets are a worker-made export now: this leads there.
    path("<slug:slug>/results/scores.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/panel/", views.panel, name="panel"),
    path("<slug:slug>/rounds/", views.rounds, name="rounds"),
    path("<slug:slug>/audit/", views.audit, name="audit"),
]

urlpatterns = [
    path("judging/", include(judging_urlpatterns)),
    # Judging's pages in the organizers' workspace, beside contest's
    # /organize/<slug>/moderation/ and the rest.
    path("organize/<slug:slug>/judges/", views.judges, name="judges"),
    # A judge's invitation link (set a password, join the panel).
    path("accounts/invitation/<str:uidb64>/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
