// The language menu submits itself on change (no inline script: the CSP allows none).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("language-form");
  var select = form && form.querySelector("select[name=language]");
  if (select) {
    select.addEventListener("change", function () { form.submit(); });
  }
});
