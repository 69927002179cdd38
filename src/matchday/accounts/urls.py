from allauth.account import views as allauth_views
from django.urls import path

from matchday.accounts import views

app_name = "accounts"
urlpatterns = [
    # allauth's views under our names (allauth's own names resolve to the same paths).
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("timezone/", views.timezone_settings, name="timezone"),
]
