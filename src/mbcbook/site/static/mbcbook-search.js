/* mbcbook: search that works when the offline copy is opened from the disk (file://).
 *
 * Sphinx's search fetches every result's page to show a summary under it. A page opened from
 * the disk may not fetch other files, so each result would log an error and show no summary.
 * From the disk, results are listed with their titles only; from any web server, as usual. */
(function () {
  "use strict";
  // DOCUMENTATION_OPTIONS is a top-level const of documentation_options.js: a global binding,
  // not a property of window, and its object can be changed.
  if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }
})();
