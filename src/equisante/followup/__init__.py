"""Follow-up of local schemes year by year (indicators, progress and money of each action sheet, the
annual review and its validation by the partners) and the public database of actions.

Pure computations live in :mod:`equisante.followup.figures` and :mod:`equisante.followup.text`
(no Django); the rest is the Django application."""
