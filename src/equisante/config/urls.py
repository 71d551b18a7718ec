"""URL map: one include per application area."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from equisante.api import urls as api_urls

urlpatterns = [
    path("", include("equisante.portal.urls")),
    path("territoires/", include("equisante.territories.urls")),
    path("indicateurs/", include("equisante.indicators.urls")),
    path("contrats/", include("equisante.contracts.urls")),
    path("priorisation/", include("equisante.prioritisation.urls")),
    path("portraits/", include("equisante.portraits.urls")),
    path("profils/", include("equisante.profiles.urls")),
    path("travaux/", include("equisante.jobs.urls")),
    path("appels/", include("equisante.calls.urls")),
    path("allocation/", include("equisante.allocation.urls")),
    path("api/", include(api_urls.api_patterns)),
    path("donnees/", include(api_urls.opendata_patterns)),
    path("compte/jetons/", include(api_urls.account_patterns)),
    path("compte/", include("equisante.accounts.urls")),
    path("", include("equisante.followup.urls")),
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# French error pages in the site's layout (equisante.portal.errors).
handler400 = "equisante.portal.errors.bad_request"
handler403 = "equisante.portal.errors.permission_denied"
handler404 = "equisante.portal.errors.page_not_found"
handler500 = "equisante.portal.errors.server_error"
