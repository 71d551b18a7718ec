"""Values as the pages publish them: confidentiality applied, numbers in French, states spelt out.

Every value shown or exported by a page goes through :func:`published` or :func:`published_frame`,
which read the confidentiality decision stored with the value (``Value.withheld``, decided once over
the indicator's whole published cube by :mod:`equisante.indicators.withholding`); the small-count rule
of :mod:`equisante.confidentiality` is applied again on top, as a safety net.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import pandas as pd
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equisante.confidentiality import SUPPRESSED, WITHHELD_FIELDS, publish, publish_frame
from equisante.indicators.reading import LONG_COLUMNS, indicator_kind

#: How each state is named on pages (the same words as the import formats' French aliases).
STATE_NAMES = {
    "ok": gettext_lazy("Valeur disponible"),
    "suppressed": gettext_lazy("Secret statistique"),
    "unstable": gettext_lazy("Valeur fragile"),
    "missing": gettext_lazy("Donnée manquante"),
}
#: Polarity in words: what a higher value means.
POLARITY_NAMES = {
    "favourable": gettext_lazy("plus élevé = mieux"),
    "adverse": gettext_lazy("plus élevé = moins bien"),
    "neutral": gettext_lazy("neutre (contexte)"),
}
#: Why a value is withheld, in words (pages) and as written in exports (column ``secret``).
SUPPRESSION_NAMES = {"primary": gettext_lazy("secret primaire"),
                     "secondary": gettext_lazy("secret secondaire (complémentaire)")}
SUPPRESSION_CODES = {"primary": "primaire", "secondary": "secondaire"}
#: Columns of a published values table: the long import format, then why a value is withheld.
PUBLISHED_COLUMNS = [*LONG_COLUMNS, "secret"]
SEX_NAMES = {"": gettext_lazy("Ensemble"), "F": gettext_lazy("Femmes"), "H": gettext_lazy("Hommes")}
VALUE_FIELDS = ("numerator", "denominator", "value", "lower", "upper", "state")


def threshold() -> int:
    return int(getattr(settings, "EQUISANTE_CONFIDENTIALITY_THRESHOLD", 10))


@lru_cache(maxsize=256)
def kind_of(unit: str) -> str:
    """``proportion``, ``rate``, ``count`` or ``other`` (see :func:`equisante.indicators.reading.indicator_kind`)."""
    return indicator_kind(unit or "")


def is_count(indicator) -> bool:
    return kind_of(indicator.unit) == "count"


# --- numbers in French --------------------------------------------------------------------------------


def decimals_for(value: float, kind: str = "other") -> int:
    """Decimals shown for ``value``: none for counts, one in general, three below 1 (indices, ratios)."""
    if kind == "count":
        return 0
    if abs(value) >= 1 or value == 0:
        return 1
    return 3


def format_number(value: Any, kind: str = "other", decimals: int | None = None) -> str:
    """``value`` in French notation (``1 234,5``), or "" when it is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if decimals is None:
        decimals = decimals_for(value, kind)
    # half away from zero, as published tables round (Python's round() goes to even, Django truncates)
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def with_unit(text: str, unit: str) -> str:
    """``12,3 %``, ``912,3 pour 100 000 habitants`` (non-breaking space before the unit)."""
    if not text or not unit:
        return text
    return f"{text}\u00a0{unit}"


# --- one published value ------------------------------------------------------------------------------


@dataclass
class Published:
    """A value of an indicator for a territory as a page shows it (confidentiality applied)."""

    indicator: Any
    territory: Any
    period: str
    sex: str
    age_band: str
    numerator: float | None
    denominator: float | None
    value: float | None
    lower: float | None
    upper: float | None
    state: str
    #: Why the value is withheld: ``primary`` (its own count is small or the producer withheld it),
    #: ``secondary`` (complementary: it would give a withheld count back), None when published.
    suppression: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.indicator.unit)

    @property
    def shown(self) -> bool:
        """Is there a number to show (available or fragile)?"""
        return self.value is not None and self.state in ("ok", "unstable")

    @property
    def value_text(self) -> str:
        return format_number(self.value, self.kind) if self.shown else ""

    @property
    def value_with_unit(self) -> str:
        return with_unit(self.value_text, self.indicator.unit)

    @property
    def ci_text(self) -> str:
        if not self.shown or self.lower is None or self.upper is None:
            return ""
        decimals = decimals_for(self.value, self.kind)
        return _("%(low)s à %(high)s") % {
            "low": format_number(self.lower, decimals=decimals),
            "high": format_number(self.upper, decimals=decimals),
        }

    @property
    def state_name(self) -> str:
        return str(STATE_NAMES.get(self.state, self.state))

    @property
    def suppression_name(self) -> str:
        """« secret primaire » / « secret secondaire (complémentaire) », or ""."""
        return str(SUPPRESSION_NAMES.get(self.suppression or "", ""))

    @property
    def sex_name(self) -> str:
        return str(SEX_NAMES.get(self.sex, self.sex))

    def record(self) -> dict[str, Any]:
        """The row in the long import format (:data:`LONG_COLUMNS`)."""
        territory = self.territory
        return {
            "indicator": self.indicator.code, "level": territory.level, "code": territory.code,
            "name": territory.name, "vintage": territory.vintage, "period": self.period, "sex": self.sex,
            "age_band": self.age_band, "numerator": self.numerator, "denominator": self.denominator,
            "value": self.value, "lower": self.lower, "upper": self.upper, "state": self.state,
            "secret": SUPPRESSION_CODES.get(self.suppression or "", ""),
        }


