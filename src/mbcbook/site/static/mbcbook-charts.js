/* mbcbook: draws the book's charts with the site's own copy of Vega.
 *
 * Each chart is a <figure data-mbcbook-chart> holding its Vega spec (compiled from Altair at
 * build time). Controls bound to chart parameters are placed under the chart by Vega itself,
 * so they work with no kernel and no network. A chart that fails says so in the page and in
 * the console (the browser tests count console errors).
 *
 * Charts take their width from the page column (Vega-Lite width "container"): Vega follows the
 * window as it is resized, and a ResizeObserver redraws a chart whose column changes width for
 * another reason (a sidebar opened or closed). The chart's title and subtitle are moved out of
 * the SVG into the figure's caption, as HTML text that wraps to the column on a phone. */
(function () {
  "use strict";

  function showError(figure, error) {
    figure.setAttribute("data-mbcbook-state", "error");
    var note = document.createElement("p");
    note.className = "mbcbook-chart-error";
    note.setAttribute("role", "alert");
    note.textContent = "This chart could not be drawn (" + error + "). " +
      "The data table under it holds the same information.";
    figure.insertBefore(note, figure.firstChild);
    console.error("mbcbook: chart " + figure.id + " failed:", error);
  }

  function lines(text) {
    if (text === undefined || text === null) return [];
    return Array.isArray(text) ? text.map(String) : [String(text)];
  }

  /* Move the spec's title into a <figcaption>, unless it is computed by a signal. */
  function captionFromTitle(figure, spec) {
    var title = spec.title;
    if (title === undefined || title === null) return;
    if (typeof title !== "object" || Array.isArray(title)) title = {text: title};
    if (typeof title.text === "object" && !Array.isArray(title.text)) return;
    if (typeof title.subtitle === "object" && title.subtitle !== null && !Array.isArray(title.subtitle)) return;
    delete spec.title;
    var caption = document.createElement("figcaption");
    caption.className = "mbcbook-chart-caption";
    var heading = document.createElement("p");
    heading.className = "mbcbook-chart-title";
    heading.textContent = lines(title.text).join(" ");
    caption.appendChild(heading);
    lines(title.subtitle).forEach(function (line) {
      var sub = document.createElement("p");
      sub.className = "mbcbook-chart-subtitle";
      sub.textContent = line;
      caption.appendChild(sub);
    });
    figure.insertBefore(caption, figure.firstChild);
  }

  /* Redraw at the column's new width when it changes without a window resize. */
  function followContainer(view, holder) {
    if (typeof ResizeObserver === "undefined") return;
    var width = holder.clientWidth;
    new ResizeObserver(function () {
      if (holder.clientWidth === width || holder.clientWidth === 0) return;
      width = holder.clientWidth;
      view.width(width).runAsync();
    }).observe(holder);
  }

  function drawChart(figure) {
    var spec;
    try {
      spec = JSON.parse(figure.querySelector("script.mbcbook-chart-spec").textContent);
    } catch (error) {
      showError(figure, error);
      return;
    }
    captionFromTitle(figure, spec);
    var holder = figure.querySelector(".mbcbook-chart-view");
    var view = new vega.View(vega.parse(spec), {
      renderer: "svg",
      container: holder,
      bind: figure.querySelector(".mbcbook-chart-controls"),
      hover: true
    });
    figure.mbcbookView = view;
    view.runAsync().then(function () {
      holder.style.minHeight = "";
      // The chart's description (its text alternative) becomes the accessible name of the SVG.
      var svg = holder.querySelector("svg");
      if (svg && spec.description) {
        svg.setAttribute("role", "graphics-document document");
        svg.setAttribute("aria-roledescription", "chart");
        svg.setAttribute("aria-label", spec.description);
      }
      followContainer(view, holder);
      figure.setAttribute("data-mbcbook-state", "drawn");
    }, function (error) {
      showError(figure, error);
    });
  }

  function drawAll() {
    if (typeof vega === "undefined") {
      document.querySelectorAll("[data-mbcbook-chart]").forEach(function (figure) {
        showError(figure, "the Vega library did not load");
      });
      return;
    }
    document.querySelectorAll("[data-mbcbook-chart]").forEach(drawChart);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
