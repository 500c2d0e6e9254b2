"""The live eligibility checker: the same rules and verdicts as the web book's, with ipywidgets.

Teaching material, not a clinical decision tool. Each control sets one field of the profile
(empty or "not known" leaves it out); every change re-checks the profile with
:func:`mbcbook.analysis.eligibility.check`. Bad input is explained in place of the results, and
the other inputs keep their values.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import pandas as pd

from ..analysis import eligibility as elig
from ..charts.checker import source_names
from ..errors import InputError
from ..evidence import rules as vocabulary
from .calculators import _error_html

_STYLE = {"description_width": "14rem"}
_WORDS = {"eligible": "meets every rule", "not eligible": "excluded", "unknown": "cannot say yet"}


def _control(field: vocabulary.Field):
    if field.kind in ("int", "float"):
        return widgets.Text(description=field.label, placeholder=f"{field.allowed_text()}; empty if not known",
                            style=_STYLE, continuous_update=False)
    if field.kind == "set":
        return widgets.SelectMultiple(options=[(v.replace("_", " "), v) for v in field.allowed],
                                      description=field.label, style=_STYLE)
    options = [("not known", None)] + ([("yes", True), ("no", False)] if field.kind == "flag"
                                       else [(v, v) for v in field.allowed])
    return widgets.Dropdown(options=options, value=None, description=field.label, style=_STYLE)


def _read(field: vocabulary.Field, control):
    value = control.value
    if field.kind in ("int", "float"):
        text = value.strip()
        if not text:
            return None
        try:
            return float(text) if field.kind == "float" or not float(text).is_integer() else int(float(text))
        except ValueError:
            raise InputError(f"{field.label} must be a number ({field.allowed_text()}), got {text!r}") from None
    if field.kind == "set":
        return tuple(value) or None
    return value


def results_html(result: pd.DataFrame, names: dict[str, str] | None = None) -> str:
    """The checker's results as HTML: each source's verdict and the rules it fails or cannot judge.

    ``names`` names the sources (:func:`mbcbook.charts.checker.source_names`); a source missing
    from it is shown by its id.
    """
    names = names or {}
    rows = []
    for source, verdict in elig.verdicts(result).items():
        open_rules = result[(result["source"] == source) & (result["verdict"] != elig.MET)]
        items = "".join(
            f"<li>{'Not met' if r['verdict'] == elig.NOT_MET else 'Not known'}: {escape(r['text'])}"
            f"{' (unconfirmed rule)' if r['status'] == 'unconfirmed' else ''} [{escape(r['ref'])}]</li>"
            for _, r in open_rules.iterrows())
        rows.append(f"<tr><th>{escape(names.get(source, source))}</th><td>{verdict} ({_WORDS[verdict]})</td>"
                    f"<td>{'<ul>' + items + '</ul>' if items else 'none'}</td></tr>")
    return ("<table><caption>Result, source by source</caption><thead><tr><th>Source</th><th>Verdict</th>"
            "<th>Rules not met or not known</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            "<p><small>Teaching material, not a clinical decision tool.</small></p>")


def eligibility_checker(ev, sources=None) -> widgets.VBox:
    """The live checker for ``ev``'s rules (all sources, or those named in ``sources``).

    Returns
    -------
    ipywidgets.VBox
        The app; ``app.inputs`` holds its controls by field name, ``app.answer`` the results
        (or the message about the input), ``app.update()`` re-checks.
    """
    rules = ev.eligibility_rules
    names = source_names(ev.trials)
    if sources is not None:
        rules = rules[rules["source"].isin(list(sources))]
    inputs = {field.name: _control(field) for field in vocabulary.FIELDS}
    answer = widgets.HTML()

    def update(_change=None) -> None:
        try:
            values = {field.name: _read(field, inputs[field.name]) for field in vocabulary.FIELDS}
            answer.value = results_html(elig.check(elig.make_profile(**values), rules), names)
        except InputError as error:
            answer.value = _error_html(str(error))

    for control in inputs.values():
        control.observe(update, names="value")
    update()
    app = widgets.VBox([widgets.HTML("<p><strong>Teaching material, not a clinical decision tool.</strong></p>"),
                        *inputs.values(), answer])
    app.inputs, app.answer, app.update = inputs, answer, update
    return app
