/* The macro picker beside a reply box (console ticket page, live chat console): type to
 * filter, arrow keys to choose, Enter or a click to insert the macro, already filled in for
 * the ticket in its language, at the cursor. Without JavaScript the plain form beside it
 * (select + Insert) reloads the ticket page with the macro in the reply box. */
(function () {
  "use strict";
  var pickers = document.querySelectorAll(".macro-picker");
  Array.prototype.forEach.call(pickers, setUp);

  function setUp(root) {
    var live = root.querySelector(".macro-live"), input = root.querySelector(".macro-search");
    var list = root.querySelector(".macro-options"), plain = root.querySelector(".macro-plain");
    var cache = {}, shown = [], active = -1, loadedFor = null;
    if (!live || !input || !list) return;
    live.hidden = false;
    if (plain) plain.hidden = true;

    function target() { return document.querySelector(root.dataset.target); }
    function ticketNumber() {
      if (!root.dataset.ticketFrom) return "";
      var node = document.querySelector(root.dataset.ticketFrom);
      return node ? node.textContent.trim() : "";
    }
    function url() {
      if (root.dataset.url) return root.dataset.url;
      var number = ticketNumber();
      return number ? root.dataset.urlTemplate.replace("NUMBER", encodeURIComponent(number)) : "";
    }
    function load(done) {
      var address = url();
      if (!address) { shown = []; render([]); return; }
      if (cache[address]) { done(cache[address]); return; }
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { cache[address] = data.macros; loadedFor = address; done(data.macros); })
        .catch(function () { message(root.dataset.failed); });
    }
    function message(text) {
      list.textContent = "";
      var li = document.createElement("li");
      li.className = "muted"; li.textContent = text; li.setAttribute("aria-disabled", "true");
      list.appendChild(li); open(true);
    }
    function open(yes) { list.hidden = !yes; input.setAttribute("aria-expanded", yes ? "true" : "false"); }
    function matches(macro, words) {
      var hay = (macro.name + " " + macro.text).toLowerCase();
      return words.every(function (w) { return hay.indexOf(w) !== -1; });
    }
    function refresh() {
      load(function (macros) {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        render(macros.filter(function (m) { return matches(m, words); }));
      });
    }
    function render(items) {
      shown = items; active = items.length ? 0 : -1;
      list.textContent = "";
      if (!items.length) { message(root.dataset.none); return; }
      items.forEach(function (m, i) {
        var li = document.createElement("li");
        li.id = input.id + "-opt-" + m.id; li.setAttribute("role", "option");
        li.dataset.index = i;
        var name = document.createElement("strong"); name.textContent = m.name;
        var preview = document.createElement("span"); preview.className = "muted small";
        preview.textContent = " " + m.text.slice(0, 90);
        li.appendChild(name); li.appendChild(preview);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); insert(m); });
        list.appendChild(li);
      });
      highlight(); open(true);
    }
    function highlight() {
      Array.prototype.forEach.call(list.querySelectorAll("[role=option]"), function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        if (i === active) { input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({ block: "nearest" }); }
      });
    }
    function insert(macro) {
      var box = target();
      if (!box) return;
      var start = box.selectionStart || 0, end = box.selectionEnd || 0, value = box.value;
      box.value = value.slice(0, start) + macro.text + value.slice(end);
      var caret = start + macro.text.length;
      box.focus(); box.setSelectionRange(caret, caret);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      input.value = ""; open(false);
    }
    input.addEventListener("focus", refresh);
    input.addEventListener("input", refresh);
    input.addEventListener("blur", function () { setTimeout(function () { open(false); }, 100); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { refresh(); return; }
        if (!shown.length) return;
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + shown.length) % shown.length;
        highlight();
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (active >= 0 && shown[active]) insert(shown[active]);
      } else if (e.key === "Escape") {
        open(false); var box = target(); if (box) box.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.altKey && (e.key === "m" || e.key === "M" || e.code === "KeyM") && root.offsetParent !== null) {
        e.preventDefault(); input.focus();
      }
    });
  }
})();
