/* mbcbook: the eligibility checker of the web book, with no kernel and no network.
 *
 * Each <div data-mbcbook-checker> holds a form (one control per profile field) and, as JSON, the
 * rules of data/eligibility_rules.csv with their values already read at build time
 * (mbcbook.charts.checker). This script evaluates them exactly as mbcbook.analysis.eligibility
 * does: a field left empty is not known, which makes a rule "unknown", never "met"; a source with
 * any rule not met is "not eligible", else with any rule unknown "unknown", else "eligible". A
 * browser test compares the two on hundreds of profiles. Bad input is explained in the alert line;
 * the other inputs keep their values. */
(function () {
  "use strict";

  function checkValue(field, value) {
    if (value === null || value === undefined) return null;
    if (field.kind === "int" || field.kind === "float") {
      if (typeof value !== "number" || !isFinite(value)) {
        throw new Error(field.label + " must be a number (" + field.allowed_text + "), got " + JSON.stringify(value));
      }
      if (field.kind === "int" && !Number.isInteger(value)) {
        throw new Error(field.label + " must be a whole number (" + field.allowed_text + "), got " + value);
      }
      if (value < field.minimum || value > field.maximum) {
        throw new Error(field.label + " must be " + field.allowed_text + ", got " + value);
      }
      return value;
    }
    if (field.kind === "flag") return value;
    if (field.kind === "set") return value.length ? value : null;  // an empty set is not known
    if (field.allowed.indexOf(value) < 0) {
      throw new Error(field.label + " must be " + field.allowed_text + ", got '" + value + "'");
    }
    return value;
  }

  function oneField(field, operator, value, given) {
    if (given === null || given === undefined) return "unknown";
    var met;
    if (field.kind === "set") {
      var overlap = given.some(function (item) { return value.indexOf(item) >= 0; });
      met = operator === "one_of" ? overlap : !overlap;
    } else if (operator === "one_of") met = value.indexOf(given) >= 0;
    else if (operator === "none_of") met = value.indexOf(given) < 0;
    else if (operator === "is_true") met = given === true;
    else if (operator === "is_false") met = given === false;
    else if (operator === "between") met = value[0] <= given && given <= value[1];
    else if (operator === "at_least") met = given >= value;
    else if (operator === "at_most") met = given <= value;
    else if (operator === "above") met = given > value;
    else if (operator === "below") met = given < value;
    else if (operator === "equals") met = given === value;
    else throw new Error("unknown operator " + operator);
    return met ? "met" : "not met";
  }

  /* Every rule against a profile ({field: value}, missing fields not known). */
  function check(data, profile) {
    var fields = {};
    data.fields.forEach(function (f) { fields[f.name] = f; });
    var rules = data.rules.map(function (rule) {
      var answers = rule.fields.map(function (name) {
        return oneField(fields[name], rule.operator, rule.value, profile[name]);
      });
      var verdict = answers.indexOf("met") >= 0 ? "met" : answers.indexOf("unknown") >= 0 ? "unknown" : "not met";
      return {id: rule.id, source: rule.source, verdict: verdict};
    });
    var verdicts = {};
    data.sources.forEach(function (source) {
      var found = rules.filter(function (r) { return r.source === source.id; }).map(function (r) { return r.verdict; });
      verdicts[source.id] = found.indexOf("not met") >= 0 ? "not eligible"
        : found.indexOf("unknown") >= 0 ? "unknown" : "eligible";
    });
    return {rules: rules, verdicts: verdicts};
  }

  /* The profile the form describes; throws with the field's message on bad input. */
  function readForm(root, data) {
    var profile = {};
    data.fields.forEach(function (field) {
      var value = null;
      if (field.kind === "set") {
        value = [].slice.call(root.querySelectorAll('input[data-field="' + field.name + '"]:checked'))
          .map(function (box) { return box.value; });
        value = value.length ? value : null;  // nothing ticked: not known
      } else {
        var control = root.querySelector('[data-field="' + field.name + '"]');
        control.removeAttribute("aria-invalid");
        var raw = control.value.trim();
        if (raw === "") value = null;
        else if (field.kind === "flag") value = raw === "yes";
        else if (field.kind === "int" || field.kind === "float") value = Number(raw);
        else value = raw;
        try {
          value = checkValue(field, value);
        } catch (error) {
          control.setAttribute("aria-invalid", "true");
          throw error;
        }
      }
      if (value !== null) profile[field.name] = value;
    });
    return profile;
  }

  var WORDS = {"eligible": "meets every rule", "not eligible": "excluded", "unknown": "cannot say yet"};

  function render(root, data, result) {
    var byId = {};
    data.rules.forEach(function (rule) { byId[rule.id] = rule; });
    var html = '<table class="mbcbook-checker-table"><caption>Result, source by source</caption>' +
      "<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Verdict</th>" +
      "<th scope=\"col\">Rules not met or not known</th></tr></thead><tbody>";
    data.sources.forEach(function (source) {
      var items = result.rules.filter(function (r) { return r.source === source.id && r.verdict !== "met"; })
        .map(function (r) {
          var rule = byId[r.id];
          var ref = rule.link ? '<a href="' + rule.link + '">' + rule.ref + "</a>" : rule.ref;
          return "<li>" + (r.verdict === "not met" ? "Not met: " : "Not known: ") + escapeHtml(rule.text) +
            (rule.status === "unconfirmed" ? " (unconfirmed rule)" : "") + " [" + ref + "]</li>";
        });
      var verdict = result.verdicts[source.id];
      html += '<tr data-source="' + source.id + '" data-verdict="' + verdict + '"><th scope="row">' +
        escapeHtml(source.name) + "</th><td>" + verdict + " (" + WORDS[verdict] + ")</td><td>" +
        (items.length ? "<ul>" + items.join("") + "</ul>" : "none") + "</td></tr>";
    });
    root.querySelector(".mbcbook-checker-results").innerHTML = html + "</tbody></table>";
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }

  function update(root, data) {
    var alert = root.querySelector(".mbcbook-checker-error");
    var profile;
    try {
      profile = readForm(root, data);
    } catch (error) {
      alert.textContent = error.message;  // the results of the last good profile stay
      return;
    }
    alert.textContent = "";
    render(root, data, check(data, profile));
  }

  function start(root) {
    var data = JSON.parse(root.querySelector(".mbcbook-checker-data").textContent);
    root.mbcbookCheckerData = data;
    var form = root.querySelector("form");
    form.addEventListener("input", function () { update(root, data); });
    form.addEventListener("change", function () { update(root, data); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update(root, data);
  }

  window.mbcbookChecker = {check: check, checkValue: checkValue};
  document.querySelectorAll("[data-mbcbook-checker]").forEach(start);
})();
