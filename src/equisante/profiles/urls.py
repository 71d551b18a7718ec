from django.urls import path

from equisante.profiles import views

app_name = "profiles"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:code>/", views.profile, name="profile"),
]
