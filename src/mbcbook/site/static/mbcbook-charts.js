/* mbcbook: draws the book's charts with the site's own copy of Vega.
 *
 * Each chart is a <figure data-mbcbook-chart> holding its Vega spec (compiled from Altair at
 * build time). Controls bound to chart parameters are placed under the chart by Vega itself,
 * so they work with no kernel and no network. A chart that fails says so in the page and in
 * the console (the browser tests count console errors). */
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

  function drawChart(figure) {
    var spec;
    try {
      spec = JSON.parse(figure.querySelector("script.mbcbook-chart-spec").textContent);
    } catch (error) {
      showError(figure, error);
      return;
    }
    var view = new vega.View(vega.parse(spec), {
      renderer: "svg",
      container: figure.querySelector(".mbcbook-chart-view"),
      bind: figure.querySelector(".mbcbook-chart-controls"),
      hover: true
    });
    figure.mbcbookView = view;
    view.runAsync().then(function () {
      var holder = figure.querySelector(".mbcbook-chart-view");
      holder.style.minHeight = "";
      // The chart's description (its text alternative) becomes the accessible name of the SVG.
      var svg = holder.querySelector("svg");
      if (svg && spec.description) {
        svg.setAttribute("role", "graphics-document document");
        svg.setAttribute("aria-roledescription", "chart");
        svg.setAttribute("aria-label", spec.description);
      }
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
