from django.urls import path

from equisante.calls import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("nouveau/", views.call_edit, name="create"),
    path("<slug:code>/", views.call_detail, name="detail"),
    path("<slug:code>/modifier/", views.call_edit, name="edit"),
    path("<slug:code>/etat/", views.call_transition, name="transition"),
    path("<slug:code>/historique/", views.call_history, name="history"),
    path("<slug:code>/candidater/", views.apply, name="apply"),
    path("<slug:code>/importer/", views.import_view, name="import"),
    path("<slug:code>/instructeurs/", views.reviewers, name="reviewers"),
    path("<slug:code>/selection/", views.selection, name="selection"),
    path("<slug:code>/statistiques/", views.statistics, name="statistics"),
    path("<slug:code>/candidatures/<str:reference>/", views.application_detail, name="application"),
    path("<slug:code>/candidatures/<str:reference>/notification.pdf", views.letter, name="letter"),
]
