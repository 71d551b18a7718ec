"""From the database to a laid-out profile: which contracts, which sheets, which facts, and the
report over them (application layer).

- :func:`profile_presentation`: the ISTS profile of one contract, compared with the other contracts
  of its département and with all the contracts of the comparison set (the region, as far as the
  person may see it);
- :func:`overview_presentation`: the regional overview over a selection of contracts;
- :func:`territory_context`: the composite indices of the territories of a contract's perimeter,
  when the prioritisation area is installed.

The sheets come from :func:`equisante.contracts.selection.action_sheets`, the contract facts from
:func:`equisante.contracts.selection.contract_facts`; every table is computed by
:func:`equisante.portfolio.portfolio_report`.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from equisante.actionsheets.model import GENERATIONS
from equisante.charts.numbers import format_number
from equisante.contracts.models import ActionSheet, Contract
from equisante.contracts.selection import action_sheets, contract_facts
from equisante.errors import EquisanteError
from equisante.numbers import plural
from equisante.portfolio import PortfolioReport, portfolio_report
from equisante.portfolio.comparison import CONTRACT_ROW, DEPARTEMENT_ROW, REGION_ROW
from equisante.profiles.presentation import Presentation, count_text, present

#: The module answering « which indices does this territory have? » (prioritisation area).
INDICES_MODULE = "equisante.prioritisation.results"
#: Perimeter levels whose indices give the context of a contract.
CONTEXT_LEVELS = ("commune", "epci", "qpv", "iris")


def sheet_url(contract: str, code: str) -> str:
    return reverse("contracts:sheet", args=[contract, code])


def profile_url(code: str) -> str:
    return reverse("profiles:profile", args=[code])


# --- what the database says about a selection ---------------------------------------------------------

def sheet_figures(contracts: QuerySet) -> dict:
    """Sheets of ``contracts``: how many, how many coded, how many with a validated coding, and the
    last time a sheet or a contract changed."""
    sheets = list(ActionSheet.objects.filter(contract__in=contracts)
                  .values_list("determinants", "strategies", "approach", "themes", "coding_validated_at"))
    coded = sum(1 for d, s, a, t, _v in sheets if d or s or a or t)
    updated = [ActionSheet.objects.filter(contract__in=contracts).aggregate(last=Max("updated_at"))["last"],
               contracts.aggregate(last=Max("updated_at"))["last"]]
    updated = [u for u in updated if u is not None]
    return {"n": len(sheets), "coded": coded, "validated": sum(1 for *_x, v in sheets if v is not None),
            "updated": max(updated) if updated else None}


def _counted(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 contrat », « 0 fiche-action », « 1 234 contrats »: the count written as in the tables."""
    return plural(count, singular, plural_form, number=count_text(count))


def sheets_line(figures: dict) -> str:
    return _("%(sheets)s : %(coded)s sur la grille, dont %(validated)s ; les fiches non codées comptent dans les "
             "effectifs (elles ne relèvent d'aucune thématique, classe ni stratégie).") % {
        "sheets": _counted(figures["n"], "fiche-action", "fiches-action"),
        "coded": _counted(figures["coded"], "codée"),
        "validated": _counted(figures["validated"], "codage validé", "codages validés")}


def _departement_names(contracts: Iterable[Contract]) -> dict[str, str]:
    return {c.departement.code: c.departement.name for c in contracts if c.departement_id}


def contract_header(contract: Contract) -> dict:
    """What the title block says about a contract."""
    return {
        "code": contract.code,
        "name": contract.name,
        "departement": contract.departement.name if contract.departement_id else "",
        "departement_code": contract.departement.code if contract.departement_id else "",
        "generation": GENERATIONS.get(contract.generation, ""),
        "status": contract.get_status_display(),
        "published": contract.published,
        "fictional": contract.fictional,
        "url": contract.get_absolute_url(),
        "period": (f"{contract.starts_on:%d/%m/%Y} – {contract.ends_on:%d/%m/%Y}" if contract.starts_on and contract.ends_on
                   else ""),
    }


# --- territory context (indices) ------------------------------------------------------------------------

