/* The receipt and the guardian's page: while the drawing's picture is being
 * prepared by the worker (data-drawing with data-pending), fetch the same
 * page again every five seconds, for two minutes at most, and put its
 * drawing block in place of this one once the picture is ready (or the
 * worker gave up). Progressive enhancement: without this file, reloading the
 * page shows the same. No text lives here: the block comes from the server.
 */
(function () {
  "use strict";
  var DELAY = 5000;
  var TRIES = 24;
  var tries = 0;

  function block() { return document.querySelector("[data-drawing]"); }

  function poll() {
    tries += 1;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-drawing]");
        var current = block();
        if (fresh && current && !fresh.hasAttribute("data-pending")) {
          current.replaceWith(document.importNode(fresh, true));
          return;
        }
        if (tries < TRIES) { window.setTimeout(poll, DELAY); }
      })
      .catch(function () { if (tries < TRIES) { window.setTimeout(poll, DELAY * 2); } });
  }

  var start = block();
  if (start && start.hasAttribute("data-pending") && window.fetch && window.DOMParser) {
    window.setTimeout(poll, DELAY);
  }
}());
