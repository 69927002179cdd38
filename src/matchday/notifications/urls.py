from django.urls import path

from matchday.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("failed/", views.message_failed, name="failed"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("<int:pk>/resend/", views.message_resend, name="resend"),
]
