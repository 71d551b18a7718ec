from django.urls import path

from equisante.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/etat/", views.job_status, name="status"),
    path("<int:pk>/fichier/", views.job_file, name="file"),
    path("rapport/", views.report_start, name="report"),
    path("importer/", views.import_page, name="import"),
    path("importer/modele/<str:fmt>/", views.import_template, name="import_template"),
    path("importer/traces/<int:pk>/", views.import_trace, name="import_trace"),
    path("suggestions/<str:code>/", views.suggestions_start, name="suggestions"),
    path("indices/", views.indices_start, name="indices"),
    path("demonstration/", views.demo_start, name="demo"),
]
