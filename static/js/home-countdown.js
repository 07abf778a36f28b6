/* Home page: the time left until the open contest closes, in days, hours
 * and minutes, updated every few seconds. Progressive enhancement: the
 * closing date and time stand in the page's text; without this file the
 * countdown stays hidden. No text lives here: the units are in the page.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) { return; }
  var deadline = Date.parse(box.getAttribute("data-deadline"));
  if (isNaN(deadline)) { return; }
  var parts = {
    days: box.querySelector('[data-unit="days"]'),
    hours: box.querySelector('[data-unit="hours"]'),
    minutes: box.querySelector('[data-unit="minutes"]')
  };
  var timer = null;

  function show() {
    var left = Math.max(0, deadline - Date.now());
    var minutes = Math.ceil(left / 60000);
    parts.days.textContent = String(Math.floor(minutes / 1440));
    parts.hours.textContent = String(Math.floor((minutes % 1440) / 60));
    parts.minutes.textContent = String(minutes % 60);
    if (left === 0 && timer !== null) {
      window.clearInterval(timer);
      box.classList.add("countdown-over");
    }
  }

  show();
  box.hidden = false;
  timer = window.setInterval(show, 15000);
}());
