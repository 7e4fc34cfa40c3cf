// A translated site's search box groups its results: the page language's first, then the other
// language's apart (themes/guichet/static/search.js, options.pageLang). Without pageLang (a site
// in one language) the results stay ranked together, as before.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const search = require('../../themes/guichet/static/search.js');

test('splitByLanguage keeps the rank order inside each group', () => {
  const ranked = [
    { url: 'imprimer/', lang: 'fr' },
    { url: 'en/print/', lang: 'en' },
    { url: 'scanner/', lang: 'fr' },
    { url: 'en/scan/', lang: 'en' },
    { url: 'en/toner/', lang: 'en' },
  ];
  const split = search.splitByLanguage(ranked, 'en', (r) => r.lang);
  assert.deepStrictEqual(split.own.map((r) => r.url), ['en/print/', 'en/scan/', 'en/toner/']);
  assert.deepStrictEqual(split.others.map((r) => r.url), ['imprimer/', 'scanner/']);
});

/* Two languages' reduced-mode data: GLPI in both, "Se connecter" ranking above "Sign in". */
function datasets() {
  const languages = ['en', 'fr'];
  return [
    {
      lang: 'fr', languages,
      pages: [
        ['utilisateurs/se-connecter/', 'Se connecter à GLPI', 'Utilisateurs', [['mot-de-passe', 'Mot de passe GLPI']], 'glpi'],
        ['utilisateurs/suivre/', 'Suivre son ticket', 'Utilisateurs', [['glpi', 'Dans GLPI']], ''],
      ],
    },
    {
      lang: 'en', languages,
      pages: [
        ['en/utilisateurs/se-connecter/', 'Sign in', 'Users', [['glpi', 'GLPI']], ''],
        ['en/utilisateurs/', 'Users', 'Users', [], 'glpi'],
      ],
    },
  ];
}

test('without pageLang both languages are ranked together (one-language behaviour)', async () => {
  const result = await search.createFallbackEngine(datasets()).search('glpi', { limit: 10 });
  assert.deepStrictEqual(result.hits.map((h) => h.url), [
    'utilisateurs/se-connecter/#mot-de-passe',
    'utilisateurs/suivre/#glpi',
    'en/utilisateurs/se-connecter/#glpi',
    'en/utilisateurs/',
  ]);
  assert.strictEqual(result.total, 4);
  assert.strictEqual(result.others, undefined);
});

test('an English page gets its English results first and the French ones apart', async () => {
  const result = await search.createFallbackEngine(datasets()).search('glpi', { limit: 10, pageLang: 'en' });
  assert.deepStrictEqual(result.hits.map((h) => [h.url, h.language]), [
    ['en/utilisateurs/se-connecter/#glpi', 'en'],
    ['en/utilisateurs/', 'en'],
  ]);
  assert.strictEqual(result.total, 2);
  assert.deepStrictEqual(result.others.hits.map((h) => [h.url, h.language]), [
    ['utilisateurs/se-connecter/#mot-de-passe', 'fr'],
    ['utilisateurs/suivre/#glpi', 'fr'],
  ]);
  assert.strictEqual(result.others.total, 2);
});

test('a French page gets its French results first; the limit applies to each group', async () => {
  const result = await search.createFallbackEngine(datasets()).search('glpi', { limit: 1, pageLang: 'fr' });
  assert.deepStrictEqual(result.hits.map((h) => h.url), ['utilisateurs/se-connecter/#mot-de-passe']);
  assert.strictEqual(result.total, 2);
  assert.deepStrictEqual(result.others.hits.map((h) => h.url), ['en/utilisateurs/se-connecter/#glpi']);
  assert.strictEqual(result.others.total, 2);
});
