/* Polling while a request runs, without eval (the CSP forbids it, so htmx trigger filters such
 * as `every 500ms [cond]` cannot be used). An element with data-poll-while-busy="MS" and
 * hx-trigger="poll" is sent the htmx event "poll" every MS milliseconds while it carries the
 * class htmx-request, i.e. while the request it is the indicator of is running (the registry
 * import's progress bar, templates/registry/import_detail.html). */
(function () {
  "use strict";

  if (window.hoptacBusyPoll) { return; } // a boosted page load runs this file again
  window.hoptacBusyPoll = true;

  var timers = new WeakMap();

  function start(element) {
    if (timers.has(element)) { return; }
    var every = parseInt(element.dataset.pollWhileBusy, 10) || 500;
    timers.set(element, window.setInterval(function () {
      if (!element.isConnected) {
        window.clearInterval(timers.get(element));
        timers.delete(element);
      } else if (element.classList.contains("htmx-request")) {
        htmx.trigger(element, "poll");
      }
    }, every));
  }

  function startAll(root) {
    (root || document).querySelectorAll("[data-poll-while-busy]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { startAll(); });
  } else { // loaded by a boosted navigation, after the page itself
    startAll();
  }
  document.addEventListener("htmx:load", function (event) { startAll(event.target); });
})();
