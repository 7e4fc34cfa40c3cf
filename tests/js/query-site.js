// Runs the browser's query engine over an index written on disk and prints the hits as JSON:
//   node tests/js/query-site.js SITE_DIR LANG QUERY [FILTERS_JSON]
// Used by tests/search_parity.rs to prove the browser ranks exactly like `guichet search`, and
// by benches/search.rs: with GUICHET_TRACE_FILES=1 it prints {hits, files, ms} instead (the
// number of hits is GUICHET_LIMIT, 50 by default), the
// files being every index file the query fetched and ms the time the query took.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const search = require('../../themes/guichet/static/search.js');

const [site, lang, q, filters] = process.argv.slice(2);
const files = [];
const load = (file) => {
  files.push(file);
  return fs.promises.readFile(path.join(site, file), 'utf8').then(JSON.parse);
};
const started = performance.now();
const engine = search.createEngine(load, lang === '*' ? 'fr' : lang);
engine
  .search(q, { lang: lang === '*' ? undefined : lang, limit: Number(process.env.GUICHET_LIMIT || 50), filters: filters ? JSON.parse(filters) : {} })
  .then((result) => {
    const hits = result.hits.map((h) => ({ url: h.url, score: h.score, heading: h.heading, excerpt: h.excerpt }));
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify(process.env.GUICHET_TRACE_FILES === '1' ? { hits, files, ms } : hits));
  })
  .catch((error) => {
    process.stderr.write(String(error));
    process.exit(1);
  });
