"""The live pooling app: the same answers as the pooling module, bad input explained in place."""

from __future__ import annotations

import time

import pytest

from mbcbook.widgets.pooling import pooling_app


@pytest.fixture
def app(evidence_tables):
    return pooling_app(evidence_tables, evidence_tables.trials["name"].to_dict())


def _only(app, keep):
    for trial, controls in app.rows.items():
        controls["ticked"].value = trial in keep


def test_the_cochrane_pair_gives_the_cochrane_result(app):
    _only(app, {"tata", "mf07-01"})
    assert "Pooled, 2 trials, random effects (DerSimonian-Laird): HR 0.83 (95% CI 0.53–1.30)" in app.answer.value
    app.method.value = "fixed"
    assert "Pooled, 2 trials, fixed effect: HR 0.86" in app.answer.value


def test_the_reading_changes_only_the_unstated_trial(app):
    _only(app, {"tata", "abcsg-28"})
    as_medians = app.answer.value
    app.reading.value = "lrt-st"
    assert app.answer.value != as_medians and "read as lrt against st" in app.answer.value
    assert "read as st against lrt, inverted" in as_medians


def test_nothing_to_pool_is_explained(app):
    _only(app, {"e2108"})
    assert "Nothing to pool: only ECOG-ACRIN E2108 is chosen" in app.answer.value
    _only(app, set())
    assert "Nothing to pool: no trial is chosen" in app.answer.value


@pytest.mark.parametrize("key, typed, message", [
    ("hr", "0", "MF07-01: the hazard ratio must be a number above 0, got 0.0"),
    ("hr", "abc", "MF07-01: the hazard ratio must be a number, got &#x27;abc&#x27;"),
    ("high", " ", "MF07-01: the upper limit is empty: type a number"),
    ("hr", "2", "MF07-01: the interval 0.49-0.88 does not contain its hazard ratio 2"),
    ("level", "0.99", "MF07-01: the confidence level must be 0.90 or 0.95 (as published), got 0.99"),
    ("low", "-1", "MF07-01: the lower limit must be a number above 0, got -1.0"),
])
def test_bad_input_is_explained_and_the_rest_kept(app, key, typed, message):
    app.rows["mf07-01"][key].value = typed
    assert "Check the input" in app.answer.value and message in app.answer.value
    assert app.rows["tata"]["hr"].value == "1.04" and app.rows["mf07-01"]["ticked"].value
    app.rows["mf07-01"][key].value = {"hr": "0.66", "level": "0.95", "low": "0.49", "high": "0.88"}[key]
    assert "Pooled, 5 trials" in app.answer.value


def test_an_update_is_fast(app):
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        app.rows["tata"]["ticked"].value = not app.rows["tata"]["ticked"].value
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[len(timings) // 2] < 0.05
