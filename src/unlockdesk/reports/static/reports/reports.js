/* Draws each report's chart with Chart.js from the JSON the page carries (#report-data).
   No inline script (the site's CSP forbids it); every canvas gets data-drawn="1" when done. */
(function () {
  "use strict";
  var PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777",
                 "#65a30d", "#ea580c", "#475569"];
  var source = document.getElementById("report-data");
  if (!source || typeof Chart === "undefined") { return; }
  var reports = JSON.parse(source.textContent);

  function yScale(report) {
    var scale = { beginAtZero: true, stacked: report.stacked, ticks: { precision: 0 } };
    if (report.unit === "percent") { scale.max = 100; }
    if (report.unit === "rating") { scale.max = 5; scale.ticks = { stepSize: 1 }; }
    return scale;
  }

  reports.forEach(function (report) {
    var canvas = document.querySelector('canvas[data-report="' + report.key + '"]');
    if (!canvas) { return; }
    var round = report.kind === "doughnut";
    var datasets = report.series.map(function (series, i) {
      return {
        label: series.label,
        data: series.values,
        backgroundColor: round ? report.labels.map(function (_l, j) { return PALETTE[j % PALETTE.length]; })
                               : PALETTE[i % PALETTE.length],
        borderWidth: round ? 1 : 0
      };
    });
    var options = { responsive: true, maintainAspectRatio: false, animation: false,
                    plugins: { legend: { display: round || report.series.length > 1 } } };
    if (!round) {
      options.scales = { x: { stacked: report.stacked }, y: yScale(report) };
    }
    new Chart(canvas, { type: report.kind, data: { labels: report.labels, datasets: datasets },
                        options: options });
    canvas.setAttribute("data-drawn", "1");
  });
}());
