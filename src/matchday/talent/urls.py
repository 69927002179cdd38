from django.urls import path

from matchday.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("vetting/", views.vetting_queue, name="vetting_queue"),
]
