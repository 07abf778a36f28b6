// Contest setup: the time zone named beside each date and time follows the
// zone chosen in the same form before it is saved ("Asia/Tashkent
// (UTC+05:00)"); the server reads the typed times in that zone too.
(function () {
  "use strict";
  var LABEL = /[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+ \(UTC[+-]\d\d:\d\d\)/;

  function offset(zone) {
    try {
      var parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date());
      var name = parts.filter(function (p) { return p.type === "timeZoneName"; })[0].value;
      var match = /GMT([+-]\d\d:\d\d)/.exec(name);
      return match ? "UTC" + match[1] : "UTC+00:00";
    } catch (e) {
      return null;
    }
  }

  function update(select) {
    var text = offset(select.value);
    if (!text) { return; }
    document.querySelectorAll("input[data-zoned]").forEach(function (input) {
      var help = document.getElementById(input.id + "_helptext");
      if (help) { help.textContent = help.textContent.replace(LABEL, select.value + " (" + text + ")"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("form.setup-form select[name=timezone]");
    if (select) { select.addEventListener("change", function () { update(select); }); }
  });
})();
