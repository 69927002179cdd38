from django.urls import path

from matchday.talent import views

app_name = "talent"
urlpatterns = [
    # The candidate's own profile.
    path("", views.profile, name="profile"),
    path("section/<slug:section>/", views.profile_section, name="section"),
    path("skills/", views.skill_add, name="skill_add"),
    path("skills/<str:skill_id>/", views.skill_update, name="skill_update"),
    path("skills/<str:skill_id>/remove/", views.skill_remove, name="skill_remove"),
    path("achievements/", views.achievement_add, name="achievement_add"),
    path("achievements/<int:pk>/", views.achievement_update, name="achievement_update"),
    path("achievements/<int:pk>/delete/", views.achievement_delete, name="achievement_delete"),
    path("jobs/", views.experience_add, name="experience_add"),
    path("jobs/<int:pk>/", views.experience_update, name="experience_update"),
    path("jobs/<int:pk>/delete/", views.experience_delete, name="experience_delete"),
    path("education/", views.education_add, name="education_add"),
    path("education/<int:pk>/", views.education_update, name="education_update"),
    path("education/<int:pk>/delete/", views.education_delete, name="education_delete"),
    path("links/", views.link_add, name="link_add"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("submit/", views.submit, name="submit"),
    path("activate/", views.activate, name="activate"),
    path("pause/", views.pause, name="pause"),
    # Talent partners.
    path("vetting/", views.vetting_queue, name="vetting_queue"),
    path("candidates/", views.candidate_search, name="candidate_search"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/vet/", views.candidate_vet, name="candidate_vet"),
    path("candidates/<int:pk>/notes/", views.note_add, name="note_add"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
]
