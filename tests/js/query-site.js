// Runs the browser's query engine over an index written on disk and prints the hits as JSON:
//   node tests/js/query-site.js SITE_DIR LANG QUERY [FILTERS_JSON]
// Used by tests/search_parity.rs to prove the browser ranks exactly like `guichet search`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const search = require('../../themes/guichet/static/search.js');

const [site, lang, q, filters] = process.argv.slice(2);
const load = (file) => fs.promises.readFile(path.join(site, file), 'utf8').then(JSON.parse);
const engine = search.createEngine(load, lang === '*' ? 'fr' : lang);
engine
  .search(q, { lang: lang === '*' ? undefined : lang, limit: 50, filters: filters ? JSON.parse(filters) : {} })
  .then((result) => {
    const hits = result.hits.map((h) => ({ url: h.url, score: h.score, heading: h.heading, excerpt: h.excerpt }));
    process.stdout.write(JSON.stringify(hits));
  })
  .catch((error) => {
    process.stderr.write(String(error));
    process.exit(1);
  });
