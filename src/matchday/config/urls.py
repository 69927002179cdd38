from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("matchday.core.urls")),
    path("accounts/", include("matchday.accounts.urls")),
    path("profile/", include("matchday.talent.urls")),
    path("companies/", include("matchday.companies.urls")),
    path("skills/", include("matchday.taxonomy.urls")),
    path("audit/", include("matchday.audits.urls")),
    path("admin/", admin.site.urls),
]
