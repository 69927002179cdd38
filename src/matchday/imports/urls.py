from django.urls import path

from matchday.imports import views

app_name = "imports"
urlpatterns = [
    # A candidate's import and export.
    path("profile/import/", views.upload, name="upload"),
    path("profile/import/json-resume/", views.upload_json, name="upload_json"),
    path("profile/import/review/", views.review, name="review"),
    path("profile/import/discard/", views.discard, name="discard"),
    path("profile/export/json-resume/", views.export_jsonresume, name="export_jsonresume"),
    # Data rights.
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.my_data_export, name="my_data_export"),
    path("my-data/delete/", views.account_delete, name="account_delete"),
    # Public role pages, and the company's switch for them.
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/public/", views.role_public_toggle, name="role_public"),
]
