"""URLs of the API area: ``/api/`` (operations, OpenAPI description, documentation), ``/compte/``
(personal tokens) and ``/donnees/`` (open-data catalogue), included from the project's URL map."""

from django.urls import path, re_path

from equisante.api import opendata, views
from equisante.api.main import api

api_patterns = [
    path("docs", views.docs, name="api_docs"),
    path("", api.urls),
]

account_patterns = [path("", views.account, name="api_tokens")]

opendata_patterns = ([
    path("", opendata.catalogue, name="catalogue"),
    path("catalogue.json", opendata.dcat, name="dcat"),
    path("<slug:code>/", opendata.dataset_page, name="dataset"),
    re_path(r"^(?P<code>[-a-z0-9_]+)/donnees\.(?P<fmt>csv|xlsx|geojson|parquet)$", opendata.download, name="file"),
], "opendata")
