"""The house rules that keep the layers apart."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "equisante"

#: The pure core: an analyst imports these from a notebook without Django.
CORE = [
    "errors.py",
    "confidentiality",
    "exports.py",
    "tables",
    "numbers.py",
    "progress.py",
    "stats",
    "indices",
    "grid",
    "portfolio",
    "actionsheets",
    "charts",
    "maps",
    "demo/generator.py",
    "demo/values.py",
    "territories/levels.py",
    "territories/reading",
    "indicators/states.py",
    "indicators/reading.py",
    "records/__init__.py",
    "records/problems.py",
    "records/definition.py",
    "records/codes.py",
    "records/engines.py",
    "records/compute.py",
    "records/synthetic.py",
    "followup/figures.py",
    "followup/text.py",
    "calls/__init__.py",
    "calls/errors.py",
    "calls/selection.py",
    "calls/eligibility.py",
    "calls/statistics.py",
    "calls/reading.py",
    "allocation/__init__.py",
    "allocation/rules.py",
    "allocation/adjustments.py",
    "allocation/needs.py",
    "allocation/comparison.py",
    "allocation/errors.py",
    "allocation/reading.py",
    "api/client.py",
    "api/problems.py",
]


def _core_files():
    for entry in CORE:
        path = PACKAGE / entry
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        elif path.exists():
            yield path


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("path", list(_core_files()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_does_not_import_django(path):
    offending = [m for m in _imported_modules(path) if m == "django" or m.startswith("django.")]
    assert not offending, f"{path.relative_to(PACKAGE)} importe {offending}"


def test_core_packages_import_without_loading_django():
    code = (
        "import sys, importlib\n"
        "for name in ['equisante.stats', 'equisante.errors', 'equisante.exports']:\n"
        "    importlib.import_module(name)\n"
        "from equisante import stats\n"
        "stats.proportion\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
