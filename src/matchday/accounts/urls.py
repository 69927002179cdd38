from django.contrib.auth import views as auth_views
from django.urls import path

from matchday.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/candidate/", views.signup_candidate, name="signup_candidate"),
    path("signup/company/", views.signup_company, name="signup_company"),
]
