// While the tiers of a large term are unread, the search box says how many results it found at
// least, never a made-up exact number (themes/guichet/static/search.js, countText).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const search = require('../../themes/guichet/static/search.js');

test('the count says "at least" while it is a lower bound, in French and English', () => {
  assert.strictEqual(search.countText('fr', 2000, true), 'Au moins 2000 résultats');
  assert.strictEqual(search.countText('en', 2000, true), 'At least 2000 results');
  assert.strictEqual(search.countText('fr', 2000, false), '2000 résultats');
  assert.strictEqual(search.countText('en', 1, false), '1 result');
  assert.strictEqual(search.countText('fr', 1, false), '1 résultat');
});
