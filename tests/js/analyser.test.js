// The browser analyser against the shared vectors (also checked by
// tests/integration/search_vectors.rs).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const fs = require('node:fs');
const search = require('../../themes/guichet/static/search.js');

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'search_vectors.json'), 'utf8'));

test('the shared vectors give the same tokens as the Rust analyser', () => {
  assert.ok(vectors.length >= 30);
  for (const vector of vectors) {
    const tokens = search.analyse(vector.input, vector.lang).map((t) => (t.exact === null ? t.key : `${t.key}|${t.exact}`));
    assert.deepStrictEqual(tokens, vector.tokens, `input ${JSON.stringify(vector.input)} (${vector.lang})`);
  }
});

test('the shared typo vectors give the same budgets and distances as typos.rs', () => {
  const typos = vectors.filter((v) => v.typo);
  assert.ok(typos.length >= 8);
  for (const vector of typos) {
    const key = search.analyse(vector.input, vector.lang)[0].key;
    const distance = search.typoDistance(key, vector.typo.word, search.typoBudget(key));
    assert.strictEqual(distance < 0 ? null : distance, vector.typo.distance, `input ${JSON.stringify(vector.input)}`);
  }
});

test('typos: five letters for one edit, nine for two, plain words only', () => {
  assert.strictEqual(search.typoBudget('serv'), 0);
  assert.strictEqual(search.typoBudget('outlok'), 1);
  assert.strictEqual(search.typoBudget('impriment'), 2);
  assert.strictEqual(search.typoBudget('kb5034441'), 0);
  assert.strictEqual(search.typoDistance('otulok', 'outlook', 1), -1);
  assert.strictEqual(search.typoDistance('otulok', 'outlook', 2), 2);
});

test('NFD input is analysed like NFC input', () => {
  assert.deepStrictEqual(search.analyse('rede\u0301marrer', 'fr'), search.analyse('redémarrer', 'fr'));
});

test('terms compare by code point like Rust strings', () => {
  assert.strictEqual(search.compare('abc', 'abd'), -1);
  assert.strictEqual(search.compare('z', 'é'), -1);
  assert.strictEqual(search.compare('\uffff', '\u{10000}'), -1);
  assert.strictEqual(search.compare('ab', 'ab'), 0);
  assert.strictEqual(search.compare('abc', 'ab'), 1);
});

test('category facets expand to their parents', () => {
  assert.deepStrictEqual(search.expandFacets({ category: ['Réseau > Wi-Fi'], tags: ['a', 'a'] }), {
    category: ['Réseau', 'Réseau > Wi-Fi'],
    tags: ['a'],
  });
});

test('the reduced (file://) engine matches titles, headings and key terms', async () => {
  const engine = search.createFallbackEngine([
    {
      lang: 'fr',
      languages: ['fr'],
      pages: [
        ['kb/imprimante/', 'Imprimante hors ligne', 'KB', [['spouleur', 'Redémarrer le spouleur']], 'cabl reseau|x', { type: ['incident'] }],
        ['kb/wifi/', 'Wi-Fi invité', 'KB', [], 'vlan', { type: ['demande'], category: ['Réseau > Wi-Fi'] }],
      ],
    },
  ]);
  let result = await engine.search('redemarrer spouleur');
  assert.deepStrictEqual(result.hits.map((h) => h.url), ['kb/imprimante/#spouleur']);
  result = await engine.search("l'imprimante");
  assert.deepStrictEqual(result.hits.map((h) => h.url), ['kb/imprimante/']);
  result = await engine.search('vla');
  assert.deepStrictEqual(result.hits.map((h) => h.url), ['kb/wifi/']);
  result = await engine.search('wifi', { filters: { category: ['Réseau'] } });
  assert.deepStrictEqual(result.hits.map((h) => h.url), ['kb/wifi/']);
  result = await engine.search('wifi', { filters: { type: ['incident'] } });
  assert.deepStrictEqual(result.hits, []);
  result = await engine.search('le la les');
  assert.deepStrictEqual(result.hits, []);
});
