from django.urls import path

from matchday.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.fit_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/", views.fit_detail, name="fit"),
    path("<int:pk>/adopt/", views.adopt, name="adopt"),
]
