/* Unlockdesk live-chat widget: one script, no dependencies.
 *
 * On the portal:  <script src="/static/chat/widget.js" data-language="zh-hans" defer></script>
 * On the exchange's own site or app web view:
 *   <script src="https://support.example.com/static/chat/widget.js" defer
 *           data-language="en" data-uid="12345678" data-uid-hash="<hex HMAC-SHA256 of the UID>"></script>
 * The UID counts only with a valid HMAC computed by the exchange's server.
 *
 * No message is lost or shown twice: every message has the ticket's sequence number; the
 * widget remembers the highest one it has shown and sends it when it reconnects; messages it
 * sends carry a client id and stay queued (in localStorage) until the server acknowledges them.
 */
(function () {
  "use strict";
  if (window.UnlockdeskChat) return;
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var server = data.server || (script ? new URL(script.src, location.href).origin : location.origin);
  var wsUrl = server.replace(/^http/, "ws") + "/ws/chat/visitor/";
  var language = data.language || ((navigator.language || "").toLowerCase().indexOf("zh") === 0 ? "zh-hans" : "en");
  var KEY = "udchat.";
  var store = {
    get: function (k) { try { return localStorage.getItem(KEY + k) || ""; } catch (e) { return ""; } },
    set: function (k, v) { try { localStorage.setItem(KEY + k, v); } catch (e) { /* private mode */ } },
    del: function (k) { try { localStorage.removeItem(KEY + k); } catch (e) { /* private mode */ } }
  };
  var S = {};            // strings from the server (gettext)
  var socket = null, state = "", ticket = "", lastSeq = 0, retry = 0, closedForGood = false;
  var offlineHold = false, pending = {}, typingTimer = null, continueTicket = "", typedAt = 0;
  var askLater = "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) { if (attrs.hasOwnProperty(k)) node.setAttribute(k, attrs[k]); }
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  // --- the panel ------------------------------------------------------------------------------
  var css = el("link", { rel: "stylesheet", href: server + "/static/chat/widget.css" });
  document.head.appendChild(css);
  // A drawn speech bubble, not an emoji: without an emoji font that renders as an empty box.
  var launcher = el("button", { id: "ud-chat-launcher", type: "button", "aria-expanded": "false" });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  var panel = el("section", { id: "ud-chat-panel", hidden: "", "aria-live": "polite" });
  panel.innerHTML =
    '<header><strong id="ud-chat-title"></strong><button type="button" id="ud-chat-close">×</button></header>' +
    '<p id="ud-chat-who" class="ud-muted"></p>' +
    '<div id="ud-chat-log"></div>' +
    '<div id="ud-chat-suggestions" hidden></div>' +
    '<p id="ud-chat-typing" class="ud-muted" hidden></p>' +
    '<p id="ud-chat-status" class="ud-muted" hidden></p>' +
    '<p id="ud-chat-error" role="alert" hidden></p>' +
    '<textarea id="ud-chat-input" rows="2"></textarea>' +
    '<div class="ud-row"><button type="button" id="ud-chat-ask" class="ud-secondary"></button>' +
    '<button type="button" id="ud-chat-talk"></button><button type="button" id="ud-chat-send" hidden></button>' +
    '<label class="ud-file" id="ud-chat-attach-label"><input type="file" id="ud-chat-file" accept="image/*,application/pdf" hidden><span id="ud-chat-attach"></span></label></div>' +
    '<details id="ud-chat-verify"><summary id="ud-chat-verify-title"></summary>' +
    '<div class="ud-row"><input id="ud-chat-address" type="text"><button type="button" id="ud-chat-send-code" class="ud-secondary"></button></div>' +
    '<div class="ud-row"><input id="ud-chat-code" type="text" inputmode="numeric" maxlength="6"><button type="button" id="ud-chat-confirm" class="ud-secondary"></button></div></details>' +
    '<footer><a href="#" id="ud-chat-transcript" hidden></a> <a href="#" id="ud-chat-end" hidden></a><p id="ud-chat-safety" class="ud-muted"></p></footer>';
  function $(id) { return document.getElementById(id); }

  function mount() {
    document.body.appendChild(launcher);
    document.body.appendChild(panel);
    launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
    $("ud-chat-close").addEventListener("click", close);
    $("ud-chat-ask").addEventListener("click", ask);
    $("ud-chat-talk").addEventListener("click", function () { post("talk"); });
    $("ud-chat-send").addEventListener("click", function () { post("message"); });
    $("ud-chat-input").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ticket ? post("message") : ask(); }
      else if (ticket && Date.now() - typedAt > 2000) { typedAt = Date.now(); send({ type: "typing" }); }
    });
    $("ud-chat-file").addEventListener("change", upload);
    $("ud-chat-send-code").addEventListener("click", function () { send({ type: "identify", address: $("ud-chat-address").value }); });
    $("ud-chat-confirm").addEventListener("click", function () { send({ type: "verify", code: $("ud-chat-code").value }); });
    $("ud-chat-transcript").addEventListener("click", function (e) { e.preventDefault(); send({ type: "transcript" }); });
    $("ud-chat-end").addEventListener("click", function (e) { e.preventDefault(); send({ type: "end" }); });
    var cont = document.getElementById("ud-chat-continue");
    if (cont) { continueTicket = cont.dataset.ticket || ""; open(); }
    else if (store.get("conversation") && store.get("open") === "1") open();
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    store.set("open", "1");
    if (!socket) connect();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    store.set("open", "0");
  }

  // --- the socket -----------------------------------------------------------------------------
  function connect() {
    if (offlineHold) return;
    closedForGood = false;
    var conversation = store.get("conversation");
    lastSeq = parseInt(store.get("seq:" + conversation) || "0", 10) || 0;
    socket = new WebSocket(wsUrl);
    socket.onopen = function () {
      retry = 0;
      var hello = { type: "hello", token: store.get("token"), conversation: conversation,
        last_seq: lastSeq, language: language };
      if (data.uid) { hello.uid = data.uid; hello.uid_hash = data.uidHash || ""; }
      if (continueTicket && !conversation) hello.ticket = continueTicket;
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = function (event) { handle(JSON.parse(event.data)); };
    var pinger = setInterval(function () { send({ type: "ping" }); }, 30000);
    socket.onclose = function (event) {
      clearInterval(pinger);
      socket = null;
      if (event.code === 4403 && store.get("conversation")) { store.del("conversation"); closedForGood = false; }
      else if (event.code === 4401 || event.code === 4403) { closedForGood = true; return; }
      status(S.reconnecting || "…");
      var delay = Math.min(5000, 300 * Math.pow(2, retry++));
      setTimeout(function () { if (!socket && !closedForGood) connect(); }, delay);
    };
  }
  function send(frame) {
    if (socket && socket.readyState === 1) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function status(text) { var s = $("ud-chat-status"); s.textContent = text || ""; s.hidden = !text; }
  function error(text) { var s = $("ud-chat-error"); s.textContent = text || ""; s.hidden = !text; }

  function handle(frame) {
    switch (frame.type) {
      case "welcome": return welcome(frame);
      case "message": return showMessage(frame);
      case "ack": return acked(frame);
      case "suggestions": return suggestions(frame);
      case "typing": return typing();
      case "agent_joined": state = "active"; return system(S.joined.replace("%(agent)s", frame.agent));
      case "transferred": return system(S.transferred);
      case "ended": state = "ended"; controls(); return system(S.ended);
      case "code_sent": $("ud-chat-code").focus(); return;
      case "verified": $("ud-chat-who").textContent = S.verified_as.replace("%(who)s", frame.identity);
        $("ud-chat-verify").hidden = true; return;
      case "transcript": window.open(server + frame.url, "_blank"); return;
      case "file": window.open(server + frame.url, "_blank"); return;
      case "warning": return system(frame.message, "ud-warning");
      case "error": return frame.retry_after && frame.client_id ? busy(frame) : error(frame.message);
      default: return;
    }
  }

  // The server was busy and stored nothing: say so, and resend the same frame (same client
  // id, so it lands once) when it says to. A reconnect in between resends it anyway.
  function busy(frame) {
    var item = pending[frame.client_id];
    if (!item) return;
    status(frame.message);
    setTimeout(function () {
      if (!pending[frame.client_id]) return;
      if (send({ type: item.kind, text: item.text, client_id: frame.client_id })) status("");
    }, frame.retry_after * 1000);
  }

  function welcome(frame) {
    S = frame.strings || S;
    if (frame.token) store.set("token", frame.token);
    if (store.get("conversation") !== frame.conversation) {
      store.set("conversation", frame.conversation);
      lastSeq = parseInt(store.get("seq:" + frame.conversation) || "0", 10) || 0;
    }
    // What was written before the first welcome (kept under no conversation) joins the
    // conversation's unacknowledged messages instead of being dropped.
    var early = JSON.parse(store.get("pending:") || "{}");
    pending = JSON.parse(store.get("pending:" + frame.conversation) || "{}");
    Object.keys(early).forEach(function (id) { pending[id] = early[id]; });
    store.del("pending:"); savePending();
    state = frame.state; ticket = frame.ticket;
    status(""); error("");
    label();
    $("ud-chat-who").textContent = frame.verified ? S.verified_as.replace("%(who)s", frame.identity) : S.anonymous;
    $("ud-chat-verify").hidden = frame.verified || !!frame.ticket;
    if (!$("ud-chat-log").childElementCount) system(S.intro);
    if (state === "waiting") system(S.waiting);
    controls();
    // Resend what the server never acknowledged: the client id makes it land once.
    Object.keys(pending).forEach(function (id) {
      var item = pending[id];
      showPending(id, item.text);
      send({ type: item.kind, text: item.text, client_id: id });
    });
    if (askLater && !ticket) send({ type: "ask", text: askLater });
    askLater = "";
  }
  function label() {
    $("ud-chat-title").textContent = S.title; launcher.setAttribute("aria-label", S.open);
    $("ud-chat-ask").textContent = S.ask; $("ud-chat-talk").textContent = S.talk;
    $("ud-chat-send").textContent = S.send; $("ud-chat-attach").textContent = S.attach;
    $("ud-chat-input").placeholder = S.placeholder; $("ud-chat-verify-title").textContent = S.verify;
    $("ud-chat-address").placeholder = S.address; $("ud-chat-send-code").textContent = S.send_code;
    $("ud-chat-code").placeholder = S.code; $("ud-chat-confirm").textContent = S.confirm;
    $("ud-chat-transcript").textContent = S.transcript; $("ud-chat-end").textContent = S.end;
    $("ud-chat-safety").textContent = S.safety; $("ud-chat-close").setAttribute("aria-label", S.close);
  }
  function controls() {
    var hasTicket = !!ticket;
    $("ud-chat-ask").hidden = hasTicket; $("ud-chat-talk").hidden = hasTicket;
    $("ud-chat-send").hidden = !hasTicket; $("ud-chat-attach-label").hidden = !hasTicket;
    $("ud-chat-transcript").hidden = !hasTicket; $("ud-chat-end").hidden = !hasTicket || state === "ended";
  }
  function savePending() { store.set("pending:" + store.get("conversation"), JSON.stringify(pending)); }

  function post(kind) {
    var input = $("ud-chat-input"), text = input.value.trim();
    if (!text) return;
    var id = clientId();
    pending[id] = { kind: kind, text: text };
    savePending();
    showPending(id, text);
    input.value = "";
    $("ud-chat-suggestions").hidden = true;
    send({ type: kind, text: text, client_id: id });
  }
  function ask() {
    var text = $("ud-chat-input").value.trim();
    // Still connecting: asked as soon as the welcome comes, not lost.
    if (text && !send({ type: "ask", text: text })) askLater = text;
  }
  function acked(frame) {
    if (frame.ticket) ticket = frame.ticket;
    if (frame.state) state = frame.state;
    if (pending[frame.client_id]) {
      var kind = pending[frame.client_id].kind;
      delete pending[frame.client_id]; savePending();
      if (kind === "talk") { system(S.waiting); $("ud-chat-verify").hidden = true; }
    }
    error(""); controls();
  }

  // --- the log --------------------------------------------------------------------------------
  function bubble(cls, author, text) {
    var item = el("div", { "class": "ud-msg " + cls });
    if (author) item.appendChild(el("div", { "class": "ud-author" }, author));
    item.appendChild(el("div", { "class": "ud-body" }, text));
    return item;
  }
  function scroll() { var log = $("ud-chat-log"); log.scrollTop = log.scrollHeight; }
  function system(text, cls) { if (text) { $("ud-chat-log").appendChild(bubble("ud-system " + (cls || ""), "", text)); scroll(); } }
  function showPending(id, text) {
    if (document.querySelector('#ud-chat-log [data-client="' + id + '"]')) return;
    var item = bubble("ud-in ud-pending", S.you, text);
    item.setAttribute("data-client", id);
    item.appendChild(el("div", { "class": "ud-meta" }, S.sending));
    $("ud-chat-log").appendChild(item); scroll();
  }
  function showMessage(m) {
    var log = $("ud-chat-log");
    if (log.querySelector('[data-seq="' + m.seq + '"]')) return;    // never twice
    if (m.client_id) {
      var mine = log.querySelector('[data-client="' + m.client_id + '"]');
      if (mine) mine.remove();
    }
    var item = bubble(m.direction === "in" ? "ud-in" : "ud-out", m.direction === "in" ? S.you : m.author, m.text);
    item.setAttribute("data-seq", m.seq);
    (m.attachments || []).forEach(function (a) {
      // The file opens through a short-lived link this socket asks for (chat.files).
      var link = el("a", { "class": "ud-meta ud-file-link", "href": "#", "data-file": String(a.id) },
                    "📎 " + a.name + " (" + Math.ceil(a.size / 1024) + " KB)");
      link.addEventListener("click", function (e) { e.preventDefault(); send({ type: "file", id: a.id }); });
      item.appendChild(el("div", {}, "")).appendChild(link);
    });
    // Keep the log in sequence order even if frames arrive out of order.
    var after = null;
    log.querySelectorAll("[data-seq]").forEach(function (n) { if (!after && +n.dataset.seq > m.seq) after = n; });
    log.insertBefore(item, after);
    if (m.seq > lastSeq) { lastSeq = m.seq; store.set("seq:" + store.get("conversation"), String(lastSeq)); }
    if (m.direction !== "in") $("ud-chat-typing").hidden = true;
    scroll();
  }
  function typing() {
    var t = $("ud-chat-typing"); t.textContent = S.typing; t.hidden = false;
    clearTimeout(typingTimer); typingTimer = setTimeout(function () { t.hidden = true; }, 4000);
  }
  function suggestions(frame) {
    var box = $("ud-chat-suggestions"); box.innerHTML = ""; box.hidden = false;
    box.className = frame.urgent ? "ud-urgent" : "";
    box.appendChild(el("p", { "class": "ud-recommendation" }, frame.recommendation_text));
    if (frame.urgent) box.appendChild(el("a", { href: server + "/portal/", "class": "ud-button ud-danger", id: "ud-chat-freeze" }, S.freeze));
    if (frame.articles.length) {
      box.appendChild(el("p", {}, S.articles));
      var list = el("ul");
      frame.articles.forEach(function (a) { var li = el("li"); li.appendChild(el("a", { href: server + a.url, target: "_blank" }, a.title)); list.appendChild(li); });
      box.appendChild(list);
    } else if (frame.next_steps.length) {
      box.appendChild(el("p", {}, S.steps));
      var steps = el("ol");
      frame.next_steps.forEach(function (s) { steps.appendChild(el("li", {}, s)); });
      box.appendChild(steps);
    }
    scroll();
  }
  function upload() {
    var file = $("ud-chat-file").files[0];
    if (!file) return;
    var form = new FormData();
    form.append("token", store.get("token"));
    form.append("conversation", store.get("conversation"));
    form.append("client_id", clientId());
    form.append("file", file);
    fetch(server + "/chat/upload/", { method: "POST", body: form, credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (body) { if (body.message) error(body.message); else error(""); })
      .catch(function () { error(S.reconnecting); });
    $("ud-chat-file").value = "";
  }

  window.UnlockdeskChat = {
    open: open,
    close: close,
    /* For tests and app web views that know the network went away. */
    drop: function () { offlineHold = true; if (socket) socket.close(); },
    resume: function () { offlineHold = false; if (!socket) connect(); },
    get lastSeq() { return lastSeq; }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
