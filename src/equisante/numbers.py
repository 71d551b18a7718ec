"""Numbers written the French way for texts shown to people (pure: no Django).

French typography uses a decimal comma (« 0,52 ») and a space before « % ». Tables keep raw floats;
only sentences built by the core (evidence, rules, notes) go through these functions.
"""

from __future__ import annotations

import math


def plural(count: int | float, singular: str, plural_form: str | None = None, *, number: str | None = None) -> str:
    """« 0 ligne », « 1 ligne », « 3 lignes »: French takes the singular below 2. ``plural_form``
    defaults to ``singular`` + « s » for one word (give it for a phrase: « lignes concernées »);
    ``number`` replaces the written count (« 1 234 »)."""
    if plural_form is None and " " in singular:
        raise ValueError(f"plural form needed for the phrase {singular!r}")
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{count if number is None else number} {word}"


def french_number(value: float | int | None, digits: int = 3) -> str:
    """``value`` rounded to ``digits`` decimals, trailing zeros removed, decimal comma: 0.52 → "0,52".

    A missing value (None or NaN) is written "NA".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text not in ("", "-0") else "0"


def french_percent(share: float | None, digits: int = 1) -> str:
    """A share already in percent, with a fixed number of decimals: 20.0 → "20,0 %"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "NA"
    return f"{float(share):.{digits}f}".replace(".", ",") + " %"


FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")


def french_date(day) -> str:
    """A date written in words, the French way: 2011-01-01 → "1er janvier 2011", 2024-03-15 →
    "15 mars 2024" (``day``: a ``datetime.date``)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {FRENCH_MONTHS[day.month - 1]} {day.year}"
