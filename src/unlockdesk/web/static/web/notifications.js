// The console's bell: polls the notification feed so a supervisor sees an SLA warning or
// breach without a reload, even where the live socket is not connected. The live socket (when
// present) may call window.unlockdeskNotifications.refresh() on a staff.notification frame.
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell");
  if (!bell) { return; }
  var count = document.getElementById("notification-count");
  var feed = bell.getAttribute("data-feed");
  var seconds = parseFloat(bell.getAttribute("data-interval")) || 30;

  function show(data) {
    var unread = data.unread || 0;
    count.textContent = String(unread);
    count.classList.toggle("p1", unread > 0);
    bell.classList.toggle("has-unread", unread > 0);
    var newest = (data.items || []).filter(function (n) { return !n.read; })[0];
    bell.title = newest ? newest.title : bell.getAttribute("data-title") || bell.title;
  }

  function refresh() {
    return fetch(feed, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  bell.setAttribute("data-title", bell.title);
  window.unlockdeskNotifications = { refresh: refresh };
  window.setInterval(refresh, seconds * 1000);
})();
