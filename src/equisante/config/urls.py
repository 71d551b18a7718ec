"""URL map: one include per application area."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("equisante.portal.urls")),
    path("territoires/", include("equisante.territories.urls")),
    path("indicateurs/", include("equisante.indicators.urls")),
    path("contrats/", include("equisante.contracts.urls")),
    path("priorisation/", include("equisante.prioritisation.urls")),
    path("portraits/", include("equisante.portraits.urls")),
    path("profils/", include("equisante.profiles.urls")),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
