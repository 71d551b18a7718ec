from django.urls import path

from equisante.allocation import views

app_name = "allocation"

urlpatterns = [
    path("", views.index, name="index"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("subventions/", views.grants, name="grants"),
]
