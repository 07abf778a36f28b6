/* A moderator's page "The drawing" (templates/contest/entry_drawing.html).
 * Corners: four round handles over the photo, dragged with a finger, a pen
 * or the mouse (pointer events), or moved with the arrow keys once focused
 * (Shift: bigger steps); they move the page's number inputs, which are the
 * form without this script. Each handle is a ring around a crosshair, the
 * photo visible through it. Hidden regions: drag over the drawing to draw
 * one, remove one from the list (which takes the place of the page's own),
 * save; a region the check found is added and saved in one click. No framework, no inline script (CSP). */
(function () {
  "use strict";
  var words = document.querySelector("[data-editor-words]");
  function word(name) { return words ? words.getAttribute("data-" + name) || "" : ""; }
  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
  function round(v) { return Math.round(v * 10000) / 10000; }
  /* The browser's own dragging of a picture would cancel the pointer. */
  Array.prototype.forEach.call(document.querySelectorAll(".drawing-frame img"), function (img) {
    img.draggable = false;
    img.addEventListener("dragstart", function (event) { event.preventDefault(); });
  });
  function pointIn(frame, event) {
    var img = frame.querySelector("img");
    var r = img.getBoundingClientRect();
    return {x: clamp((event.clientX - r.left) / r.width, 0, 1), y: clamp((event.clientY - r.top) / r.height, 0, 1)};
  }

  /* Corners. */
  var cornerFrame = document.querySelector("[data-corner-frame]");
  var cornerForm = document.querySelector("[data-corner-form]");
  if (cornerFrame && cornerForm) {
    var outline = cornerFrame.querySelector("[data-corner-outline]");
    var keys = ["tl", "tr", "br", "bl"];
    var inputs = keys.map(function (k) {
      return {x: cornerForm.querySelector("[name=" + k + "_x]"), y: cornerForm.querySelector("[name=" + k + "_y]")};
    });
    var handles = [];
    var help = document.querySelector("[data-corner-help]");
    if (help) { help.hidden = false; }
    var value = function (input) { var v = parseFloat(input.value); return isNaN(v) ? 0 : clamp(v, 0, 100); };
    var draw = function () {
      var points = [];
      inputs.forEach(function (pair, i) {
        var x = value(pair.x), y = value(pair.y);
        handles[i].style.left = x + "%";
        handles[i].style.top = y + "%";
        handles[i].setAttribute("aria-label", word(keys[i]) + ": " + Math.round(x) + " %, " + Math.round(y) + " %");
        points.push(x + "," + y);
      });
      if (outline) { outline.setAttribute("points", points.join(" ")); }
    };
    var move = function (i, x, y) {
      inputs[i].x.value = (Math.round(clamp(x, 0, 100) * 10) / 10).toString();
      inputs[i].y.value = (Math.round(clamp(y, 0, 100) * 10) / 10).toString();
      draw();
    };
    keys.forEach(function (k, i) {
      var handle = document.createElement("button");
      handle.type = "button";
      handle.className = "corner-handle";
      handle.setAttribute("aria-label", word(k));
      handle.setAttribute("data-corner-handle", k);
      if (help) { handle.setAttribute("aria-describedby", help.id || ""); }
      handle.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        handle.classList.add("is-dragging");
        handle.focus();
      });
      handle.addEventListener("pointermove", function (event) {
        if (!handle.hasPointerCapture(event.pointerId)) { return; }
        var p = pointIn(cornerFrame, event);
        move(i, p.x * 100, p.y * 100);
      });
      var stop = function (event) {
        if (handle.hasPointerCapture(event.pointerId)) { handle.releasePointerCapture(event.pointerId); }
        handle.classList.remove("is-dragging");
      };
      handle.addEventListener("pointerup", stop);
      handle.addEventListener("pointercancel", stop);
      handle.addEventListener("keydown", function (event) {
        var step = event.shiftKey ? 5 : 0.5;
        var dx = {ArrowLeft: -step, ArrowRight: step}[event.key] || 0;
        var dy = {ArrowUp: -step, ArrowDown: step}[event.key] || 0;
        if (!dx && !dy) { return; }
        event.preventDefault();
        move(i, value(inputs[i].x) + dx, value(inputs[i].y) + dy);
      });
      cornerFrame.appendChild(handle);
      handles.push(handle);
    });
    inputs.forEach(function (pair) {
      pair.x.addEventListener("input", draw);
      pair.y.addEventListener("input", draw);
    });
    draw();
  }

  /* Hidden regions. */
  var maskFrame = document.querySelector("[data-mask-frame]");
  var maskForm = document.querySelector("[data-mask-form]");
  if (!maskFrame || !maskForm) { return; }
  var field = maskForm.querySelector("[data-mask-input]");
  var list = maskForm.querySelector("[data-mask-list]");
  var itemTemplate = document.querySelector("[data-mask-item]");
  var masks = [];
  try { masks = JSON.parse(field.value || "[]"); } catch (e) { masks = []; }
  maskForm.hidden = false;
  var maskHelp = document.querySelector("[data-mask-help]");
  if (maskHelp) { maskHelp.hidden = false; }
  /* The list below, kept by this script, replaces the page's own (one form
   * a region, for browsers without it): each region is listed once. */
  var savedList = document.querySelector("[data-saved-mask-list]");
  if (savedList) { savedList.hidden = true; }
  var empty = maskForm.querySelector("[data-mask-empty]");
  Array.prototype.forEach.call(maskFrame.querySelectorAll("[data-saved-mask]"), function (n) { n.remove(); });
  var boxes = [];
  var place = function (node, m) {
    node.style.left = (m.x * 100) + "%";
    node.style.top = (m.y * 100) + "%";
    node.style.width = (m.w * 100) + "%";
    node.style.height = (m.h * 100) + "%";
  };
  var render = function () {
    field.value = JSON.stringify(masks);
    boxes.forEach(function (n) { n.remove(); });
    boxes = masks.map(function (m) {
      var n = document.createElement("span");
      n.className = "drawing-box drawing-box-mask";
      place(n, m);
      maskFrame.appendChild(n);
      return n;
    });
    list.textContent = "";
    if (empty) { empty.hidden = masks.length > 0; }
    masks.forEach(function (m, i) {
      var item = itemTemplate.content.firstElementChild.cloneNode(true);
      item.querySelector("[data-mask-label]").textContent =
        word("region") + " " + (i + 1) + " · " + (m.style === "blur" ? word("blurred") : word("filled"));
      item.querySelector("[data-mask-remove]").addEventListener("click", function () {
        masks.splice(i, 1);
        render();
      });
      list.appendChild(item);
    });
  };
  var style = function () {
    var chosen = maskForm.querySelector("[data-mask-style]:checked");
    return chosen ? chosen.value : "blur";
  };
  var start = null, ghost = null;
  maskFrame.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    event.preventDefault();
    maskFrame.setPointerCapture(event.pointerId);
    start = pointIn(maskFrame, event);
    ghost = document.createElement("span");
    ghost.className = "drawing-box drawing-box-new";
    maskFrame.appendChild(ghost);
  });
  var box = function (event) {
    var p = pointIn(maskFrame, event);
    var x = Math.min(start.x, p.x), y = Math.min(start.y, p.y);
    return {x: round(x), y: round(y), w: round(Math.abs(p.x - start.x)), h: round(Math.abs(p.y - start.y))};
  };
  maskFrame.addEventListener("pointermove", function (event) {
    if (start && ghost) { place(ghost, box(event)); }
  });
  var finish = function (event) {
    if (!start) { return; }
    var b = box(event);
    start = null;
    if (ghost) { ghost.remove(); ghost = null; }
    if (b.w >= 0.01 && b.h >= 0.01 && b.x < 1 && b.y < 1) {
      b.style = style();
      masks.push(b);
      render();
    }
  };
  maskFrame.addEventListener("pointerup", finish);
  maskFrame.addEventListener("pointercancel", function () { start = null; if (ghost) { ghost.remove(); ghost = null; } });
  Array.prototype.forEach.call(document.querySelectorAll("[data-add-suggestion]"), function (button) {
    button.addEventListener("click", function (event) {
      var all;
      try { all = JSON.parse(button.getAttribute("data-add-suggestion")); } catch (e) { return; }
      event.preventDefault();
      masks.push(all[all.length - 1]);
      render();
      maskForm.querySelector("[name=masks_save]").click();
    });
  });
  render();
}());
