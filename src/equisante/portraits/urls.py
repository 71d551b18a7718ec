from django.urls import path

from equisante.portraits import views

app_name = "portraits"

urlpatterns = [
    path("", views.portrait_index, name="index"),
    path("contrat/<str:code>/", views.contract_portrait, name="contract"),
    path("<str:code>/", views.portrait_detail, name="detail"),
]
