from django.urls import path

from matchday.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export.csv", views.audit_export_csv, name="export_csv"),
]
