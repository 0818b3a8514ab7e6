/* Charts of hoptac (templates/components/chart.html): Chart.js draws each <canvas
 * data-chart="ID"> from the JSON spec in <script id="ID">. The figures are also in a table on
 * the page; the chart adds nothing the page cannot show without JavaScript. */
(function () {
  "use strict";

  function dataset(d, spec) {
    var line = (d.type || spec.type) === "line";
    return {
      type: d.type || undefined,
      label: d.label,
      data: d.data,
      backgroundColor: line ? "transparent" : d.color,
      borderColor: d.color,
      borderWidth: line ? 2 : 0,
      pointRadius: line ? 3 : undefined,
      tension: 0.2,
      order: line ? 0 : 1
    };
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") { return; }
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    canvas.dataset.drawn = "1";
    var datasets = spec.datasets.map(function (d) { return dataset(d, spec); });
    var stacked = Boolean(spec.stacked);
    var lang = document.documentElement.lang === "vi" ? "vi-VN" : "en-GB";
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: lang,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.type === "doughnut" ? {} : {
          x: { stacked: stacked, beginAtZero: true },
          y: { stacked: stacked, beginAtZero: true }
        },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
