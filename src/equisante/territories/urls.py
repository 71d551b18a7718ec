from django.urls import path

from equisante.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<str:level>/<str:code>/", views.territory_detail, name="detail"),
]