def published(value, *, indicator=None, territory=None) -> Published:
    """A stored :class:`~equisante.indicators.models.Value` made fit for publication.

    ``indicator`` / ``territory`` may be given when the caller already holds them (no query). The
    stored decision (``value.withheld``) says whether the value is withheld; decisions taken with
    another threshold than the configured one are taken again first."""
    indicator = indicator or value.indicator
    territory = territory or value.territory
    reason = _stored_reason(value, indicator)
    record = publish({f: getattr(value, f) for f in VALUE_FIELDS}, threshold=threshold(), is_count=is_count(indicator))
    if reason is None and record["state"] == SUPPRESSED and value.state != SUPPRESSED:
        reason = "primary"  # safety net: a small count is never shown, whatever was stored
    elif reason is None and value.state == SUPPRESSED:
        reason = "primary"
    if reason is not None:
        record.update({field: None for field in WITHHELD_FIELDS})
        record["state"] = SUPPRESSED
    return Published(
        indicator=indicator, territory=territory, period=value.period, sex=value.sex, age_band=value.age_band,
        suppression=reason, **record,
    )


def _stored_reason(value, indicator) -> str | None:
    from equisante.indicators import withholding

    if indicator.withholding_threshold != threshold():
        withholding.refresh([indicator])  # sets indicator.withholding_threshold
        indicator._withholding_reread = True
    if getattr(indicator, "_withholding_reread", False) and getattr(value, "pk", None):
        return type(value).objects.filter(pk=value.pk).values_list("withheld", flat=True).first() or None
    return getattr(value, "withheld", "") or None


def missing(indicator, territory, period: str = "", sex: str = "", age_band: str = "") -> Published:
    """A placeholder for a territory that has no value (shown as « donnée manquante »)."""
    return Published(indicator=indicator, territory=territory, period=period, sex=sex, age_band=age_band,
                     numerator=None, denominator=None, value=None, lower=None, upper=None, state="missing")


def frame(rows: list[Published]) -> pd.DataFrame:
    """Published rows as a table in the long import format, counts written without decimals."""
    table = pd.DataFrame([row.record() for row in rows], columns=PUBLISHED_COLUMNS)
    for column in ("value", "lower", "upper"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    for column in ("numerator", "denominator"):
        numbers = pd.to_numeric(table[column], errors="coerce")
        whole = numbers.dropna()
        if len(whole) == 0 or bool((whole == whole.round()).all()):
            table[column] = numbers.round().astype("Int64")
        else:
            table[column] = numbers
    return table


def published_frame(table: pd.DataFrame, count_indicators: set[str]) -> pd.DataFrame:
    """A values table (long format, with the stored decision in a column ``withheld`` — read it with
    the values) with confidentiality applied: rows withheld by the stored decision or by the
    small-count rule are blanked, and a column ``secret`` says why (``primaire``, ``secondaire``)."""
    stored = table["withheld"].fillna("").astype(str) if "withheld" in table else pd.Series("", index=table.index)
    before = table["state"].astype(str).eq(SUPPRESSED) if "state" in table else pd.Series(False, index=table.index)
    result = publish_frame(table, threshold=threshold(), count_indicators=frozenset(count_indicators))
    flagged = stored.ne("")
    for field in WITHHELD_FIELDS:
        if field in result:
            result[field] = result[field].where(~flagged)
    result.loc[flagged, "state"] = SUPPRESSED
    newly = result["state"].astype(str).eq(SUPPRESSED) & ~flagged
    reason = stored.where(flagged, "").mask(newly | (before & ~flagged), "primary")
    result["secret"] = reason.map(lambda r: SUPPRESSION_CODES.get(r, ""))
    return result.drop(columns=["withheld"], errors="ignore")


# --- comparison with the parent -----------------------------------------------------------------------


def compare(row: Published, reference: Published | None, polarity: str) -> tuple[str, str]:
    """How ``row`` compares with ``reference`` (the parent's value): ``(code, words)``.

    Different when the reference value lies outside the row's 95 % confidence interval; words say
    whether that is favourable given the indicator's polarity. Codes: ``better``, ``worse``,
    ``higher``, ``lower`` (neutral indicators), ``similar``, ``none`` (not testable)."""
    if reference is None or not row.shown or not reference.shown or row.lower is None or row.upper is None:
        return "none", _("non comparable")
    if row.lower <= reference.value <= row.upper:
        return "similar", _("pas de différence significative")
    higher = reference.value < row.lower
    if polarity == "neutral":
        return ("higher", _("significativement plus élevé")) if higher else ("lower", _("significativement plus bas"))
    better = higher == (polarity == "favourable")
    if better:
        return "better", _("plus élevé, plus favorable") if higher else _("plus bas, plus favorable")
    return "worse", _("plus élevé, moins favorable") if higher else _("plus bas, moins favorable")
