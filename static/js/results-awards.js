/* Results grid: a card's award form (place, special awards) saves without
 * leaving the page. The form is posted as it is; the results page the post
 * leads to is read, and the card and the message are taken from it, so the
 * words and figures are the server's. The message is also read out (a
 * polite live region). Progressive enhancement: without this file, or if
 * anything goes wrong, the form posts and the page reloads at the card.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) { return; }
  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function showMessages(doc) {
    var fresh = doc.querySelector("main .messages");
    var current = document.querySelector("main .messages");
    if (current) { current.remove(); }
    if (fresh) {
      var main = document.querySelector("main");
      main.insertBefore(fresh, main.firstElementChild);
      live.textContent = fresh.textContent.trim();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("award-form")) { return; }
    var card = form.closest(".result-card");
    if (!card || form.hasAttribute("data-sending")) { return; }
    event.preventDefault();
    form.setAttribute("data-sending", "");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById(card.id);
        if (!fresh) { throw new Error("card missing"); }
        card.replaceWith(document.importNode(fresh, true));
        showMessages(doc);
        var button = document.getElementById(card.id).querySelector(".award-form button[type=submit]");
        if (button) { button.focus(); }
      })
      .catch(function () {
        form.removeAttribute("data-sending");
        form.submit();
      });
  });
})();
