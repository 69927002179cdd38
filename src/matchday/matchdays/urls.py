from django.urls import path

from matchday.matchdays import views

app_name = "matchdays"
urlpatterns = [
    path("", views.matchday_list, name="list"),
    path("new/", views.matchday_create, name="create"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/new/", views.schedule_create, name="schedule_create"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule"),
    path("schedules/<int:pk>/<slug:action>/", views.schedule_action, name="schedule_action"),
    path("<int:pk>/", views.matchday_detail, name="detail"),
    path("<int:pk>/live/", views.matchday_live, name="live"),
    path("<int:pk>/reschedule/", views.matchday_reschedule, name="reschedule"),
    path("<int:pk>/run/", views.run_start, name="run_start"),
    path("<int:pk>/stop/", views.matchday_stop, name="stop"),
    path("<int:pk>/open-interest/", views.open_interest, name="open_interest"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/review/bulk/", views.bulk, name="bulk"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/cancel/", views.run_cancel, name="run_cancel"),
    path("runs/<int:pk>/input/", views.run_input, name="run_input"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("runs/<int:pk>/output/", views.run_output, name="run_output"),
    path("runs/<int:pk>/taxonomy/", views.run_taxonomy, name="run_taxonomy"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="approve"),
    path("proposals/<int:pk>/undo/", views.proposal_undo, name="undo"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="reject"),
    path("proposals/<int:pk>/swap/", views.proposal_swap, name="swap"),
    path("candidates/<int:candidate_id>/blind/", views.blind_preview, name="blind_preview"),
    path("candidates/<int:candidate_id>/blind/terms/", views.blind_term_add, name="blind_term_add"),
    path("blind-terms/<int:pk>/remove/", views.blind_term_remove, name="blind_term_remove"),
    path("shortlists/", views.shortlist_list, name="shortlists"),
    path("shortlists/roles/<int:pk>/", views.shortlist_role, name="shortlist"),
    path("shortlists/proposals/<int:pk>/interest/", views.interest_express, name="interest"),
    path("shortlists/proposals/<int:pk>/pass/", views.interest_pass, name="pass"),
]
