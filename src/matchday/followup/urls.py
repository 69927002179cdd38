from django.urls import path

from matchday.followup import views

app_name = "followup"
urlpatterns = [
    # candidate
    path("me/matchday/", views.my_matchday, name="my_matchday"),
    path("me/intros/<int:pk>/accept/", views.intro_accept, name="intro_accept"),
    path("me/intros/<int:pk>/decline/", views.intro_decline, name="intro_decline"),
    path("me/intros/<int:pk>/withdraw/", views.intro_withdraw, name="intro_withdraw"),
    path("me/offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("me/offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("me/steps/<int:step_id>/invite.ics", views.candidate_invite, name="candidate_invite"),
    path("me/controls/", views.controls, name="controls"),
    path("me/controls/unhide/<int:company_id>/", views.unhide, name="unhide"),
    path("me/controls/pause/", views.pause, name="pause"),
    path("me/demographics/", views.demographics, name="demographics"),
    # company
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/<int:pk>/", views.pipeline_intro, name="pipeline_intro"),
    path("pipeline/<int:pk>/close/", views.pipeline_close, name="pipeline_close"),
    path("pipeline/steps/<int:step_id>/schedule/", views.step_schedule, name="step_schedule"),
    path("pipeline/steps/<int:step_id>/update/", views.step_update, name="step_update"),
    path("pipeline/steps/<int:step_id>/offer/", views.offer_make, name="offer_make"),
    path("pipeline/steps/<int:step_id>/complete/", views.step_complete, name="step_complete"),
    path("pipeline/steps/<int:step_id>/invite.ics", views.company_invite, name="company_invite"),
    # partner
    path("reports/", views.report_list, name="report_list"),
    path("reports/matchdays/<int:pk>/", views.report, name="report"),
    path("reports/matchdays/<int:pk>/release/", views.release, name="release"),
    path("oversight/", views.oversight, name="oversight"),
    path("oversight/intros/<int:pk>/", views.oversight_intro, name="oversight_intro"),
    path("oversight/intros/<int:pk>/close/", views.oversight_close, name="oversight_close"),
    path("oversight/steps/<int:step_id>/nudge/", views.oversight_nudge, name="oversight_nudge"),
    path(
        "oversight/steps/<int:step_id>/reassign/",
        views.oversight_reassign,
        name="oversight_reassign",
    ),
]
