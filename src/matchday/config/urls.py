from django.contrib import admin
from django.urls import include, path

from matchday.api.api import api

urlpatterns = [
    path("", include("matchday.core.urls")),
    path("accounts/", include("matchday.accounts.urls")),
    path("profile/", include("matchday.talent.urls")),
    path("", include("matchday.imports.urls")),
    path("companies/", include("matchday.companies.urls")),
    path("skills/", include("matchday.taxonomy.urls")),
    path("audit/", include("matchday.audits.urls")),
    path("matchdays/", include("matchday.matchdays.urls")),
    path("", include("matchday.followup.urls")),
    path("messages/", include("matchday.notifications.urls")),
    path("api/v1/", api.urls),
    path("settings/", include("matchday.api.urls")),
    path("admin/", admin.site.urls),
]
