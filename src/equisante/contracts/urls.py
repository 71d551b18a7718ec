from django.urls import path

from equisante.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("grille/", views.grid_page, name="grid"),
    path("importer/", views.import_page, name="import"),
    path("export/", views.export_sheets, name="export"),
    path("<str:code>/", views.contract_detail, name="detail"),
    path("<str:code>/fiches/nouvelle/", views.sheet_create, name="sheet_create"),
    path("<str:code>/fiches/<str:sheet_code>/", views.sheet_detail, name="sheet"),
    path("<str:code>/fiches/<str:sheet_code>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("<str:code>/fiches/<str:sheet_code>/codage/", views.sheet_coding, name="sheet_coding"),
]
