from django.urls import path, register_converter

from equisante.contracts import views
from equisante.contracts.views import actors, editing, governance, recycling

register_converter(governance.KindConverter, "part")

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("grille/", views.grid_page, name="grid"),
    path("importer/", views.import_page, name="import"),
    path("export/", views.export_sheets, name="export"),
    path("nouveau/", editing.contract_create, name="contract_create"),
    path("corbeille/", recycling.trash, name="trash"),
    path("corbeille/restaurer/", recycling.trash_restore, name="trash_restore"),
    path("acteurs/", actors.actor_list, name="actors"),
    path("acteurs/nouveau/", actors.actor_create, name="actor_create"),
    path("acteurs/<int:pk>/modifier/", actors.actor_edit, name="actor_edit"),
    path("<str:code>/", views.contract_detail, name="detail"),
    path("<str:code>/modifier/", editing.contract_edit, name="contract_edit"),
    path("<str:code>/historique/", editing.contract_history, name="history"),
    path("<str:code>/supprimer/", recycling.contract_delete, name="contract_delete"),
    path("<str:code>/<part:kind>/ajouter/", governance.part_create, name="part_create"),
    path("<str:code>/<part:kind>/<int:pk>/modifier/", governance.part_edit, name="part_edit"),
    path("<str:code>/<part:kind>/<int:pk>/supprimer/", governance.part_delete, name="part_delete"),
    path("<str:code>/axes/<int:pk>/deplacer/", governance.axis_move, name="axis_move"),
    path("<str:code>/fiches/nouvelle/", views.sheet_create, name="sheet_create"),
    path("<str:code>/fiches/<str:sheet_code>/", views.sheet_detail, name="sheet"),
    path("<str:code>/fiches/<str:sheet_code>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("<str:code>/fiches/<str:sheet_code>/codage/", views.sheet_coding, name="sheet_coding"),
    path("<str:code>/fiches/<str:sheet_code>/supprimer/", recycling.sheet_delete, name="sheet_delete"),
]
