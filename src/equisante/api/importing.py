"""``equisante import indicators --from URL``: pull indicator values from another equisante instance's
API and import them with the catalogue, through the usual importer (all or nothing)."""

from __future__ import annotations

import io

import pandas as pd

from equisante.api.client import RemoteApi
from equisante.errors import EquisanteError
from equisante.indicators.importing import ImportReport, import_values
from equisante.indicators.reading import LONG_COLUMNS


def import_from_api(url: str, *, indicators=(), level: str | None = None, period: str | None = None,
                    token: str | None = None, vintage: int | None = None) -> ImportReport:
    remote = RemoteApi(url, token=token)
    catalogue = pd.read_csv(io.BytesIO(remote.table("/api/indicateurs")), dtype=str, keep_default_na=False)
    wanted = list(indicators) or list(catalogue["code"])
    unknown = sorted(set(wanted) - set(catalogue["code"]))
    if unknown:
        raise EquisanteError("api_remote_unreachable", url=remote.base,
                             reason=f"{'indicateur absent' if len(unknown) < 2 else 'indicateurs absents'} "
                                    f"du catalogue distant : {', '.join(unknown)}")
    catalogue = catalogue[catalogue["code"].isin(wanted)]
    frames = []
    for code in wanted:
        body = remote.table(f"/api/indicateurs/{code}/valeurs", level=level, period=period)
        frames.append(pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False))
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LONG_COLUMNS)
    # the import format's columns only (the published tables add why a value is withheld)
    values = values[[c for c in LONG_COLUMNS if c in values.columns]]
    return import_values(values.to_csv(index=False).encode("utf-8"),
                         catalogue=catalogue.to_csv(index=False).encode("utf-8"), vintage=vintage,
                         name=f"{remote.base}/api")
