from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from matchday.api.api import api
from matchday.companies.views import signup_company
from matchday.talent.views import signup_candidate

urlpatterns = [
    path("", include("matchday.core.urls")),
    path("", include("matchday.ops.urls")),
    path("accounts/", include("matchday.accounts.urls")),
    # Each persona's sign-up belongs to the app that owns what it creates.
    path("accounts/signup/candidate/", signup_candidate, name="signup_candidate"),
    path("accounts/signup/company/", signup_company, name="signup_company"),
    # One sign-up per persona: allauth's generic sign-up page leads to the candidate's.
    path(
        "accounts/signup/",
        RedirectView.as_view(pattern_name="signup_candidate"),
        name="account_signup",
    ),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("matchday.talent.urls")),
    path("", include("matchday.imports.urls")),
    path("companies/", include("matchday.companies.urls")),
    path("skills/", include("matchday.taxonomy.urls")),
    path("audit/", include("matchday.audits.urls")),
    path("matchdays/", include("matchday.matchdays.urls")),
    path("", include("matchday.followup.urls")),
    path("weights/", include("matchday.learning.urls")),
    path("messages/", include("matchday.notifications.urls")),
    path("inbox/", include("matchday.notifications.inbox_urls")),
    path("api/v1/", api.urls),
    path("settings/", include("matchday.api.urls")),
    path("admin/", admin.site.urls),
]

handler429 = "matchday.core.views.too_many_requests"
handler500 = "matchday.api.errors.server_error"
