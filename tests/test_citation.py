"""CITATION.cff: the keys the Citation File Format 1.2.0 requires, and agreement with the rest.

cffconvert, the format's own validator, pins a jsonschema older than the one Jupyter needs, so it
is not a dependency; these checks cover what the format requires and what must agree with the
repository (its licences, its address, its version).
"""

from __future__ import annotations

import datetime
import re
import tomllib

import yaml

from conftest import REPO


def citation() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_has_the_keys_cff_requires():
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title"):
        assert isinstance(cff[key], str) and cff[key].strip(), key
    assert cff["authors"] and all(isinstance(a, dict) and (a.get("name") or a.get("family-names"))
                                  for a in cff["authors"])
    assert cff["type"] in ("software", "dataset")


def test_citation_credits_the_contributors_as_the_licence_asks():
    assert {"name": "the mbcbook contributors"} in citation()["authors"]
    assert '"the mbcbook contributors"' in (REPO / "LICENSE").read_text(encoding="utf-8")


def test_citation_licences_are_those_of_the_licence_file():
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "(CC BY 4.0)" in licence and "MIT License" in licence
    assert citation()["license"] == ["CC-BY-4.0", "MIT"]


def test_citation_names_the_repository_of_the_launch_buttons():
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    assert citation()["repository-code"] == config["repository"]["url"]


def test_citation_version_is_the_package_version_and_its_date_is_a_date():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = citation()
    assert str(cff["version"]) == project["version"]
    # YAML reads an unquoted date as a date, a quoted one as text: both must be YYYY-MM-DD.
    released = cff["date-released"]
    assert isinstance(released, datetime.date) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", released)
    datetime.date.fromisoformat(str(released))
