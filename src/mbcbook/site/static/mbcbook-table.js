/* mbcbook: tables the reader filters and sorts, with no kernel and no network.
 *
 * Each <div data-mbcbook-table> holds a table written at build time (mbcbook.charts.trials),
 * whose sortable headings are buttons and whose cells carry the value they sort by (data-sort),
 * and controls that this script reveals: a select that keeps the rows of one kind (data-filter=
 * "timing", matched against each row's data-timing) and a search box that keeps the rows holding
 * a word. The status line (aria-live) says how many rows show and in what order. Without the
 * script the whole table reads as it is. */
(function () {
  "use strict";

  function sortValue(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null || raw === "") return null;
    var number = Number(raw);
    return isNaN(number) ? raw.toLowerCase() : number;
  }

  function compare(a, b, ascending) {
    // A missing value sorts last in either direction: "not published" is not the smallest result.
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (a < b) return ascending ? -1 : 1;
    if (a > b) return ascending ? 1 : -1;
    return 0;
  }

  function setUp(box) {
    var table = box.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var status = box.querySelector(".mbcbook-table-status");
    var timing = box.querySelector('[data-filter="timing"]');
    var words = box.querySelector('[data-filter="words"]');
    var order = { key: null, ascending: true };

    function update() {
      var kind = timing ? timing.value : "";
      var word = words ? words.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row) {
        var keep = (!kind || row.getAttribute("data-timing") === kind) &&
          (!word || row.textContent.toLowerCase().indexOf(word) >= 0);
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      var sorted = order.key ? ", sorted by " + order.key + (order.ascending ? " (ascending)" : " (descending)") : "";
      status.textContent = "Showing " + shown + " of " + rows.length + " trials" + sorted + ".";
    }

    function sortBy(button) {
      var key = button.getAttribute("data-sort-key");
      order.ascending = order.key === key ? !order.ascending : true;
      order.key = key;
      box.querySelectorAll("th[aria-sort]").forEach(function (th) { th.setAttribute("aria-sort", "none"); });
      button.parentNode.setAttribute("aria-sort", order.ascending ? "ascending" : "descending");
      var column = Array.prototype.indexOf.call(button.parentNode.parentNode.children, button.parentNode);
      rows = original.slice().sort(function (a, b) {
        // Ties keep the order of data/trials.csv: the sort is stable over the original rows.
        return compare(sortValue(a.children[column]), sortValue(b.children[column]), order.ascending);
      });
      rows.forEach(function (row) { body.appendChild(row); });
      update();
    }

    box.querySelectorAll("button[data-sort-key]").forEach(function (button) {
      button.addEventListener("click", function () { sortBy(button); });
    });
    if (timing) timing.addEventListener("change", update);
    if (words) words.addEventListener("input", update);
    box.querySelector(".mbcbook-table-controls").hidden = false;
    status.hidden = false;
    update();
  }

  function start() {
    document.querySelectorAll("[data-mbcbook-table]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
