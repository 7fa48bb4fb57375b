// The live console (/ws/console/): presence, live inbox rows, toasts, who else is on a ticket.
// Every page of the console loads it; what it does depends on what the page has.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var toasts = $("toasts");
  if (!toasts || !window.WebSocket) return;
  var socket = null, retry = 0, beat = null;
  var viewers = {};           // socket id -> {name, state, until}
  var params = new URLSearchParams(location.search);
  var inbox = $("inbox");
  var live = inbox && !params.get("q");                      // search results do not move
  var ticketBox = $("viewers");

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  function connect() {
    socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/console/");
    socket.onopen = function () {
      retry = 0;
      document.body.dataset.live = "1";
      if (live) {
        var filters = {};
        ["status", "channel", "priority", "queue", "mine", "tag"].forEach(function (k) {
          if (params.get(k)) filters[k] = params.get(k);
        });
        send({ type: "inbox", filters: filters, first: !params.get("after") });
      }
      if (ticketBox) send({ type: "view", ticket: ticketBox.dataset.ticket });
      clearInterval(beat);
      beat = setInterval(function () { send({ type: "ping" }); }, 25000);
    };
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function (e) {
      document.body.dataset.live = "0";
      clearInterval(beat);
      if (e.code === 4403) return;                             // signed out: no retry
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry));
    };
  }

  function handle(f) {
    switch (f.type) {
      case "hello": case "presence": return showPresence(f);
      case "row": return upsertRow(f);
      case "gone": return removeRow(f.number);
      case "notification": return toast(f);
      case "changed": var c = $("ticket-changed"); if (c) c.hidden = false; return;
      case "viewer": return viewer(f);
    }
  }

  // --- presence ---------------------------------------------------------------------------
  var select = $("presence-select");
  if (select) select.addEventListener("change", function () {
    if (socket && socket.readyState === WebSocket.OPEN) send({ type: "presence", presence: select.value });
    else select.form.submit();
  });
  function showPresence(f) {
    var dot = $("presence-dot"), state = $("presence-state");
    if (dot) dot.className = "presence-dot " + f.presence;
    if (state && select) {
      var option = select.querySelector("option[value='" + f.presence + "']");
      state.textContent = option ? option.textContent : f.presence;
    }
    if (select && f.chosen) select.value = f.chosen;
  }

  // --- the inbox --------------------------------------------------------------------------
  function rowOf(number) {
    return inbox ? inbox.querySelector("tbody tr[data-number='" + CSS.escape(number) + "']") : null;
  }
  function before(a, rank, updated) {    // does row `a` come after a row with (rank, updated)?
    var r = Number(a.dataset.rank), u = Date.parse(a.dataset.updated);
    return r > rank || (r === rank && u < updated);
  }
  function upsertRow(f) {
    if (!live) return;
    var old = rowOf(f.number);
    if (!old && !f.insert) return;                         // later pages only update their rows
    var holder = document.createElement("tbody");
    holder.innerHTML = f.html.trim();
    var row = holder.querySelector("tr");
    if (!row) return;
    if (old) old.remove();
    var body = inbox.querySelector("tbody");
    body.querySelectorAll("tr:not([data-number])").forEach(function (r) { r.remove(); });
    var rank = Number(f.rank), updated = Date.parse(f.updated), next = null;
    var rows = body.querySelectorAll("tr[data-number]");
    for (var i = 0; i < rows.length; i++) if (before(rows[i], rank, updated)) { next = rows[i]; break; }
    body.insertBefore(row, next);
    row.classList.add("fresh");
    setTimeout(function () { row.classList.remove("fresh"); }, 3000);
  }
  function removeRow(number) { var r = live && rowOf(number); if (r) r.remove(); }

  // --- toasts -----------------------------------------------------------------------------
  function toast(f) {
    var box = document.createElement(f.url ? "a" : "div");
    box.className = "toast " + (f.kind || "");
    if (f.url) box.href = f.url;
    var title = document.createElement("strong"); title.textContent = f.title; box.appendChild(title);
    if (f.body) { var body = document.createElement("div"); body.textContent = f.body; box.appendChild(body); }
    toasts.appendChild(box);
    setTimeout(function () { box.remove(); }, 10000);
    if (window.Notification && Notification.permission === "granted" && document.hidden) {
      try { new Notification(f.title, { body: f.body || "" }); } catch (e) { /* page only */ }
    }
  }
  if (window.Notification && Notification.permission === "default") {
    var ask = document.createElement("button");
    ask.type = "button"; ask.className = "secondary small"; ask.id = "notify-permission";
    ask.textContent = toasts.dataset.notify;
    ask.addEventListener("click", function () { Notification.requestPermission(); ask.remove(); });
    var form = $("presence-form");
    if (form) form.after(ask);
  }

  // --- who else is on this ticket -----------------------------------------------------------
  function viewer(f) {
    if (!ticketBox || f.ticket !== ticketBox.dataset.ticket) return;
    if (f.state === "left") delete viewers[f.id];
    else viewers[f.id] = { name: f.name, typing: f.state === "typing" ? Date.now() + 5000 : 0 };
    drawViewers();
  }
  function drawViewers() {
    var names = {}, now = Date.now();
    Object.keys(viewers).forEach(function (k) {
      var v = viewers[k];
      names[v.name] = names[v.name] || v.typing > now;
    });
    var list = Object.keys(names).map(function (n) { return names[n] ? n + " (" + toasts.dataset.typing + ")" : n; });
    ticketBox.hidden = list.length === 0;
    ticketBox.textContent = list.length ? toasts.dataset.viewing + ": " + list.join(", ") : "";
  }
  if (ticketBox) {
    setInterval(drawViewers, 1000);
    var typedAt = 0, text = document.querySelector("#reply-form textarea");
    if (text) text.addEventListener("input", function () {
      if (Date.now() - typedAt > 2000) { typedAt = Date.now(); send({ type: "typing" }); }
    });
  }

  connect();
})();
