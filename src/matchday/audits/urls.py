from django.urls import path

from matchday.audits import views

app_name = "audits"
urlpatterns = [path("", views.audit_list, name="list")]
