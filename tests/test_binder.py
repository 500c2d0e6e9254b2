"""Binder builds the repository root with repo2docker; its conventions decide what gets installed.

repo2docker reads runtime.txt for the Python version and installs requirements.txt with pip;
a configuration file of another kind (environment.yml, Pipfile, a binder/ folder, ...) would be
read instead of them, or as well. These checks keep the root what the educators' guide says it
is: one pinned environment, the one `make test` runs, which ends by installing the package.
"""

from __future__ import annotations

import re

from conftest import REPO

#: Files and folders repo2docker would read besides runtime.txt and requirements.txt.
OTHER_REPO2DOCKER_FILES = ("environment.yml", "Pipfile", "Pipfile.lock", "setup.py", "install.R", "apt.txt",
                           "postBuild", "start", "Project.toml", "DESCRIPTION", "binder", ".binder",
                           "Dockerfile")


def requirements() -> list[str]:
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_runtime_names_the_python_the_tests_run():
    assert (REPO / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_requirements_are_pinned_and_end_by_installing_the_package():
    *pinned, last = requirements()
    assert last == "-e ."  # the package from the checkout; it reads data/ there
    loose = [line for line in pinned if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[\w.+!\-]+", line)]
    assert not loose, f"not pinned: {loose}"
    names = {re.split(r"[=\[]", line)[0].lower().replace("_", "-") for line in pinned}
    # What the reader notebooks need on Binder: JupyterLab, live widgets, the charts and the survival tools.
    assert {"jupyterlab", "ipywidgets", "altair", "lifelines", "pandas", "statsmodels"} <= names


def test_nothing_else_tells_repo2docker_what_to_install():
    found = [name for name in OTHER_REPO2DOCKER_FILES if (REPO / name).exists()]
    assert not found, f"repo2docker would also read {found}; the guide says runtime.txt and requirements.txt suffice"
