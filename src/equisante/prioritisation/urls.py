from django.urls import path

from equisante.prioritisation import views

app_name = "prioritisation"

urlpatterns = [
    path("", views.prioritisation, name="index"),
]
