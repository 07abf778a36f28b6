/* The zoom viewer of the score sheet (progressive enhancement: without this
 * file, or without <dialog>, the zoom link opens the large image itself).
 *
 * - Activating [data-zoom] (click, Enter, or Z: static/js/judging-score.js)
 *   opens a full-screen modal <dialog> with the drawing fitted to it: the
 *   display image at once, the larger zoom image (href) as soon as it has
 *   arrived.
 * - Wheel or pinch zooms around the pointer; dragging (mouse, pen, one
 *   finger) moves the drawing; a double click switches between fit and 1:1.
 * - Keys: + and − zoom, arrows move, F fits, 1 shows one image pixel per
 *   screen pixel, Esc closes; focus goes back to the zoom link.
 * - The buttons' names are translated strings from the link's data-label-*
 *   attributes; no text lives in this file.
 */
(function () {
  "use strict";
  var link = document.querySelector("[data-zoom]");
  if (!link || typeof HTMLDialogElement === "undefined") { return; }
  var labels = link.dataset;
  var naturalWidth = parseInt(labels.zoomWidth, 10) || 0;
  var naturalHeight = parseInt(labels.zoomHeight, 10) || 0;
  var MAX_SCALE = 8;

  function make(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var dialog = make("dialog", { "class": "zoom-viewer", "aria-label": labels.labelTitle || "" });
  var bar = make("div", { "class": "zoom-bar" });
  var hint = make("p", { "class": "zoom-hint" }, labels.labelHelp);
  var zoomOut = make("button", { type: "button", "aria-label": labels.labelZoomOut || "-" }, "\u2212");
  var zoomIn = make("button", { type: "button", "aria-label": labels.labelZoomIn || "+" }, "+");
  var fitButton = make("button", { type: "button" }, labels.labelFit);
  var actualButton = make("button", { type: "button" }, labels.labelActual);
  var closeButton = make("button", { type: "button", "class": "zoom-close" }, labels.labelClose);
  var stage = make("div", { "class": "zoom-stage" });
  var image = make("img", { "class": "zoom-image", alt: labels.labelTitle || "", draggable: "false" });
  bar.append(hint, zoomOut, zoomIn, fitButton, actualButton, closeButton);
  stage.append(image);
  dialog.append(bar, stage);

  var view = { x: 0, y: 0, scale: 1, fitted: true };

  function size() {
    return { w: naturalWidth || image.naturalWidth || 1, h: naturalHeight || image.naturalHeight || 1 };
  }
  function fitScale() {
    var s = size();
    return Math.min(stage.clientWidth / s.w, stage.clientHeight / s.h);
  }
  function apply() {
    image.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
  }
  function centreAt(scale) {
    var s = size();
    view.scale = scale;
    view.x = (stage.clientWidth - s.w * scale) / 2;
    view.y = (stage.clientHeight - s.h * scale) / 2;
    apply();
  }
  function fit() { view.fitted = true; centreAt(fitScale()); }
  function actual() { view.fitted = false; zoomAt(1 / view.scale, stage.clientWidth / 2, stage.clientHeight / 2); }
  function zoomAt(factor, cx, cy) {
    var scale = Math.min(MAX_SCALE, Math.max(Math.min(1, fitScale() / 2), view.scale * factor));
    factor = scale / view.scale;
    view.x = cx - (cx - view.x) * factor;
    view.y = cy - (cy - view.y) * factor;
    view.scale = scale;
    view.fitted = false;
    apply();
  }
  function move(dx, dy) { view.x += dx; view.y += dy; view.fitted = false; apply(); }

  function open() {
    if (!dialog.isConnected) { document.body.append(dialog); }
    var s = size();
    image.style.width = s.w + "px";
    image.style.height = s.h + "px";
    if (!image.getAttribute("src")) {
      image.src = labels.previewSrc || link.href;
      if (labels.previewSrc && labels.previewSrc !== link.href) {
        var large = new Image();
        large.onload = function () { image.src = link.href; };
        large.src = link.href;
      }
    }
    dialog.showModal();
    fit();
    closeButton.focus();
  }

  link.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    open();
  });
  closeButton.addEventListener("click", function () { dialog.close(); });
  fitButton.addEventListener("click", fit);
  actualButton.addEventListener("click", actual);
  zoomIn.addEventListener("click", function () { zoomAt(1.25, stage.clientWidth / 2, stage.clientHeight / 2); });
  zoomOut.addEventListener("click", function () { zoomAt(0.8, stage.clientWidth / 2, stage.clientHeight / 2); });
  window.addEventListener("resize", function () { if (dialog.open && view.fitted) { fit(); } });

  function point(event) {
    var box = stage.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  stage.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event);
    zoomAt(Math.exp(-event.deltaY * 0.0015), p.x, p.y);
  }, { passive: false });

  stage.addEventListener("dblclick", function (event) {
    var p = point(event);
    if (view.fitted || view.scale < 1) {
      zoomAt(1 / view.scale, p.x, p.y);
    } else {
      fit();
    }
  });

  /* Pointers: one drags, two pinch (distance and midpoint). */
  var pointers = new Map();
  var pinch = null;
  function pair() {
    var ps = Array.from(pointers.values());
    return {
      distance: Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y),
      x: (ps[0].x + ps[1].x) / 2,
      y: (ps[0].y + ps[1].y) / 2
    };
  }
  stage.addEventListener("pointerdown", function (event) {
    stage.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, point(event));
    stage.classList.add("dragging");
    pinch = pointers.size === 2 ? pair() : null;
  });
  stage.addEventListener("pointermove", function (event) {
    if (!pointers.has(event.pointerId)) { return; }
    var before = pointers.get(event.pointerId);
    var now = point(event);
    pointers.set(event.pointerId, now);
    if (pointers.size === 1) {
      move(now.x - before.x, now.y - before.y);
    } else if (pointers.size === 2 && pinch) {
      var next = pair();
      move(next.x - pinch.x, next.y - pinch.y);
      if (pinch.distance > 0) { zoomAt(next.distance / pinch.distance, next.x, next.y); }
      pinch = next;
    }
  });
  function release(event) {
    pointers.delete(event.pointerId);
    pinch = pointers.size === 2 ? pair() : null;
    if (!pointers.size) { stage.classList.remove("dragging"); }
  }
  stage.addEventListener("pointerup", release);
  stage.addEventListener("pointercancel", release);

  dialog.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var cx = stage.clientWidth / 2;
    var cy = stage.clientHeight / 2;
    var handled = true;
    if (event.key === "+" || event.key === "=") {
      zoomAt(1.25, cx, cy);
    } else if (event.key === "-" || event.key === "\u2212") {
      zoomAt(0.8, cx, cy);
    } else if (event.code === "KeyF") {
      fit();
    } else if (event.key === "1" || event.code === "Digit1") {
      actual();
    } else if (event.key === "ArrowLeft") {
      move(60, 0);
    } else if (event.key === "ArrowRight") {
      move(-60, 0);
    } else if (event.key === "ArrowUp") {
      move(0, 60);
    } else if (event.key === "ArrowDown") {
      move(0, -60);
    } else {
      handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  dialog.addEventListener("close", function () { link.focus(); });
}());
