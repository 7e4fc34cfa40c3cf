/*
 * guichet: the filters of a workflow's lifecycle analytics (section.parcours). The build
 * draws the weighted diagram for every ticket and embeds the distinct paths (the flows each
 * took, the steps each reached) and the tickets grouped by month, type, category, priority
 * and path, with their number; choosing a
 * filter recomputes, in the page, each flow's count, share and band width, the count
 * captions, the flow table and which steps no ticket reached. No server, works from file://.
 * Without JavaScript the form stays hidden and the page shows every ticket.
 */
(function () {
  'use strict';

  var FIELDS = { month: 0, kind: 1, category: 2, priority: 3 };

  function percent(count, n) {
    return n === 0 ? '\u2013' : Math.round(count * 100 / n) + '\u00a0%';
  }

  function bandWidth(band, count, n) {
    if (count === 0 || n === 0) return 0;
    return Math.round((band[0] + (band[1] - band[0]) * count / n) * 10) / 10;
  }

  function setUp(section) {
    var script = section.querySelector('script.parcours-data');
    var form = section.querySelector('form.parcours-filters');
    if (!script || !form) return;
    var data = JSON.parse(script.textContent);
    var svg = section.querySelector('figure.weighted svg');
    var flowIndex = {};
    data.flows.forEach(function (pair, i) { flowIndex[pair[0] + '\u0000' + pair[1]] = i; });
    var flowGroups = svg ? Array.prototype.slice.call(svg.querySelectorAll('g.flow')) : [];
    var stepGroups = svg ? Array.prototype.slice.call(svg.querySelectorAll('g.step')) : [];
    var rows = Array.prototype.slice.call(section.querySelectorAll('tr[data-flow]'));
    var shown = section.querySelector('[data-parcours-shown]');
    var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));

    function update() {
      var wanted = selects.map(function (s) { return [FIELDS[s.getAttribute('data-filter')], s.value]; });
      var groups = data.groups.filter(function (g) {
        return wanted.every(function (w) { return w[1] === '' || String(g[w[0]]) === w[1]; });
      });
      var n = 0;
      var counts = data.flows.map(function () { return 0; });
      var reached = data.steps.map(function () { return 0; });
      groups.forEach(function (g) {
        var variant = data.variants[g[4]], tickets = g[5];
        n += tickets;
        variant[0].forEach(function (f) { counts[f] += tickets; });
        variant[1].forEach(function (s) { reached[s] += tickets; });
      });
      flowGroups.forEach(function (g) {
        var i = flowIndex[g.getAttribute('data-from') + '\u0000' + g.getAttribute('data-to')];
        if (i === undefined) return;
        var c = counts[i];
        g.setAttribute('data-count', String(c));
        g.classList.toggle('untaken', c === 0);
        if (c === 0) g.setAttribute('opacity', '0.35'); else g.removeAttribute('opacity');
        var band = g.querySelector('path.weight');
        if (band) band.setAttribute('stroke-width', String(bandWidth(data.band, c, n)));
        var caption = g.querySelector('g.count');
        if (caption) {
          caption.style.display = c === 0 ? 'none' : '';
          caption.querySelector('text').textContent = c + ' \u00b7 ' + percent(c, n);
        }
      });
      stepGroups.forEach(function (g) {
        var i = data.steps.indexOf(g.getAttribute('data-step'));
        if (i < 0 || g.getAttribute('data-kind') === 'comment') return;
        var faded = reached[i] === 0;
        g.classList.toggle('unreached', faded);
        if (faded) g.setAttribute('opacity', '0.35'); else g.removeAttribute('opacity');
      });
      rows.forEach(function (row) {
        var i = Number(row.getAttribute('data-flow'));
        row.querySelector('[data-count]').textContent = String(counts[i]);
        row.querySelector('[data-share]').textContent = percent(counts[i], n);
        row.classList.toggle('untaken', counts[i] === 0);
      });
      if (shown) shown.textContent = String(n);
    }

    selects.forEach(function (s) { s.addEventListener('change', update); });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    form.hidden = false;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('section.parcours'), setUp);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
