from allauth.account import views as allauth_views
from django.urls import path

from matchday.accounts import views

app_name = "accounts"
urlpatterns = [
    # allauth's views under our names (allauth's own names resolve to the same paths).
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/candidate/", views.signup_candidate, name="signup_candidate"),
    path("signup/company/", views.signup_company, name="signup_company"),
]
