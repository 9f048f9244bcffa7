// Draws the page's charts with chart.js (served from the installed package). The server puts each chart's
// configuration, data only, into <script type="application/json" id="charts">; nothing here reads other page text.
(function () {
  'use strict';
  function timeTicks(axis) {
    var format = new Intl.DateTimeFormat(axis.locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone: axis.timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
    });
    return function (value) { return format.format(new Date(value)); };
  }
  function draw() {
    var source = document.getElementById('charts');
    if (!source || typeof window.Chart !== 'function') return;
    var specs = JSON.parse(source.textContent || '[]');
    specs.forEach(function (spec) {
      var canvas = document.getElementById(spec.canvas);
      if (!canvas) return;
      var options = spec.options || {};
      options.animation = false;
      options.responsive = false;
      if (spec.timeAxis) {
        var ticks = timeTicks(spec.timeAxis);
        options.scales = options.scales || {};
        options.scales.x = Object.assign({ type: 'linear' }, options.scales.x, { ticks: { callback: ticks, maxTicksLimit: 6 } });
        options.plugins = Object.assign({}, options.plugins, {
          tooltip: { callbacks: { title: function (items) { return items.length ? ticks(items[0].parsed.x) : ''; } } },
        });
      }
      canvas.dataset.drawn = 'true';
      new window.Chart(canvas, { type: spec.type, data: spec.data, options: options });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
