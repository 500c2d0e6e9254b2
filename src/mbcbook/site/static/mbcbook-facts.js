// Notes on the figures pasted from data/ (mbcbook.site.facts) appear on hover and focus (CSS).
// Escape hides the note that is showing, as WCAG 1.4.13 asks of content shown on hover or focus;
// it comes back when the pointer or the focus returns to the figure. A note that would run past
// the right edge of the window (a figure at the end of a line, a phone) is aligned to the right.
(function () {
  "use strict";
  var DISMISSED = "mbcbook-fact-dismissed";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".mbcbook-fact:hover, .mbcbook-fact:focus").forEach(function (fact) {
      fact.classList.add(DISMISSED);
    });
  });
  function restore(event) {
    var fact = event.target.closest && event.target.closest(".mbcbook-fact");
    if (!fact) return;
    fact.classList.remove(DISMISSED);
    var note = fact.querySelector(".mbcbook-fact-note");
    if (!note) return;
    note.style.left = "";
    note.style.right = "";
    window.requestAnimationFrame(function () {
      var box = note.getBoundingClientRect();
      if (box.right > document.documentElement.clientWidth - 8) {
        note.style.left = "auto";
        note.style.right = "0";
      }
    });
  }
  document.addEventListener("focusin", restore);
  document.addEventListener("mouseover", restore);
})();
