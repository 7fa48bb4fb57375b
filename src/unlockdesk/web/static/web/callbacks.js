// Callback queue timers: time left until each callback is due, or how late it is.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function show(el) {
    var left = Math.round((Date.parse(el.dataset.due) - Date.now()) / 1000);
    var abs = Math.abs(left);
    var text = (abs >= 3600 ? Math.floor(abs / 3600) + ":" + pad(Math.floor(abs % 3600 / 60))
                            : Math.floor(abs / 60)) + ":" + pad(abs % 60);
    el.textContent = left < 0 ? "−" + text + " " + el.dataset.lateLabel : text;
    el.closest("tr").classList.toggle("overdue", left < 0);
  }
  function tick() { document.querySelectorAll(".timer[data-due]").forEach(show); }
  tick();
  setInterval(tick, 1000);
})();
