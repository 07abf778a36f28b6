/* Moderation with the keyboard (templates/contest/moderation.html).
 * j / ArrowDown: next entry; k / ArrowUp: previous entry;
 * a: approve the current entry; r: reject it (the reason picker gets the
 * focus; Enter there sends the rejection); o: show its drawing large
 * (Esc closes). Keys typed into a field are left alone. Without this
 * script every entry keeps its own buttons and the page works as a form. */
(function () {
  "use strict";
  var form = document.querySelector("[data-moderation]");
  if (!form) { return; }
  var entries = Array.prototype.slice.call(form.querySelectorAll("[data-entry]"));
  var help = document.querySelector("[data-keys-help]");
  if (help && entries.length) { help.hidden = false; }
  var dialog = document.querySelector("[data-large]");
  var current = -1;

  function focusEntry(i) {
    if (!entries.length) { return; }
    current = Math.max(0, Math.min(entries.length - 1, i));
    entries.forEach(function (e, n) { e.classList.toggle("is-current", n === current); });
    entries[current].focus();
    entries[current].scrollIntoView({block: "nearest"});
  }

  function entryOf(node) {
    for (var i = 0; i < entries.length; i++) { if (entries[i].contains(node)) { return i; } }
    return -1;
  }

  function openLarge(link) {
    if (!dialog || !link || typeof dialog.showModal !== "function") { if (link) { window.location = link.href; } return; }
    /* Made here, not in the page: an image without a source reads as broken. */
    var img = dialog.querySelector("[data-large-image]");
    if (!img) {
      img = document.createElement("img");
      img.className = "lightbox-image";
      img.setAttribute("data-large-image", "");
      dialog.querySelector("[data-large-figure]").appendChild(img);
    }
    img.src = link.href;
    img.alt = link.getAttribute("data-alt") || "";
    dialog.querySelector("[data-large-title]").textContent = link.getAttribute("data-alt") || "";
    dialog.showModal();
  }

  form.addEventListener("click", function (event) {
    var link = event.target.closest("[data-open-large]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) { event.preventDefault(); openLarge(link); }
  });
  if (dialog) {
    dialog.querySelector("[data-large-close]").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { if (current >= 0) { entries[current].focus(); } });
  }

  form.addEventListener("focusin", function (event) {
    var i = entryOf(event.target);
    if (i >= 0 && i !== current) {
      current = i;
      entries.forEach(function (e, n) { e.classList.toggle("is-current", n === current); });
    }
  });

  /* Enter in a reason picker sends that entry's rejection. */
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-reason]")) {
      event.preventDefault();
      var reject = entries[entryOf(event.target)].querySelector("[data-reject]");
      if (reject) { reject.click(); }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !entries.length) { return; }
    if (dialog && dialog.open) { return; }
    var t = event.target;
    if (t.matches && t.matches("input, select, textarea, [contenteditable]")) { return; }
    var i = current >= 0 ? current : entryOf(t);
    var key = event.key;
    if (key === "j" || key === "ArrowDown") { event.preventDefault(); focusEntry(i < 0 ? 0 : i + 1); }
    else if (key === "k" || key === "ArrowUp") { event.preventDefault(); focusEntry(i < 0 ? 0 : i - 1); }
    else if (key === "a") {
      event.preventDefault();
      if (i < 0) { focusEntry(0); i = 0; }
      var approve = entries[i].querySelector("[data-approve]");
      if (approve) { approve.click(); }
    } else if (key === "r") {
      event.preventDefault();
      if (i < 0) { focusEntry(0); i = 0; }
      var reason = entries[i].querySelector("[data-reason]");
      if (reason) { reason.focus(); }
    } else if (key === "o") {
      event.preventDefault();
      if (i < 0) { focusEntry(0); i = 0; }
      openLarge(entries[i].querySelector("[data-open-large]"));
    }
  });

  /* After a decision the page comes back at the next entry (#entry-<id>). */
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target && entries.indexOf(target) >= 0) { focusEntry(entries.indexOf(target)); }
}());
