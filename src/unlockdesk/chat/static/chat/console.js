/* Agent console, live chat: the list of waiting and active chats and the open conversation,
 * all over one websocket (/ws/chat/agent/), no page reload. Messages carry the ticket's
 * sequence number; on reconnect the open chat is reopened from the last number shown. */
(function () {
  "use strict";
  var list = document.getElementById("chat-list");
  if (!list) return;
  var socket = null, retry = 0, current = null, lastSeq = 0, me = null, rows = {}, typingTimer = null, unsent = {};
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) { if (attrs.hasOwnProperty(k)) node.setAttribute(k, attrs[k]); }
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clientId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : "a" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function send(frame) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame)); }
  function status(online) { var s = $("chat-status"); s.textContent = online ? s.dataset.online : s.dataset.offline; }
  function error(text) { var e = $("chat-error"); e.textContent = text || ""; e.hidden = !text; }

  function connect() {
    socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/chat/agent/");
    socket.onopen = function () {
      retry = 0; status(true);
      if (current) send({ type: "open", conversation: current, last_seq: lastSeq });
    };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      socket = null; status(false);
      if (event.code === 4403) return;
      setTimeout(connect, Math.min(5000, 300 * Math.pow(2, retry++)));
    };
  }

  function handle(f) {
    switch (f.type) {
      case "chats": return resync(f);
      case "chat": upsert(f.item); empty(); if (f.item.id === current) pane(f.item); return;
      case "activity": (f.items || []).forEach(function (item) {     // gathered by the server
          if (rows[item.id] && item.id !== current) rows[item.id].classList.add("unread");
        }); return;
      case "opened": return pane(f.item);
      case "message": return show(f);
      case "lock": return notice(f);
      case "typing": return typing();
      case "ack": delete unsent[f.client_id]; error(""); return;
      case "error": if (f.retry_after && unsent[f.client_id]) retryLater(f); return error(f.message);
      default: return;
    }
  }
  // The whole list from the server: rows it no longer has go, the rest are updated in place
  // (keeping their unread mark), so a notice lost on the way is mended at the next snapshot.
  function resync(f) {
    me = f.me;
    var live = {};
    f.items.forEach(function (item) { live[item.id] = true; upsert(item); });
    Object.keys(rows).forEach(function (id) { if (!live[id]) { rows[id].remove(); delete rows[id]; } });
    empty();
  }
  function empty() {
    var none = list.querySelector(".chat-empty");
    if (!list.querySelector("li[data-id]")) { if (!none) list.appendChild(el("li", { "class": "chat-empty muted" }, list.dataset.empty)); }
    else if (none) none.remove();
  }
  function upsert(item) {
    var row = rows[item.id];
    if (item.state === "ended" || item.state === "browsing") { if (row) { row.remove(); delete rows[item.id]; } return; }
    if (!row) {
      row = el("li", { "data-id": item.id });
      rows[item.id] = row; list.appendChild(row);
      row.addEventListener("click", function () { openChat(item.id); });
    }
    var unread = row.classList.contains("unread") && item.id !== current;
    row.className = "state-" + item.state + (item.id === current ? " current" : "") + (unread ? " unread" : "");
    row.innerHTML = "";
    row.appendChild(el("span", { "class": "badge p" + (item.priority || "").replace("P", "") }, item.priority));
    row.appendChild(el("strong", {}, item.ticket));
    row.appendChild(el("span", { "class": "badge state" }, item.state_label));
    row.appendChild(el("span", {}, item.subject));
    row.appendChild(el("span", { "class": "muted" }, item.customer + (item.online ? " ●" : " ○") + (item.agent ? " · " + item.agent : "")));
    row.appendChild(el("button", { type: "button", "class": "secondary chat-open" }, list.dataset.open));
  }
  function openChat(id) {
    if (current !== id) { current = id; lastSeq = 0; $("chat-log").innerHTML = ""; }
    Object.keys(rows).forEach(function (k) { rows[k].classList.toggle("current", k === id); });
    if (rows[id]) rows[id].classList.remove("unread");
    send({ type: "open", conversation: id, last_seq: lastSeq });
  }
  function pane(item) {
    $("chat-pane").hidden = false; $("chat-empty").hidden = true;
    $("chat-ticket").textContent = item.ticket;
    $("chat-customer").textContent = item.customer + (item.verified ? " ✔" : "");
    $("chat-state").textContent = item.state_label + (item.agent ? " · " + item.agent : "");
    $("chat-accept").hidden = !(item.state === "waiting" || (item.state === "active" && item.agent_id !== me));
  }
  // Times in the desk's time zone, as the rest of the console shows them, not the browser's.
  function clock(at) {
    try {
      return new Date(at).toLocaleTimeString(document.documentElement.lang || undefined,
        { timeZone: list.dataset.timeZone || undefined, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
    } catch (e) { return new Date(at).toLocaleTimeString(); }
  }
  // The exchange placed or lifted a lock on the open chat's account: a line in the log, live.
  function notice(f) {
    if ($("chat-ticket").textContent !== f.ticket) return;
    $("chat-log").appendChild(el("div", { "class": "msg note lock-change", "data-change": f.change }, f.text));
  }
  function show(m) {
    var log = $("chat-log");
    if (log.querySelector('[data-seq="' + m.seq + '"]')) return;
    var cls = m.direction === "in" ? "in" : (m.direction === "note" ? "note" : "out");
    var who = m.direction === "in" ? list.dataset.you : (m.direction === "note" ? list.dataset.note + " · " + m.author : m.author);
    var item = el("div", { "class": "msg " + cls, "data-seq": m.seq });
    item.appendChild(el("div", { "class": "meta" }, who + " · #" + m.seq + " · " + clock(m.at)));
    item.appendChild(el("div", { "class": "body" }, m.text));
    (m.attachments || []).forEach(function (a) {
      var line = el("div"); line.appendChild(el("a", { href: a.url, target: "_blank" }, a.name)); item.appendChild(line);
    });
    var after = null;
    log.querySelectorAll("[data-seq]").forEach(function (n) { if (!after && +n.dataset.seq > m.seq) after = n; });
    log.insertBefore(item, after);
    if (m.seq > lastSeq) lastSeq = m.seq;
    if (m.direction === "in") $("chat-typing").hidden = true;
    log.scrollTop = log.scrollHeight;
  }
  function typing() {
    $("chat-typing").hidden = false;
    clearTimeout(typingTimer); typingTimer = setTimeout(function () { $("chat-typing").hidden = true; }, 4000);
  }
  function say(kind) {
    var text = $("chat-text").value.trim();
    if (!text || !current) return;
    var frame = { type: kind, conversation: current, text: text, client_id: clientId() };
    unsent[frame.client_id] = frame;
    send(frame);
    $("chat-text").value = "";
  }
  // Busy: nothing was stored; the same frame (same client id, stored once) goes again later.
  function retryLater(f) {
    setTimeout(function () { if (unsent[f.client_id]) send(unsent[f.client_id]); }, f.retry_after * 1000);
  }
  $("chat-send").addEventListener("click", function () { say("reply"); });
  $("chat-note").addEventListener("click", function () { say("note"); });
  $("chat-accept").addEventListener("click", function () { send({ type: "accept", conversation: current }); });
  $("chat-end").addEventListener("click", function () { send({ type: "end", conversation: current }); });
  $("chat-transfer").addEventListener("click", function () {
    send({ type: "transfer", conversation: current, agent: $("chat-transfer-agent").value.trim(),
      queue: $("chat-transfer-queue").value });
  });
  var typedAt = 0;
  $("chat-text").addEventListener("input", function () {
    if (current && Date.now() - typedAt > 2000) { typedAt = Date.now(); send({ type: "typing", conversation: current }); }
  });
  setInterval(function () { send({ type: "list" }); }, 30000);
  connect();
})();
