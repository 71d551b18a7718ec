"""Pages of the contracts area (one module per page family)."""

from equisante.contracts.views.coding import sheet_coding
from equisante.contracts.views.contracts import contract_detail, contract_list
from equisante.contracts.views.exchange import export_sheets, import_page
from equisante.contracts.views.grid import grid_page
from equisante.contracts.views.sheets import sheet_create, sheet_detail, sheet_edit

__all__ = ["contract_detail", "contract_list", "export_sheets", "grid_page", "import_page", "sheet_coding",
           "sheet_create", "sheet_detail", "sheet_edit"]
