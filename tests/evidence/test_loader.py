"""Unit tests of the loader: types, ranges, locations in error messages, packaging."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, REPO
from mbcbook import evidence, paths
from mbcbook.evidence import EvidenceError, Problem
from mbcbook.evidence.loader import _check_cell
from mbcbook.evidence.schema import TABLES, Column


def test_every_table_loads_with_its_declared_dtypes():
    ev = evidence.load()
    for table in TABLES:
        frame = ev.table(table.name)
        assert len(frame) > 0, table.name
        assert frame.index.name == table.id_column
        for col in table.columns[1:]:
            dtype = frame[col.name].dtype
            if col.kind == "int":
                assert str(dtype) == "Int64", (table.name, col.name)
            elif col.kind in ("float", "proportion", "ci_level"):
                assert dtype == "float64", (table.name, col.name)
            elif col.kind == "category":
                assert isinstance(dtype, pd.CategoricalDtype), (table.name, col.name)
                assert set(dtype.categories) == set(col.allowed)
            else:
                assert str(dtype) == "string", (table.name, col.name)


def test_published_confidence_levels_are_kept():
    effects = evidence.load().effects
    assert effects.loc["e2108-os", "ci_level"] == pytest.approx(0.90)
    assert effects.loc["jcog1017-os", "ci_level"] == pytest.approx(0.90)
    assert effects.loc["tata-os", "ci_level"] == pytest.approx(0.95)


def test_unknown_table_name_is_explained():
    with pytest.raises(KeyError, match="the tables are: trials"):
        evidence.load().table("trial")


def test_load_returns_copies_that_callers_may_edit():
    first = evidence.load()
    first.trials.loc["tata", "name"] = "edited"
    assert evidence.load().trials.loc["tata", "name"] == "Tata Memorial"


def test_cache_notices_a_changed_file(data_copy):
    assert evidence.load(data_copy).trials.loc["tata", "n_randomised"] == 350
    path = data_copy / "trials.csv"
    path.write_text(path.read_text().replace(",350,", ",351,"), encoding="utf-8")
    assert evidence.load(data_copy).trials.loc["tata", "n_randomised"] == 351


def test_environment_variable_selects_the_data_folder(data_copy, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV_VAR, str(data_copy))
    assert evidence.data_dir() == data_copy


def test_checkout_data_folder_is_found_by_default(monkeypatch):
    monkeypatch.delenv(paths.DATA_ENV_VAR, raising=False)
    assert evidence.data_dir() == DATA


def test_missing_file_is_reported_by_name(data_copy):
    (data_copy / "effects.csv").unlink()
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    assert caught.value.file.endswith("effects.csv")
    assert "file not found" in str(caught.value)


def test_broken_bib_file_is_an_evidence_error(data_copy):
    bib = data_copy / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{badwe2015,\n title={again}\n}\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="references.bib"):
        evidence.load(data_copy)


def test_all_problems_are_reported_at_once(data_copy):
    trials = data_copy / "trials.csv"
    text = trials.read_text().replace(",India,single,", ",India,somewhere,").replace(",Turkey,multi,", ",Turkey,many,")
    trials.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        evidence.load(data_copy)
    rows = [(p.row, p.column) for p in caught.value.problems]
    assert rows == [(2, "centres"), (3, "centres")]
    assert str(caught.value).startswith("The evidence tables have 2 problems:")


def test_problem_message_names_file_row_and_column():
    problem = Problem("data/effects.csv", 4, "ci_high", "upper limit 0.5 is below lower limit 0.8")
    assert str(problem) == "data/effects.csv, row 4, column 'ci_high': upper limit 0.5 is below lower limit 0.8"


def test_percentages_written_as_percent_get_a_hint():
    col = Column("share", "proportion", "")
    value, message = _check_cell(col, "44", set(), {})
    assert value is None
    assert "write 0.44 for 44%" in message


@given(st.text(max_size=12))
@settings(max_examples=300)
def test_any_cell_text_gives_a_value_or_a_message(cell):
    """No input can crash the loader: every cell is either accepted or explained."""
    for col in (Column("n", "int", "", minimum=1), Column("x", "float", "", minimum=0),
                Column("p", "proportion", ""), Column("lvl", "ci_level", ""),
                Column("s", "category", "", allowed=("a", "b")), Column("i", "id", "")):
        value, message = _check_cell(col, cell.strip() or "x", {"k"}, {})
        assert (value is None) == (message is not None) or col.kind == "text"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_proportions_outside_zero_one_are_rejected(x):
    value, message = _check_cell(Column("p", "proportion", ""), repr(x), set(), {})
    if 0 < x < 1:
        assert message is None and value == pytest.approx(x)
    else:
        assert value is None and "between 0 and 1" in message


def test_installed_wheel_carries_the_data(tmp_path):
    """A wheel installed without the checkout finds the tables it ships."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
                   check=True)
    wheel = next(tmp_path.glob("mbcbook-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    assert (unpacked / "mbcbook" / "_data" / "trials.csv").is_file()
    assert (unpacked / "mbcbook" / "site" / "static" / "vendor" / "vega-6.2.0" / "vega.min.js").is_file()
    # The unpacked wheel goes first on sys.path, ahead of this checkout's editable install.
    script = (f"import sys; sys.path.insert(0, {str(unpacked)!r}); import mbcbook.evidence as e; "
              "ev = e.load(); print(e.__file__, e.data_dir(), len(ev.trials), len(ev.references))")
    out = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    module, data, n_trials, n_refs = out.stdout.split()
    assert module.startswith(str(unpacked)) and data == str(unpacked / "mbcbook" / "_data")
    assert int(n_trials) == len(evidence.load().trials) and int(n_refs) > 0


def test_main_lists_every_table_and_the_references(capsys):
    from mbcbook.evidence.__main__ import main

    assert main([str(DATA)]) == 0
    out = capsys.readouterr().out.splitlines()
    ev = evidence.load()
    for table in TABLES:
        assert f"{table.file:28} {len(ev.table(table.name)):3d} rows  ok" in out
    assert f"{'references.bib':28} {len(ev.references):3d} entries ok" in out


def test_main_reports_problems_and_fails(data_copy, capsys):
    from mbcbook.evidence.__main__ import main

    (data_copy / "effects.csv").write_text("", encoding="utf-8")
    assert main([str(data_copy)]) == 1
    captured = capsys.readouterr()
    assert "effects.csv: the file is empty" in captured.err and captured.out == ""


def test_main_rewrites_the_readme(data_copy, capsys):
    from mbcbook.evidence.__main__ import main
    from mbcbook.evidence.readme import README_BEGIN, README_END

    (data_copy / "README.md").write_text(f"# notes\n{README_BEGIN}\nstale\n{README_END}\nend\n", encoding="utf-8")
    assert main([str(data_copy), "--readme"]) == 0
    readme = (data_copy / "README.md").read_text(encoding="utf-8")
    assert "stale" not in readme and "### `trials.csv`" in readme and readme.endswith(f"{README_END}\nend\n")
    assert f"updated {data_copy / 'README.md'}" in capsys.readouterr().out


def test_no_data_folder_is_an_evidence_error(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.DATA_ENV_VAR, raising=False)
    monkeypatch.setattr(paths, "PACKAGE", tmp_path / "src" / "mbcbook")
    with pytest.raises(EvidenceError, match="no evidence tables found") as caught:
        evidence.data_dir()
    assert caught.value.file == str(tmp_path / "src" / "mbcbook")


def test_main_explains_itself(capsys):
    from mbcbook.evidence.__main__ import main

    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    usage = " ".join(capsys.readouterr().out.split())
    for words in ("usage: python -m mbcbook.evidence", "Validate the evidence tables in data/.",
                  "data folder (default: the book's data/)",
                  "rewrite the generated column tables in the folder's README.md"):
        assert words in usage


def test_main_validates_the_book_data_by_default(capsys):
    from mbcbook.evidence.__main__ import main

    assert main([]) == 0
    assert "trials.csv" in capsys.readouterr().out
