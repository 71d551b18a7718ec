from django.urls import path

from equisante.followup.views import actions, reviews, schemes, sheets

app_name = "followup"

urlpatterns = [
    path("contrats/<str:code>/fiches/<str:sheet_code>/suivi/", sheets.sheet_followup, name="sheet"),
    path("contrats/<str:code>/suivi/importer/", sheets.import_page, name="import"),
    path("contrats/<str:code>/bilan/", reviews.review_list, name="reviews"),
    path("contrats/<str:code>/bilan/<int:year>/", reviews.review_page, name="review"),
    path("bilans/", reviews.rollup, name="rollup"),
    path("actions/", actions.action_list, name="actions"),
    path("actions/<str:code>/<str:sheet_code>/", actions.action_detail, name="action"),
    path("dispositifs/", schemes.scheme_list, name="schemes"),
]
