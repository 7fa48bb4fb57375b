// Records export page: follow each export being prepared until its files are ready.
(function () {
  "use strict";
  function follow(card) {
    var url = card.getAttribute("data-status-url");
    var bar = card.querySelector(".export-progress");
    var badge = card.querySelector(".export-status");
    var files = card.querySelector(".export-files");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) {
          badge.textContent = s.status_label;
          bar.value = s.progress;
          bar.textContent = s.progress + "%";
          if (s.ready) {
            bar.hidden = true;
            card.querySelector(".export-pdf").href = s.pdf_url;
            card.querySelector(".export-json").href = s.json_url;
            card.querySelector(".pdf-sha256").textContent = s.pdf_sha256;
            card.querySelector(".json-sha256").textContent = s.json_sha256;
            files.hidden = false;
            card.setAttribute("data-ready", "1");
          } else if (s.failed) {
            bar.hidden = true;
          } else {
            setTimeout(poll, 1000);
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    poll();
  }
  document.querySelectorAll(".records-export[data-ready='0']").forEach(follow);
})();
