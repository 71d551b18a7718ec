"""Coded action sheets of local health contracts and their exchange format (CSV / XLSX).

Pure Python (no Django): the contracts application imports and exports through
:func:`read_action_sheets` / :func:`write_action_sheets`; :mod:`equisante.portfolio` analyses the
:class:`ActionSheet` records.

>>> from equisante.actionsheets import ActionSheet, action_sheets_frame
>>> sheet = ActionSheet("CLS-1", "FA-1", title="Bilan bucco-dentaire", themes=["sante-bucco-dentaire"],
...                     determinants=["D5.1"], strategies=["S4.1"], approach="universalisme-proportionne")
>>> action_sheets_frame([sheet]).loc[0, "themes"]
'Santé bucco-dentaire'
"""

from equisante.actionsheets.errors import ActionSheetError
from equisante.actionsheets.exchange import (
    ALL_COLUMNS, BOOLEAN_COLUMNS, COLUMNS, FORMATS, LIST_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_CELLS,
    action_sheets_frame, read_action_sheets, write_action_sheets,
)
from equisante.actionsheets.model import GENERATIONS, HEALTH_SECTOR, SECTORS, ActionSheet, ContractFacts

__all__ = [
    "ALL_COLUMNS", "BOOLEAN_COLUMNS", "COLUMNS", "FORMATS", "GENERATIONS", "HEALTH_SECTOR", "LIST_COLUMNS",
    "OPTIONAL_COLUMNS", "REQUIRED_CELLS", "SECTORS", "ActionSheet", "ActionSheetError", "ContractFacts",
    "action_sheets_frame", "read_action_sheets", "write_action_sheets",
]
