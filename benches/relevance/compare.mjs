// Relevance of guichet's search (search.js, the browser engine, which ranks exactly like
// `guichet search`) and of Pagefind on the same built pages, over the judged queries of
// queries.json: recall@1, recall@3 and MRR (over the first 10 results), and each miss.
//
//   node benches/relevance/compare.mjs BUILT_SITE [--search-js FILE] [--pagefind DIR]
//
// BUILT_SITE is the output of `guichet build` on benches/relevance/site; --search-js takes
// another search.js (an earlier revision's, with that revision's index: the "before" figures);
// --pagefind names a Pagefind bundle already written into BUILT_SITE (pagefind --site
// BUILT_SITE --output-subdir DIR), which is then run in Node, its files read from disk.
// run.sh does all of this.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const site = path.resolve(args[0]);
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : null);
const searchJs = option('--search-js') || path.join(here, '../../themes/guichet/static/search.js');
const pagefindDir = option('--pagefind');
const queries = JSON.parse(fs.readFileSync(path.join(here, 'queries.json'), 'utf8'));

/** The page of a result URL: anchors and anything before the site-relative path dropped. */
function pageOf(url) {
  const cut = url.replace(/#.*$/, '');
  const at = cut.indexOf('kb/');
  return at >= 0 ? cut.slice(at) : cut.replace(/^.*?\/(?=[^/]*\/?$)/, '');
}

/** The queries a plain full-text engine can answer: no typo, synonym, abbreviation or English word. */
const PLAIN = new Set(['plain', 'title', 'title vs Configuration section', 'accents', 'elision', 'code']);

function report(name, all) {
  line(name, all);
  line(`${name}, ${all.filter((_, i) => PLAIN.has(queries[i].kind)).length} queries without typo, synonym, abbreviation or English word`,
    all.filter((_, i) => PLAIN.has(queries[i].kind)));
}

function line(name, ranks) {
  const n = ranks.length;
  const at = (k) => ranks.filter((r) => r > 0 && r <= k).length;
  const mrr = ranks.reduce((sum, r) => sum + (r > 0 ? 1 / r : 0), 0) / n;
  console.log(`${name}: recall@1 ${at(1)}/${n} (${(at(1) / n).toFixed(2)}), recall@3 ${at(3)}/${n} ` +
    `(${(at(3) / n).toFixed(2)}), MRR ${mrr.toFixed(3)}`);
}

async function guichetRanks() {
  const search = createRequire(import.meta.url)(path.resolve(searchJs));
  const load = (file) => fs.promises.readFile(path.join(site, file), 'utf8').then(JSON.parse);
  const engine = search.createEngine(load, 'fr');
  const ranks = [];
  for (const q of queries) {
    const result = await engine.search(q.query, { lang: 'fr', limit: 10 });
    const pages = result.hits.map((h) => pageOf(h.url));
    ranks.push(rankOf(pages, q));
  }
  return ranks;
}

async function pagefindRanks() {
  const bundle = path.join(site, pagefindDir) + '/';
  globalThis.fetch = async (url) => {
    const file = fileURLToPath(new URL(url, pathToFileURL(bundle)));
    return new Response(fs.readFileSync(file), { status: 200 });
  };
  globalThis.window = globalThis;
  globalThis.location = { href: pathToFileURL(site + '/').href };
  const pagefind = await import(pathToFileURL(bundle + 'pagefind.js').href);
  await pagefind.options({ basePath: pathToFileURL(bundle).href });
  await pagefind.init();
  const ranks = [];
  for (const q of queries) {
    const found = await pagefind.search(q.query);
    const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    ranks.push(rankOf(data.map((d) => pageOf(d.url)), q));
  }
  return ranks;
}

function rankOf(pages, q) {
  const seen = [];
  for (const page of pages) if (!seen.includes(page)) seen.push(page);
  const index = seen.findIndex((p) => q.relevant.includes(p));
  return index < 0 ? 0 : index + 1;
}

function misses(name, ranks) {
  queries.forEach((q, i) => {
    if (ranks[i] !== 1) console.log(`  ${name} miss: "${q.query}" (${q.kind}) → rank ${ranks[i] || 'none'}`);
  });
}

const ours = await guichetRanks();
report(`guichet (${path.relative(process.cwd(), searchJs)})`, ours);
misses('guichet', ours);
if (pagefindDir) {
  const theirs = await pagefindRanks();
  report('pagefind', theirs);
  misses('pagefind', theirs);
}
