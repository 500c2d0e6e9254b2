"""The package's layers keep their dependency rules (import-linter contracts in pyproject.toml).

The first test checks the real package. The others break each rule on purpose, in a copy of
the package, and check that the linter notices: a contract that cannot fail proves nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(config: Path, package_root: Path, *contracts: str) -> subprocess.CompletedProcess:
    """Run import-linter on the package found in ``package_root``."""
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    command = [str(LINT_IMPORTS), str(config), "--no-cache", "--no-logo"]
    for contract in contracts:
        command += ["--contract", contract]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=config.parent)


def test_the_package_keeps_every_contract():
    result = lint(REPO / "pyproject.toml", REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# (contract, module that gains the import, the import that breaks the rule)
BREAKS = [
    ("layers", "evidence/text.py", "from mbcbook.charts import theme"),
    ("layers", "analysis/epidemiology.py", "from mbcbook.widgets import calculators"),
    ("computation-is-display-free", "analysis/epidemiology.py", "import altair"),
    ("computation-is-display-free", "analysis/epidemiology.py", "import ipywidgets"),
    ("charts-need-no-kernel", "charts/bars.py", "import ipywidgets"),
    ("charts-need-no-kernel", "charts/theme.py", "from mbcbook import widgets"),
    ("evidence-stands-alone", "evidence/loader.py", "from mbcbook.analysis import epidemiology"),
    ("evidence-stands-alone", "evidence/schema.py", "import altair"),
    ("site-is-machinery", "site/vega.py", "from mbcbook.charts import theme"),
    ("site-is-machinery", "site/pages.py", "from mbcbook.evidence import loader"),
    ("errors-and-paths-are-leaves", "paths.py", "from mbcbook.evidence import schema"),
]


@pytest.mark.parametrize("contract, module, statement", BREAKS, ids=[f"{c}:{m}" for c, m, _ in BREAKS])
def test_each_contract_fails_when_broken(tmp_path, contract, module, statement):
    shutil.copytree(REPO / "src" / "mbcbook", tmp_path / "src" / "mbcbook",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "mbcbook" / module
    source = target.read_text(encoding="utf-8")
    # After the module docstring and "from __future__", so the file stays valid Python.
    anchor = "from __future__ import annotations\n"
    assert anchor in source, module
    target.write_text(source.replace(anchor, f"{anchor}{statement}  # deliberately breaks {contract}\n", 1),
                      encoding="utf-8")
    result = lint(tmp_path / "pyproject.toml", tmp_path / "src", contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and "1 broken" in result.stdout
