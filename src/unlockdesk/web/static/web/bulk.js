/* Inbox bulk actions: "select every ticket on this page", and picking "all matching this
 * filter" unticks single rows (the filter decides). The form works without it. */
(function () {
  "use strict";
  var form = document.getElementById("bulk-form"), page = document.getElementById("bulk-page");
  if (!form) return;
  function boxes() { return document.querySelectorAll("input[name=ticket][form=bulk-form]"); }
  var picked = form.querySelector("input[name=scope][value=picked]");
  if (page) page.addEventListener("change", function () {
    Array.prototype.forEach.call(boxes(), function (b) { b.checked = page.checked; });
    if (picked) picked.checked = true;
  });
  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "ticket" && e.target.checked && picked) picked.checked = true;
  });
})();
