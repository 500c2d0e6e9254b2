/* The launch menu's "JupyterHub" entry when the book names no hub (mbcbook/site/launch.py):
   ask for the reader's own hub once, keep it in this browser, and open the chapter's reader
   notebook there through nbgitpuller. */
(function () {
  "use strict";
  var PREFIX = "#mbcbook-jupyterhub?";
  var KEY = "mbcbook-jupyterhub";

  function hubAddress() {
    var known = "";
    try { known = window.localStorage.getItem(KEY) || ""; } catch (e) { /* storage off: ask each time */ }
    var typed = window.prompt("Address of your JupyterHub (for example https://hub.example.org); " +
                              "it needs nbgitpuller installed:", known);
    if (typed === null) { return null; }
    typed = typed.trim().replace(/\/+$/, "");
    if (!/^https?:\/\/[^\s/]+/.test(typed)) {
      window.alert("A JupyterHub address starts with https:// (or http://), got \"" + typed + "\".");
      return null;
    }
    try { window.localStorage.setItem(KEY, typed); } catch (e) { /* nothing to keep it in */ }
    return typed;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='" + PREFIX + "']") : null;
    if (!link) { return; }
    event.preventDefault();
    var hub = hubAddress();
    if (hub) {
      window.open(hub + "/hub/user-redirect/git-pull?" + link.getAttribute("href").slice(PREFIX.length), "_blank");
    }
  });
})();
