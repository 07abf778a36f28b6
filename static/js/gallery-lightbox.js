/* Lightbox for the winners' gallery (progressive enhancement: without this
 * file, or without <dialog>, every card is a plain link to the entry page).
 *
 * - Activating a card (click, or Enter on the focused link) opens a modal
 *   <dialog> with the display image, the title and the caption.
 * - Left/Right arrows, the Previous/Next buttons and a horizontal swipe
 *   (pointer events: touch, pen or a mouse drag) move between the entries
 *   of the page, wrapping at the ends; Esc or Close closes.
 * - The caption: the title, the card's award badges, the child's first
 *   name, age and country, the child's words (the card picture's alt
 *   text) and a link to the entry page, all read from the card.
 * - Tab stays inside the dialog; on closing, focus goes back to the card of
 *   the entry last shown.
 * - The buttons' names are translated strings from data-label-* attributes
 *   of [data-lightbox]; no text lives in this file.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-lightbox]");
  if (!root || typeof HTMLDialogElement === "undefined") { return; }
  var cards = Array.prototype.slice.call(root.querySelectorAll("a[data-lightbox-item]"));
  if (!cards.length) { return; }
  var labels = root.dataset;
  var current = 0;

  function make(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  /* `hideText`: the label is for screen readers only (the arrows speak for
   * themselves on screen); it stays the button's accessible name. */
  function button(className, label, glyph, glyphFirst, hideText) {
    var node = make("button", { type: "button", "class": className });
    var mark = make("span", { "aria-hidden": "true" }, glyph);
    var text = hideText ? make("span", { "class": "lightbox-button-text" }, label || "") : document.createTextNode(label || "");
    if (glyphFirst) { node.append(mark, " ", text); } else { node.append(text, " ", mark); }
    if (hideText) { node.title = label || ""; }
    return node;
  }

  var dialog = make("dialog", { "class": "lightbox", "aria-labelledby": "lightbox-title" });
  var closeButton = button("lightbox-close", labels.labelClose, "\u00d7", false);
  var previousButton = button("lightbox-previous", labels.labelPrevious, "\u2190", true, true);
  var nextButton = button("lightbox-next", labels.labelNext, "\u2192", false, true);
  var position = make("p", { "class": "lightbox-position", "aria-live": "polite" });
  var figure = make("figure", { "class": "lightbox-figure" });
  var picture = make("picture");
  var source = make("source", { type: "image/webp" });
  var image = make("img", { "class": "lightbox-image", decoding: "async", alt: "" });
  var caption = make("figcaption", { "class": "lightbox-caption" });
  var title = make("h2", { id: "lightbox-title" });
  var awards = make("div", { "class": "badges" });
  var meta = make("p", { "class": "help" });
  var description = make("p");
  var pageLink = make("a", {}, labels.labelOpen);
  var top = make("div", { "class": "lightbox-bar" });
  var bottom = make("div", { "class": "lightbox-bar" });

  top.append(position, closeButton);
  picture.append(source, image);
  var linkLine = make("p");
  linkLine.append(pageLink);
  caption.append(awards, title, meta, description, linkLine);
  figure.append(picture, caption);
  bottom.append(previousButton, nextButton);
  dialog.append(top, figure, bottom);
  /* Added to the page on the first opening only: until then there is no
   * empty <img> in it. */

  /* What a card says about its drawing: the display rendition's addresses
   * (the gallery's templates with the entry's public id from the link),
   * its proportions (the card's --ar), the title and the child's words
   * (the card picture's alt text). */
  function drawing(card) {
    var id = (card.getAttribute("href").match(/[0-9a-f]{8}-[0-9a-f-]{27}/) || [""])[0];
    var titleNode = card.querySelector(".title");
    var cardImage = card.querySelector("img");
    return {
      src: (labels.displayJpeg || "").replace("{id}", id),
      webp: card.hasAttribute("data-jpeg-only") ? "" : (labels.displayWebp || "").replace("{id}", id),
      ratio: parseFloat(card.parentNode.style.getPropertyValue("--ar")) || 1,
      title: titleNode ? titleNode.textContent : "",
      words: cardImage ? cardImage.alt : ""
    };
  }

  function show(index) {
    current = (index + cards.length) % cards.length;
    var card = cards[current];
    var data = drawing(card);
    var cardImage = card.querySelector("img");
    /* Drop the previous drawing at once, so it is never shown under the new title. */
    image.removeAttribute("src");
    source.srcset = data.webp;
    if (!data.webp) { source.removeAttribute("srcset"); }
    /* The box takes the drawing's proportions before its bytes arrive. */
    picture.style.setProperty("--ar", String(data.ratio));
    image.alt = data.words ? data.title + ": " + data.words : data.title;
    /* The card's placeholder (its dominant colour) paints until the image arrives. */
    image.style.cssText = cardImage ? cardImage.style.cssText : "";
    image.src = data.src;
    title.textContent = data.title;
    var cardBadges = card.querySelector(".badges");
    awards.replaceChildren.apply(awards, cardBadges ? Array.prototype.map.call(cardBadges.children, function (badge) { return badge.cloneNode(true); }) : []);
    awards.hidden = !awards.children.length;
    var cardCaption = card.querySelector(".caption");
    meta.textContent = cardCaption ? cardCaption.textContent.replace(/\s+/g, " ").trim() : "";
    description.textContent = data.words;
    description.hidden = !data.words;
    pageLink.href = card.getAttribute("href");
    position.textContent = (labels.labelPosition || "{position} / {total}")
      .replace("{position}", String(current + 1)).replace("{total}", String(cards.length));
    preload(current + 1);
    preload(current - 1);
  }

  /* The neighbours' images are fetched ahead, so a swipe shows the next
   * drawing at once. */
  var preloaded = {};
  function preload(index) {
    var data = drawing(cards[(index + cards.length) % cards.length]);
    var url = data.webp || data.src;
    if (!url || preloaded[url]) { return; }
    preloaded[url] = true;
    var ahead = new Image();
    ahead.decoding = "async";
    ahead.src = url;
  }

  function focusable() {
    return Array.prototype.slice.call(dialog.querySelectorAll("button, a[href]"))
      .filter(function (node) { return !node.disabled && node.getClientRects().length > 0; });
  }

  cards.forEach(function (card, index) {
    card.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return; /* a new tab or window: the browser's own way */
      }
      event.preventDefault();
      if (!dialog.isConnected) { document.body.append(dialog); }
      show(index);
      dialog.showModal();
      closeButton.focus();
    });
  });

  /* close() puts focus back where it was on opening; the entry shown last
   * may be another one, so its card takes the focus right after. */
  function close() {
    dialog.close();
    cards[current].focus();
  }

  closeButton.addEventListener("click", close);
  previousButton.addEventListener("click", function () { show(current - 1); });
  nextButton.addEventListener("click", function () { show(current + 1); });

  dialog.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "ArrowLeft") {
      event.preventDefault();
      show(current - 1);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      show(current + 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      var nodes = focusable();
      if (!nodes.length) { return; }
      var first = nodes[0];
      var last = nodes[nodes.length - 1];
      if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  /* Swipe: a mostly horizontal move of at least SWIPE_PX between pointer
   * down and up over the drawing; left shows the next one. The figure has
   * `touch-action: pan-y pinch-zoom`, so the browser leaves horizontal moves
   * to this script and still zooms. */
  var SWIPE_PX = 40;
  var start = null;
  figure.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) { return; }
    if (!event.isPrimary) { start = null; return; }
    start = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  figure.addEventListener("pointerup", function (event) {
    if (!start || event.pointerId !== start.id) { return; }
    var dx = event.clientX - start.x;
    var dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= SWIPE_PX && Math.abs(dx) > Math.abs(dy) * 1.5) {
      show(current + (dx < 0 ? 1 : -1));
    }
  });
  figure.addEventListener("pointercancel", function () { start = null; });
  /* A link or a button keeps its own click after a drag over it. */
  image.addEventListener("dragstart", function (event) { event.preventDefault(); });

  /* A click on the backdrop (outside the dialog's box) closes it. */
  dialog.addEventListener("click", function (event) {
    if (event.target !== dialog) { return; }
    var box = dialog.getBoundingClientRect();
    var inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) { close(); }
  });

  /* Any other way of closing (the browser's own close request). */
  dialog.addEventListener("close", function () {
    if (document.activeElement !== cards[current]) { cards[current].focus(); }
  });
}());
