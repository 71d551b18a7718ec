"""Statistical confidentiality ("secret statistique") of everything equisante publishes (pure: no Django).

- :mod:`~equisante.confidentiality.rules`: the small-count rule on one value or one table, and the
  French statement of the rule;
- :mod:`~equisante.confidentiality.cube`: every published cell of an indicator and the additive
  relations between them (sex, age, period, territory);
- :mod:`~equisante.confidentiality.suppression`: primary and secondary (complementary) withholding
  decided once over the whole cube;
- :mod:`~equisante.confidentiality.audit`: the visitor's attack, used by the tests and the
  ``equisante confidentiality audit`` command.

The decisions are stored with the values (``indicators.Value.withheld``) and every page, export,
report, map and API reads them; nothing recomputes its own.
"""

from equisante.confidentiality.rules import (  # noqa: F401
    PRIMARY,
    SECONDARY,
    SUPPRESSED,
    WITHHELD_FIELDS,
    Suppression,
    is_withheld,
    publish,
    publish_breakdown,
    publish_frame,
    rule_statement,
    secondary_suppression,
    small_count,
)
