/* Exports page: while an export is waiting or being made, ask the status
 * endpoint (data-export-status, JSON) every two seconds and update each
 * row's status, progress bar and download link; stop when none is pending.
 * Progressive enhancement: without this file, reloading the page shows the
 * same. No text lives here: the link's name comes from data-label-download.
 */
(function () {
  "use strict";
  var table = document.querySelector("[data-export-status]");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-export-status");
  var label = table.getAttribute("data-label-download");
  var DELAY = 2000;

  function pending() { return table.querySelector("[data-export-pending]") !== null; }

  function update(row, item) {
    var status = row.querySelector('[data-export-field="status"]');
    var progress = row.querySelector('[data-export-field="progress"]');
    var file = row.querySelector('[data-export-field="file"]');
    status.textContent = item.error ? item.status_label + ": " + item.error : item.status_label;
    progress.value = item.progress;
    progress.textContent = item.progress + "%";
    if (item.download_url && !file.querySelector("a")) {
      var link = document.createElement("a");
      link.href = item.download_url;
      link.setAttribute("download", "");
      link.textContent = label;
      file.appendChild(link);
    }
    if (item.status === "queued" || item.status === "running") {
      row.setAttribute("data-export-pending", "");
    } else {
      row.removeAttribute("data-export-pending");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.exports.forEach(function (item) {
          var row = table.querySelector('[data-export-id="' + item.id + '"]');
          if (row) { update(row, item); }
        });
        if (pending()) { window.setTimeout(poll, DELAY); }
      })
      .catch(function () { window.setTimeout(poll, DELAY * 5); });
  }

  if (pending()) { window.setTimeout(poll, DELAY); }
}());
