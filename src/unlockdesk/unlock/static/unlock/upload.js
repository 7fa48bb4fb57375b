/* Evidence uploads with progress bars (XHR upload progress events).
 * Progressive enhancement: without JavaScript the same form posts and the page reloads.
 * No inline script anywhere, so a strict Content-Security-Policy can forbid them. */
(function () {
  "use strict";

  function setProgress(box, percent, text) {
    var wrap = box.querySelector(".progress");
    var bar = wrap.querySelector("progress");
    wrap.hidden = false;
    bar.value = percent;
    wrap.querySelector(".progress-text").textContent = text;
  }

  function showError(box, message) {
    var error = box.querySelector(".upload-error");
    error.textContent = message || "";
    box.classList.toggle("has-error", Boolean(message));
  }

  function uploadOne(box, form, file) {
    var limit = parseInt(box.dataset.maxBytes || "0", 10);
    if (limit && file.size > limit) {
      // Refused before sending: the server would refuse it too, after the whole transfer.
      showError(box, file.name + ": " + box.dataset.tooLarge);
      return Promise.resolve(false);
    }
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.set("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", box.dataset.url);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          var percent = Math.round((event.loaded / event.total) * 100);
          setProgress(box, percent, file.name + " " + percent + "%");
        }
      });
      xhr.addEventListener("load", function () {
        var body = xhr.response || {};
        if (xhr.status === 200 && body.ok) {
          setProgress(box, 100, file.name + " ✓");
          var list = box.querySelector("ul.files");
          if (!form.querySelector("input[type=file]").multiple) {
            list.innerHTML = "";
          }
          list.insertAdjacentHTML("beforeend", body.html);
          if (window.unlockImages) { window.unlockImages.add(list); }
          resolve(true);
        } else {
          setProgress(box, 0, file.name);
          showError(box, file.name + ": " + (body.error || xhr.statusText));
          resolve(false);
        }
      });
      xhr.addEventListener("error", function () {
        showError(box, file.name + ": " + (box.dataset.networkError || "network error"));
        resolve(false);
      });
      xhr.send(data);
    });
  }

  function enhance(box) {
    var form = box.querySelector("form.upload-form");
    var input = form.querySelector("input[type=file]");
    box.classList.add("js");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      showError(box, "");
      box.classList.add("busy");
      files.reduce(function (chain, file) {
        return chain.then(function () { return uploadOne(box, form, file); });
      }, Promise.resolve()).then(function () {
        input.value = "";
        box.classList.remove("busy");
        box.dispatchEvent(new CustomEvent("unlock:uploaded", { bubbles: true }));
      });
    });
  }

  document.querySelectorAll(".upload[data-url]").forEach(enhance);
})();
