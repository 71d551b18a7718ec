from django.urls import path

from equisante.portraits import views

app_name = "portraits"

urlpatterns = [
    path("", views.portrait_index, name="index"),
    path("<str:code>/", views.portrait_detail, name="detail"),
]
