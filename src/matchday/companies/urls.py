from django.urls import path

from matchday.companies import views

app_name = "companies"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/vet/", views.vet, name="vet"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/new/", views.role_new, name="role_new"),
    path("roles/<int:pk>/", views.role_detail, name="role_detail"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/open/", views.role_open, name="role_open"),
    path("roles/<int:pk>/close/", views.role_close, name="role_close"),
    path("vetting/", views.vetting_queue, name="vetting_queue"),
]
