/* Help center: suggestions while the customer types, and chat buttons that open the widget.
 * No inline script anywhere (a Content-Security-Policy is coming): everything binds here. */
(function () {
  "use strict";

  function bindSuggestions(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var url = input.dataset.suggestUrl, timer = null, last = "", active = -1, controller = null;

    function close() { list.hidden = true; list.textContent = ""; active = -1; }

    function render(results) {
      list.textContent = "";
      active = -1;
      results.forEach(function (item, i) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.setAttribute("role", "option");
        a.href = item.url;
        a.textContent = item.title;          // text only: titles are never parsed as HTML
        a.id = "help-suggestion-" + i;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
    }

    function fetchNow() {
      var q = input.value;
      if (q === last) return;
      last = q;
      if (!q.trim()) { close(); return; }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { if (input.value === q) render(body.results || []); })
        .catch(function () { /* offline or aborted: keep the plain search form */ });
    }

    function move(step) {
      var links = list.querySelectorAll("a");
      if (!links.length) return;
      if (active >= 0) links[active].removeAttribute("aria-selected");
      active = (active + step + links.length) % links.length;
      links[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", links[active].id);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchNow, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.href = list.querySelectorAll("a")[active].href;
      }
    });
    document.addEventListener("click", function (e) {
      if (e.target !== input && !list.contains(e.target)) close();
    });
  }

  function bindChatButtons() {
    document.querySelectorAll("[data-open-chat]").forEach(function (link) {
      link.addEventListener("click", function (e) {
        if (window.UnlockdeskChat && typeof window.UnlockdeskChat.open === "function") {
          e.preventDefault();
          window.UnlockdeskChat.open();
        }
      });
    });
  }

  function mount() {
    document.querySelectorAll("input[data-suggest-url]").forEach(bindSuggestions);
    bindChatButtons();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
