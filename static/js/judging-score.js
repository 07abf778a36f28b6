/* Keyboard scoring for the judging score sheet (progressive enhancement:
 * the form works without this file).
 *
 * - A digit typed anywhere on the page (outside a text box) goes into the
 *   first empty points field.
 * - When a points field holds a value that no further digit could extend
 *   (e.g. "4" when the maximum is 10, or "10"), focus moves to the next
 *   field; after the last one, to the "Save and next" button, so Enter saves.
 * - Enter in any points field saves and goes to the next drawing (native
 *   implicit submission with the form's first button).
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-score-sheet]");
  if (!form) { return; }
  var fields = Array.prototype.slice.call(form.querySelectorAll("input.points:not([disabled])"));
  if (!fields.length) { return; }
  var submit = form.querySelector("button[type=submit]");

  function complete(input) {
    var max = parseFloat(input.getAttribute("data-max"));
    var value = input.value;
    if (value === "" || isNaN(parseFloat(value))) { return false; }
    if (input.getAttribute("step") === "0.5" && value.indexOf(".") === -1 && parseFloat(value) < max) {
      return false; /* "3" may still become "3.5" */
    }
    if (value.indexOf(".") !== -1) { return value.split(".")[1].length > 0; }
    return parseFloat(value) * 10 > max;
  }

  function advance(input) {
    var index = fields.indexOf(input);
    var next = fields[index + 1];
    if (next) { next.focus(); next.select(); } else if (submit) { submit.focus(); }
  }

  fields.forEach(function (input) {
    input.addEventListener("input", function () {
      if (complete(input)) { advance(input); }
    });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (/^[0-9]$/.test(event.key)) {
      var empty = fields.filter(function (f) { return f.value === ""; })[0] || fields[0];
      empty.focus();
      /* the browser then types the digit into the focused field */
    }
  });

  var firstEmpty = fields.filter(function (f) { return f.value === ""; })[0];
  if (firstEmpty && !document.querySelector(".error-summary, .errorlist")) { firstEmpty.focus(); }
}());
