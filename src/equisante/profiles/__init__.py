"""The ISTS profile of a local health contract and the regional overview (application layer).

The tables, balance and checks are those of :mod:`equisante.portfolio` (pure); this app selects the
contracts a person may see (:mod:`equisante.contracts.permissions`), reads their sheets and facts
(:mod:`equisante.contracts.selection`), lays the report out (:mod:`.presentation`) and serves it as
pages and as HTML, PDF and XLSX files (:mod:`.reports`). See ``docs/profiles.md``.
"""
