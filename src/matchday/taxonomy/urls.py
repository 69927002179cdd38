from django.urls import path

from matchday.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("unmapped/", views.unmapped, name="unmapped"),
    path("unmapped/map/", views.unmapped_map, name="unmapped_map"),
]
