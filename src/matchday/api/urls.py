from django.urls import path

from matchday.api import views

app_name = "apikeys"
urlpatterns = [
    path("api-keys/", views.api_keys, name="list"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke, name="revoke"),
]
