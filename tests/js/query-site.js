// Runs the browser's query engine over an index written on disk and prints the hits as JSON:
//   node tests/js/query-site.js SITE_DIR LANG QUERY [FILTERS_JSON]
//   node tests/js/query-site.js SITE_DIR LANG --batch '[[QUERY, FILTERS], ...]'  (a list of hit lists)
//   node tests/js/query-site.js SITE_DIR LANG --keystrokes QUERY  (warm per-keystroke times, ms)
//   node tests/js/query-site.js SITE_DIR LANG --results '[QUERY, ...]'  ({urls, more, suggestion} per query)
//   node tests/js/query-site.js SITE_DIR PAGE_LANG --grouped '[QUERY, ...]'  (a translated site's box on a
//     PAGE_LANG page: {urls, total, others, othersTotal} per query, `others` being the other language's group)
// LANG "*" searches every language, like `guichet search` without --lang. Used by
// tests/integration/search_parity.rs to prove the browser ranks exactly like `guichet search`,
// and by benches/search.rs: with GUICHET_TRACE_FILES=1 it prints {hits, files, ms, total, partial}
// instead, the files being every index file the query fetched, ms the time the query took, and
// partial whether total is only a lower bound (tiers of a large term left unread).
// GUICHET_LIMIT sets the number of hits (50 by default).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const search = require('../../themes/guichet/static/search.js');

const [site, lang, q, extra] = process.argv.slice(2);
const limit = Number(process.env.GUICHET_LIMIT || 50);

function load(files) {
  return (file) => {
    files.push(file);
    return fs.promises.readFile(path.join(site, file), 'utf8').then(JSON.parse);
  };
}

function engine(files) {
  return search.createEngine(load(files), lang === '*' ? 'fr' : lang);
}

async function run(query, filters) {
  const files = [];
  const started = performance.now();
  const result = await engine(files).search(query, { lang: lang === '*' ? undefined : lang, limit, filters });
  const ms = performance.now() - started;
  const hits = result.hits.map((h) => ({ url: h.url, score: h.score, heading: h.heading, excerpt: h.excerpt }));
  const { total, partial } = result;
  return process.env.GUICHET_TRACE_FILES === '1' ? { hits, files, ms, total, partial } : hits;
}

/** Types q one character at a time (as the search box does), then times each keystroke again
 * with the chunks already fetched: what a user feels while typing. */
async function keystrokes(query) {
  const searcher = engine([]);
  const options = { lang: lang === '*' ? undefined : lang, limit: 10 };
  for (let i = 1; i <= query.length; i++) await searcher.search(query.slice(0, i), options);
  const times = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 1; i <= query.length; i++) {
      const started = performance.now();
      await searcher.search(query.slice(0, i), options);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1] };
}

async function main() {
  if (q === '--keystrokes') return keystrokes(extra);
  if (q === '--results') {
    const results = [];
    for (const query of JSON.parse(extra)) {
      const result = await engine([]).search(query, { lang: lang === '*' ? undefined : lang, limit });
      results.push({
        urls: result.hits.map((h) => h.url),
        more: result.hits.map((h) => h.more.map((m) => m.url)),
        suggestion: result.suggestion,
      });
    }
    return results;
  }
  if (q === '--grouped') {
    const results = [];
    for (const query of JSON.parse(extra)) {
      const result = await search.createEngine(load([]), lang).search(query, { limit, pageLang: lang });
      results.push({
        urls: result.hits.map((h) => h.url),
        total: result.total,
        others: result.others.hits.map((h) => h.url),
        othersTotal: result.others.total,
      });
    }
    return results;
  }
  if (q === '--batch') {
    const results = [];
    for (const [query, filters] of JSON.parse(extra)) results.push(await run(query, filters || {}));
    return results;
  }
  return run(q, extra ? JSON.parse(extra) : {});
}

main().then(
  (output) => process.stdout.write(JSON.stringify(output)),
  (error) => {
    process.stderr.write(String((error && error.stack) || error));
    process.exit(1);
  },
);
