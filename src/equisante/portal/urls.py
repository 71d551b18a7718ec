from django.urls import path

from equisante.portal import views
from equisante.portal.import_templates import download_template

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("recherche/", views.search, name="search"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("contact/", views.contact, name="contact"),
    path("health/", views.health, name="health"),
    path("modeles/<slug:key>.<str:fmt>", download_template, name="import_template"),
]
