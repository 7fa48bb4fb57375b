/* Private evidence images load one at a time, not all at once: each request is permission-
 * checked, audited and decrypted on the server, and an embedded (SQLite) installation serves
 * them best in sequence. Images carry data-src; a <noscript> copy covers pages without JS. */
(function () {
  "use strict";
  var queue = [];
  var busy = false;

  function next() {
    var img = queue.shift();
    if (!img) { busy = false; return; }
    busy = true;
    var done = function () { next(); };
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
    img.src = img.dataset.src;
  }

  function add(root) {
    (root || document).querySelectorAll("img[data-src]:not([src])").forEach(function (img) {
      if (queue.indexOf(img) < 0) { queue.push(img); }
    });
    if (!busy) { next(); }
  }

  window.unlockImages = { add: add };
  add(document);
})();
