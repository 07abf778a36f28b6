/* Keyboard scoring and kept drafts for the judging score sheets
 * (progressive enhancement: the forms work without this file).
 *
 * - A digit typed anywhere on the page (outside a text box) goes into the
 *   first empty points field (the first field on a scored sheet); a points
 *   field's value is selected on focus, so a digit replaces it.
 * - When a points field holds a value that no further digit could extend
 *   (e.g. "4" when the maximum is 10, or "10"), focus moves to the next
 *   field; after the last one, to the "Save and next" button, so Enter saves.
 * - Up/Down arrows in a points field give one point (or half a point) more
 *   or less, between 0 and the maximum; the focus stays.
 * - Enter in any points field saves and goes to the next unscored drawing
 *   (native implicit submission with the form's first button).
 * - On the entry's sheet ([data-sheet]): N and P open the next and previous
 *   drawing of the list, Z the zoom (static/js/judging-zoom.js), ? the list
 *   of shortcuts (a <dialog> of the page); Esc closes them.
 * - A sheet with [data-draft-key] keeps every unsaved change in
 *   localStorage under that key (one judge, contest and entry) and restores
 *   it on the next visit with a visible notice and a way to discard it. The
 *   page after a successful save names the saved sheet's key
 *   ([data-clear-draft]) and the draft goes.
 */
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  /* The sheet saved just before this page: its draft is no longer needed. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (node) {
    var key = node.getAttribute("data-clear-draft");
    var store = storage();
    if (key && store) { store.removeItem(key); }
  });

  var sheet = document.querySelector("[data-sheet]");
  var helpDialog = document.getElementById("sheet-help");
  var helpButton = document.querySelector("[data-help-open]");
  var zoomLink = document.querySelector("[data-zoom]");

  function openHelp() {
    if (helpDialog && typeof helpDialog.showModal === "function" && !helpDialog.open) { helpDialog.showModal(); }
  }
  if (helpButton && helpDialog && typeof helpDialog.showModal === "function") {
    helpButton.hidden = false;
    helpButton.addEventListener("click", openHelp);
  }

  var form = document.querySelector("[data-score-sheet]");
  var fields = form ? Array.prototype.slice.call(form.querySelectorAll("input.points:not([disabled])")) : [];
  var submit = form ? form.querySelector("button[type=submit]") : null;
  var stepping = false;

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

  function step(input, direction) {
    var max = parseFloat(input.getAttribute("data-max"));
    var size = input.getAttribute("step") === "0.5" ? 0.5 : 1;
    var current = parseFloat(input.value);
    var value = isNaN(current) ? (direction > 0 ? 0 : max) : current + direction * size;
    value = Math.min(max, Math.max(0, value));
    input.value = String(value);
    stepping = true;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    stepping = false;
  }

  fields.forEach(function (input) {
    input.addEventListener("input", function () {
      if (!stepping && complete(input)) { advance(input); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "ArrowUp" || event.key === "ArrowDown") {
        event.preventDefault();
        step(input, event.key === "ArrowUp" ? 1 : -1);
      }
    });
  });

  /* Drafts: every named field of the form but the CSRF token. */
  var draftKey = form && form.getAttribute("data-draft-key");
  var store = storage();
  var notice = document.querySelector("[data-draft-notice]");
  var kept = form ? Array.prototype.slice.call(form.querySelectorAll("input.points, textarea"))
    .filter(function (node) { return node.name && !node.disabled; }) : [];
  var initial = {};
  kept.forEach(function (node) { initial[node.name] = node.value; });

  function current() {
    var values = {};
    kept.forEach(function (node) { values[node.name] = node.value; });
    return values;
  }
  function differs(values) {
    return kept.some(function (node) { return (values[node.name] || "") !== (initial[node.name] || ""); });
  }
  function keepDraft() {
    if (!draftKey || !store) { return; }
    var values = current();
    try {
      if (differs(values)) {
        store.setItem(draftKey, JSON.stringify({ values: values, at: Date.now() }));
      } else {
        store.removeItem(draftKey);
      }
    } catch (e) { /* storage full or refused: the form still works */ }
  }
  if (draftKey && store) {
    var saved = null;
    try { saved = JSON.parse(store.getItem(draftKey) || "null"); } catch (e) { saved = null; }
    if (saved && saved.values && differs(saved.values)) {
      kept.forEach(function (node) {
        if (Object.prototype.hasOwnProperty.call(saved.values, node.name)) { node.value = saved.values[node.name]; }
      });
      if (notice) { notice.hidden = false; }
    } else if (saved) {
      store.removeItem(draftKey);
    }
    kept.forEach(function (node) { node.addEventListener("input", keepDraft); });
    var discard = document.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        kept.forEach(function (node) { node.value = initial[node.name]; });
        store.removeItem(draftKey);
        if (notice) { notice.hidden = true; }
        if (fields[0]) { fields[0].focus(); }
      });
    }
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { keepDraft(); window.location.href = link.href; }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (document.querySelector("dialog[open]")) { return; } /* the dialogs handle their own keys */
    var target = event.target;
    var inPoints = !!(target && target.matches && target.matches("input.points"));
    var typing = !inPoints && target && (
      target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (typing) { return; }
    if (sheet && event.key === "?") {
      event.preventDefault();
      openHelp();
    } else if (sheet && event.code === "KeyN" && !event.shiftKey) {
      event.preventDefault();
      follow("[data-key-next]");
    } else if (sheet && event.code === "KeyP" && !event.shiftKey) {
      event.preventDefault();
      follow("[data-key-previous]");
    } else if (sheet && event.code === "KeyZ" && !event.shiftKey && zoomLink) {
      event.preventDefault();
      zoomLink.click();
    } else if (!inPoints && fields.length && /^[0-9]$/.test(event.key)) {
      var empty = fields.filter(function (f) { return f.value === ""; })[0] || fields[0];
      empty.focus();
      /* the browser then types the digit into the focused field, in place
         of what it held (selected on focus, below) */
    }
  });

  /* A points field reached by the keyboard has its value selected, so a
     digit typed on a scored sheet replaces the saved points ("6" over "4"
     gives 6, not 46). */
  fields.forEach(function (field) {
    field.addEventListener("focus", function () {
      try { field.select(); } catch (e) { /* a field that cannot select */ }
    });
  });

  var firstEmpty = fields.filter(function (f) { return f.value === ""; })[0];
  if (firstEmpty && !document.querySelector(".error-summary, .errorlist")) { firstEmpty.focus(); }
}());
