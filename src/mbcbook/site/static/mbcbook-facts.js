// Notes on the figures pasted from data/ (mbcbook.site.facts). Without this script a note shows
// under its figure on hover and focus (CSS). With it, the note is placed in the window itself:
// - below the figure, or above it when the window has no room below (a figure Tab has just
//   scrolled to the bottom edge);
// - moved left or right so that it stays inside the window, on a phone too;
// - never cut off by the box or the scrolling table the figure sits in (it is fixed to the window).
// Escape hides the note that is showing, as WCAG 1.4.13 asks of content shown on hover or focus;
// it comes back when the pointer or the focus returns to the figure.
(function () {
  "use strict";
  var DISMISSED = "mbcbook-fact-dismissed";
  var MARGIN = 8; // px kept between a note and the edge of the window
  var shown = null;

  function place(fact) {
    var note = fact.querySelector(".mbcbook-fact-note");
    if (!note) return;
    var view = document.documentElement;
    note.style.position = "fixed";
    note.style.right = "auto";
    note.style.maxWidth = Math.min(352, view.clientWidth - 2 * MARGIN) + "px";
    var figure = fact.getBoundingClientRect();
    var box = note.getBoundingClientRect();
    var left = Math.min(Math.max(MARGIN, figure.left), view.clientWidth - box.width - MARGIN);
    var below = figure.bottom + 4;
    var top = below + box.height + MARGIN <= view.clientHeight ? below : figure.top - box.height - 4;
    note.style.left = Math.max(MARGIN, left) + "px";
    note.style.top = Math.max(MARGIN, top) + "px";
  }

  function show(event) {
    var fact = event.target.closest && event.target.closest(".mbcbook-fact");
    if (!fact) return;
    fact.classList.remove(DISMISSED);
    shown = fact;
    place(fact);
  }

  document.addEventListener("mouseover", show);
  document.addEventListener("focusin", show);
  // A fixed note follows its figure when the page or a table scrolls under it.
  document.addEventListener("scroll", function () { if (shown) place(shown); }, true);
  window.addEventListener("resize", function () { if (shown) place(shown); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".mbcbook-fact:hover, .mbcbook-fact:focus").forEach(function (fact) {
      fact.classList.add(DISMISSED);
    });
  });
})();
