from django.urls import path

from matchday.companies import views

app_name = "companies"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("vetting/", views.vetting_queue, name="vetting_queue"),
]
