// The annual report's charts: uPlot draws each element with a data-chart attribute (JSON written by
// the server: labels, series, values, horizontal). Only options here, no drawing of our own. The
// table under each chart holds the same numbers; once the chart is drawn it is folded away.
(function () {
  'use strict';

  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  // The stylesheet's colours (--accent, --offer, --request, --ink, --muted, --line).
  var TONES = { default: '#0b5cad', offer: '#0f6b4f', request: '#8a4b08' };
  var INK = '#1b2430';
  var MUTED = '#56606d';
  var LINE = '#d9dee5';
  // Counts are whole numbers: no tick at 0.5.
  var WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  var BAR_ROW = 26;

  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  /**
   * Category names as the axis shows them: whole when they fit in half the chart's width, else cut
   * with an ellipsis (the table has them whole). Answers the names and the axis width.
   */
  function fitLabels(labels, width) {
    var context = document.createElement('canvas').getContext('2d');
    context.font = FONT;
    var room = Math.round(width * 0.5) - 14;
    var widest = 0;
    var fitted = labels.map(function (text) {
      var shown = text;
      while (shown.length > 1 && context.measureText(shown).width > room) shown = shown.slice(0, -2) + '…';
      widest = Math.max(widest, context.measureText(shown).width);
      return shown;
    });
    return { labels: fitted, size: Math.ceil(widest) + 14 };
  }

  function options(spec, width) {
    var count = spec.labels.length;
    var many = spec.series.length > 1;
    var horizontal = spec.horizontal;
    var indexes = spec.labels.map(function (_, index) {
      return index;
    });
    var height = horizontal ? count * BAR_ROW * (many ? 1.6 : 1) + 40 : 200;
    var names = horizontal ? fitLabels(spec.labels, width) : { labels: spec.labels, size: 30 };
    var categoryAxis = {
      scale: 'x',
      side: horizontal ? 3 : 2,
      font: FONT,
      stroke: INK,
      grid: { show: false },
      ticks: { show: false },
      gap: 6,
      size: names.size,
      splits: function () {
        return indexes;
      },
      values: function (_, splits) {
        return splits.map(function (index) {
          return names.labels[index] === undefined ? '' : names.labels[index];
        });
      },
    };
    var valueAxis = {
      scale: 'y',
      side: horizontal ? 2 : 3,
      font: FONT,
      stroke: MUTED,
      grid: { stroke: LINE, width: 1 },
      ticks: { show: false },
      incrs: WHOLE_STEPS,
      size: horizontal ? 30 : 44,
      values: function (_, splits) {
        return splits.map(function (value) {
          return value.toLocaleString();
        });
      },
    };
    return {
      width: width,
      height: height,
      // The numbers are in the table: no cursor, selection or hover legend to reach by mouse only.
      cursor: { show: false },
      select: { show: false },
      legend: { show: many, live: false },
      scales: {
        x: {
          time: false,
          ori: horizontal ? 1 : 0,
          // Across, the first category (the largest, or the funnel's first step) on top.
          dir: horizontal ? -1 : 1,
          range: function () {
            return [-0.5, count - 0.5];
          },
        },
        y: {
          ori: horizontal ? 0 : 1,
          dir: 1,
          // From zero, with a little room above the longest bar.
          range: function (_, min, max) {
            return [0, Math.max(Math.ceil(max * 1.05), 1)];
          },
        },
      },
      axes: [categoryAxis, valueAxis],
      series: [{}].concat(
        spec.series.map(function (series, index) {
          var colour = TONES[series.tone || 'default'];
          return {
            label: series.label,
            fill: colour,
            stroke: colour,
            width: 0,
            points: { show: false },
            // Two series stand side by side within their category.
            paths: window.uPlot.paths.bars({ size: [many ? 0.4 : 0.7, 48], align: many ? (index === 0 ? -1 : 1) : 0 }),
          };
        }),
      ),
    };
  }

  function draw(element) {
    var spec = JSON.parse(element.getAttribute('data-chart'));
    var indexes = spec.labels.map(function (_, index) {
      return index;
    });
    var width = element.clientWidth || 320;
    var chart = new window.uPlot(options(spec, width), [indexes].concat(spec.values), element);
    element.classList.add('chart--drawn');
    var figures = element.parentNode.querySelector('details.chart-data');
    if (figures) figures.open = false;
    if (window.ResizeObserver) {
      // A new width may need other cuts of the names: the chart is made again for it.
      new ResizeObserver(function () {
        var now = element.clientWidth;
        if (!now || now === width) return;
        width = now;
        chart.destroy();
        chart = new window.uPlot(options(spec, width), [indexes].concat(spec.values), element);
      }).observe(element);
    }
  }

  ready(function () {
    if (!window.uPlot) return;
    document.querySelectorAll('[data-chart]').forEach(draw);
  });
})();
