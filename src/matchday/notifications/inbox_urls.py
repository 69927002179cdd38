from django.urls import path

from matchday.notifications import inbox_views as views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("<int:pk>/", views.inbox_item, name="item"),
    path("read-all/", views.inbox_read_all, name="read_all"),
    path("email-settings/", views.email_settings, name="settings"),
]
