/* Reviewer's evidence viewer: zoom and rotate each picture, outline the regions automated checks
 * point at. Regions are stored in the original image's pixels; they are drawn in percentages of
 * the picture so they follow every zoom and rotation. Static file: no inline script (CSP). */
(function () {
  "use strict";

  function apply(viewer) {
    var stage = viewer.querySelector(".stage");
    var zoom = parseFloat(viewer.dataset.zoom || "1");
    var angle = parseInt(viewer.dataset.angle || "0", 10);
    stage.style.transform = "scale(" + zoom + ") rotate(" + angle + "deg)";
    viewer.querySelector(".zoom-level").textContent = Math.round(zoom * 100) + "%";
    viewer.dataset.transform = stage.style.transform;
  }

  function drawRegions(viewer) {
    var img = viewer.querySelector("img.evidence");
    var regions = [];
    try { regions = JSON.parse(viewer.dataset.regions || "[]"); } catch (e) { regions = []; }
    var width = parseInt(viewer.dataset.width || "0", 10) || img.naturalWidth;
    var height = parseInt(viewer.dataset.height || "0", 10) || img.naturalHeight;
    if (!width || !height) { return; }
    regions.forEach(function (r) {
      var box = document.createElement("div");
      box.className = "region " + (r.status || "");
      box.title = r.label || "";
      box.style.left = (100 * r.x / width) + "%";
      box.style.top = (100 * r.y / height) + "%";
      box.style.width = (100 * r.w / width) + "%";
      box.style.height = (100 * r.h / height) + "%";
      viewer.querySelector(".stage").appendChild(box);
    });
  }

  function enhance(viewer) {
    viewer.dataset.zoom = "1";
    viewer.dataset.angle = "0";
    viewer.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        var zoom = parseFloat(viewer.dataset.zoom);
        var angle = parseInt(viewer.dataset.angle, 10);
        switch (button.dataset.action) {
          case "zoom-in": zoom = Math.min(zoom * 1.25, 8); break;
          case "zoom-out": zoom = Math.max(zoom / 1.25, 0.25); break;
          case "rotate": angle = (angle + 90) % 360; break;
          default: zoom = 1; angle = 0;
        }
        viewer.dataset.zoom = String(zoom);
        viewer.dataset.angle = String(angle);
        apply(viewer);
      });
    });
    var img = viewer.querySelector("img.evidence");
    if (img) {
      if (img.complete) { drawRegions(viewer); } else { img.addEventListener("load", function () { drawRegions(viewer); }); }
    }
    apply(viewer);
  }

  document.querySelectorAll(".viewer").forEach(enhance);
})();