def _indices_function() -> Callable | None:
    try:
        module = importlib.import_module(INDICES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name and INDICES_MODULE.startswith(exc.name):
            return None  # the prioritisation area is not installed: no context, nothing to say
        raise
    return getattr(module, "indices_for", None)


def territory_context(contract: Contract) -> list[dict] | None:
    """The composite indices of the perimeter's territories, one row per territory and index
    (``None`` when the prioritisation area is absent; an empty list when nothing is computed).

    ``value`` keeps the index's own direction (stated in ``direction``); ``class_label`` and
    ``eligible`` come from the index's primary rule."""
    indices_for = _indices_function()
    if indices_for is None:
        return None
    rows = []
    territories = contract.perimeter.filter(level__in=CONTEXT_LEVELS).order_by("level", "name")
    for territory in territories:
        try:
            items = indices_for(territory)
        except EquisanteError:
            continue  # an index that cannot be classified today is left out of the context, not fatal
        for item in items:
            eligible = item.get("eligible")
            rows.append({
                "territory": territory.name, "code": territory.code, "level": territory.level_label,
                "index": item.get("label") or item.get("index"),
                "value": format_number(item.get("value"), 3) or "—",
                "direction": item.get("direction", ""),
                "class_label": item.get("class_label") or "—",
                "rank": (f"{item['rank']} / {item['ranked']}" if item.get("rank") and item.get("ranked") else "—"),
                "eligible": (_("éligible") if eligible is True else _("non éligible") if eligible is False else "—"),
                "period": item.get("period") or "",
                "rule": item.get("rule") or "",
            })
    return rows


# --- comparison ----------------------------------------------------------------------------------------

def comparison_for(contract: Contract, region: PortfolioReport) -> pd.DataFrame:
    """The rows of ``region.comparison`` a profile shows: the contracts of the contract's
    département (itself highlighted), the département's pooled row and the whole set's row."""
    table = region.comparison
    departement = contract.departement.code if contract.departement_id else ""
    keep = ((table["kind"] == CONTRACT_ROW) & ((table["contract"] == contract.code)
                                              | ((table["departement"] == departement) & (departement != ""))))
    keep |= (table["kind"] == DEPARTEMENT_ROW) & (table["contract"] == departement)
    keep |= table["kind"] == REGION_ROW
    out = table[keep].reset_index(drop=True)
    out.attrs = dict(table.attrs)
    return out


# --- the two presentations -----------------------------------------------------------------------------

def profile_title(contract: Contract) -> str:
    """The title of a profile (page, report, PDF metadata): the contract and its département."""
    if contract.departement_id:
        return _("Profil ISTS du contrat %(name)s — département %(departement)s (%(code)s)") % {
            "name": contract.name, "departement": contract.departement.name, "code": contract.departement.code}
    return _("Profil ISTS du contrat %(name)s") % {"name": contract.name}


def _now() -> datetime.datetime:
    return timezone.localtime()


def profile_presentation(contract: Contract, comparable: QuerySet, *, scope: str,
                         generated: datetime.datetime | None = None, links: bool = True) -> Presentation:
    """The ISTS profile of ``contract``; ``comparable``: the contracts it is compared with (its
    own included; those the person may see); ``scope``: French words naming that set."""
    comparable = comparable.select_related("departement")
    contracts = list(comparable)
    if contract.pk not in {c.pk for c in contracts}:
        contracts.append(contract)
        comparable = Contract.objects.filter(pk__in=[c.pk for c in contracts]).select_related("departement")
    sheets = action_sheets(comparable)
    facts = contract_facts(comparable)
    region = portfolio_report(sheets, facts)
    own = portfolio_report([s for s in sheets if s.contract == contract.code],
                           [f for f in facts if f.code == contract.code],
                           title=profile_title(contract))
    own = dataclasses.replace(own, comparison=comparison_for(contract, region))
    figures = sheet_figures(Contract.objects.filter(pk=contract.pk))
    in_departement = sum(1 for c in contracts if c.departement_id and c.departement_id == contract.departement_id)
    header = contract_header(contract)
    selection = [
        _("%(name)s (%(code)s)%(dep)s%(gen)s.") % {
            "name": contract.name, "code": contract.code,
            "dep": (_(", département %(name)s (%(code)s)") % {"name": header["departement"],
                                                                "code": header["departement_code"]}
                    if header["departement"] else ""),
            "gen": f", {header['generation']}" if header["generation"] else ""},
        sheets_line(figures),
        _("Comparaison avec %(scope)s : %(contracts)s, dont %(dep)s dans le même département.") % {
            "scope": scope, "contracts": _counted(len(contracts), "contrat"), "dep": count_text(in_departement)},
        _("Grille d'analyse version %(version)s (annexe 3 du rapport d'évaluation des contrats locaux de santé d'Île-de-France, 2014).") % {"version": own.grid_version},
    ]
    return present(
        own, kind="profile", selection=selection, generated=generated or _now(),
        comparison=own.comparison, highlight=contract.code,
        sheet_url=sheet_url if links else None, profile_url=profile_url if links else None,
        departement_names=_departement_names(contracts), data_updated=figures["updated"], contract=header,
        territory_context=territory_context(contract) or [], fictional=contract.fictional,
    )


def overview_presentation(contracts: QuerySet, *, filters: Sequence[str], scope: str,
                          generated: datetime.datetime | None = None, links: bool = True,
                          title: str | None = None) -> tuple[Presentation, list[dict]]:
    """The overview over ``contracts``: pooled tables, balance, checks over the whole selection and
    the comparison table; also returns one row per contract for the list of contracts."""
    contracts_qs = contracts.select_related("departement").order_by("departement__code", "code")
    items = list(contracts_qs)
    sheets = action_sheets(contracts_qs)
    facts = contract_facts(contracts_qs)
    report = portfolio_report(sheets, facts, title=title or _("Profils ISTS des contrats locaux de santé"))
    figures = sheet_figures(contracts_qs)
    selection = [
        _("Contrats : %(scope)s%(filters)s — %(contracts)s.") % {
            "scope": scope, "filters": (" ; " + " ; ".join(filters)) if filters else "",
            "contracts": _counted(len(items), "contrat")},
        sheets_line(figures),
        _("Grille d'analyse version %(version)s (annexe 3 du rapport d'évaluation des contrats locaux de santé d'Île-de-France, 2014).") % {"version": report.grid_version},
    ]
    presentation = present(
        report, kind="overview", selection=selection, generated=generated or _now(),
        sheet_url=sheet_url if links else None, profile_url=profile_url if links else None,
        departement_names=_departement_names(items), data_updated=figures["updated"],
        fictional=any(c.fictional for c in items),
    )
    by_code = {row["code"]: row for row in presentation.comparison["rows"] if row["kind"] == CONTRACT_ROW}
    listing = []
    for contract in items:
        row = by_code.get(contract.code, {})
        listing.append({**contract_header(contract), "n_text": row.get("n_text", "0"),
                        "statuses": row.get("statuses", []),
                        "profile_url": profile_url(contract.code) if links else None})
    return presentation, listing
