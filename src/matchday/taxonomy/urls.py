from django.urls import path

from matchday.taxonomy import views

app_name = "taxonomy"
urlpatterns = [path("autocomplete/", views.autocomplete, name="autocomplete")]
