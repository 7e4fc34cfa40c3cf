/* guichet search: analyser, query engine and search box.
 *
 * The analyser and the ranking are twins of src/search/analyse.rs and src/search/query.rs:
 * tests/search_vectors.json and tests/js/*.test.js keep them identical. Served over http(s),
 * the index is read from PREFIX search/<lang>/ (meta.json, then only the term chunks and the
 * page fragments a query needs). From file://, where fetch() is refused, the compact script
 * search/fallback-<lang>.js is loaded instead and the box says it is in reduced mode.
 * Loaded by Node's test runner too: the page part only runs when there is a document.
 */
(function () {
  'use strict';

  /* ---------- analyser (twin of analyse.rs) ---------- */

  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var NUMERIC = /\p{N}/u;
  var COMBINING = /[\u0300-\u036f]/g;
  var ELISIONS = ['l', 'd', 'qu', 'n', 's', 'c', 'j', 'm', 't', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu'];
  var FRENCH_STOP_WORDS = new Set(('a ai ainsi alors as au aussi aux avait avec avez avoir avons c ca ce ceci ' +
    'cela ces cet cette chez comme d dans de des donc dont du elle elles en entre es est et etaient etait ' +
    'ete etes etre eux il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre ' +
    'nous on ont ou par pas pour qu quand que qui s sa sans se ses si son sont sous suis sur t ta te tes ' +
    'toi ton tu un une vers vos votre vous y').split(' '));
  var ENGLISH_STOP_WORDS = new Set(('a an and are as at be been but by can do does for from has have he ' +
    'her his i if in into is it its me my no not of on or our she so than that the their them then there ' +
    'these they this to was we were will with you your').split(' '));
  var FRENCH_SUFFIXES = ['eraient', 'erions', 'erais', 'erait', 'erons', 'eront', 'aient', 'ation', 'erez',
    'age', 'ant', 'ait', 'ais', 'ons', 'ée', 'er', 'ez', 'é', 'e'];

  function isWordChar(c) { return WORD.test(c); }
  function isApostrophe(c) { return c === "'" || c === '\u2019'; }
  function isConnector(c) { return '.-_:/\\@#+'.indexOf(c) >= 0 || isApostrophe(c); }
  function length(s) { var n = 0; for (var _ of s) n++; return n; }

  /** Removes accents (NFD, marks U+0300–U+036F dropped) and expands ligatures. */
  function fold(word) {
    return word.normalize('NFD').replace(COMBINING, '')
      .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss').normalize('NFC');
  }

  function isStopWord(folded, lang) {
    return (lang === 'fr' ? FRENCH_STOP_WORDS : ENGLISH_STOP_WORDS).has(folded);
  }

  /** Light French stemmer: plural, then one common ending (the stem keeps 3 characters). */
  function stemFrench(word) {
    if (length(word) <= 3) return word;
    var stem = word;
    if (stem.endsWith('eaux')) {
      stem = stem.slice(0, -1);
    } else if (stem.endsWith('s')) {
      var rest = stem.slice(0, -1);
      if (!/[suiè]$/.test(rest)) stem = rest;
    }
    for (var i = 0; i < FRENCH_SUFFIXES.length; i++) {
      var suffix = FRENCH_SUFFIXES[i];
      if (stem.endsWith(suffix)) {
        var base = stem.slice(0, stem.length - suffix.length);
        if (length(base) >= 3) return base;
      }
    }
    return stem;
  }

  function undouble(stem) {
    var chars = Array.from(stem);
    var n = chars.length;
    var last = chars[n - 1];
    if (n >= 2 && last === chars[n - 2] && 'lszaeiou'.indexOf(last) < 0 && /^[a-z]$/.test(last)) {
      return chars.slice(0, n - 1).join('');
    }
    return stem;
  }

  /** Light English stemmer: plural, then -ing/-ed (undoubling) or a final e. */
  function stemEnglish(word) {
    if (length(word) <= 3) return word;
    var stem = word;
    if (stem.endsWith('ies') && length(stem.slice(0, -3)) >= 2) {
      stem = stem.slice(0, -3) + 'y';
    } else if (stem.endsWith('sses')) {
      stem = stem.slice(0, -2);
    } else if (stem.endsWith('s') && !(stem.endsWith('ss') || stem.endsWith('us') || stem.endsWith('is'))) {
      stem = stem.slice(0, -1);
    }
    var endings = ['ing', 'ed'];
    for (var i = 0; i < endings.length; i++) {
      if (stem.endsWith(endings[i])) {
        var rest = stem.slice(0, stem.length - endings[i].length);
        if (length(rest) >= 3) return undouble(rest);
      }
    }
    if (stem.endsWith('e') && length(stem) > 4) stem = stem.slice(0, -1);
    return stem;
  }

  function pushToken(out, form) {
    var key = fold(form);
    out.push(key === form ? { key: key, exact: null } : { key: key, exact: form });
  }

  function pushIdentifierParts(word, out) {
    if (word.startsWith('0x')) {
      var hex = word.slice(2);
      if (hex.length > 0 && /^[0-9a-fA-F]+$/.test(hex)) {
        pushToken(out, hex);
        return;
      }
    }
    var letters = /^[a-z]*/.exec(word)[0];
    var digits = word.slice(letters.length);
    if (letters.length >= 2 && digits.length >= 3 && /^[0-9]+$/.test(digits)) {
      pushToken(out, letters);
      pushToken(out, digits);
    }
  }

  function analyseWord(word, lang, out) {
    var chars = Array.from(word);
    if (chars.length === 0 || (chars.length === 1 && !NUMERIC.test(chars[0]))) return;
    if (isStopWord(fold(word), lang)) return;
    if (NUMERIC.test(word)) {
      pushToken(out, word);
      pushIdentifierParts(word, out);
      return;
    }
    pushToken(out, lang === 'fr' ? stemFrench(word) : stemEnglish(word));
  }

  function splitOn(chars, test) {
    var parts = [''];
    for (var i = 0; i < chars.length; i++) {
      if (test(chars[i])) parts.push(''); else parts[parts.length - 1] += chars[i];
    }
    return parts;
  }

  function analyseCompound(segment, lang, out) {
    var chars = Array.from(segment);
    var parts = splitOn(chars, isConnector);
    if (parts.length === 1) {
      analyseWord(segment, lang, out);
      return;
    }
    pushToken(out, segment);
    parts.forEach(function (part) { analyseWord(part, lang, out); });
    var onlyHyphens = chars.filter(isConnector).every(function (c) { return c === '-'; });
    var glued = parts.join('');
    if (onlyHyphens && length(glued) <= 8) analyseWord(glued, lang, out);
  }

  function analyseRun(run, lang, out) {
    var segments = splitOn(run, isApostrophe);
    var count = segments.length;
    segments.forEach(function (segment, index) {
      var elided = index === 0 && count > 1 && ELISIONS.indexOf(segment) >= 0;
      var possessive = index === count - 1 && count > 1 && segment === 's';
      if (!elided && !possessive) analyseCompound(segment, lang, out);
    });
  }

  function splitRuns(chars) {
    var runs = [];
    var i = 0;
    while (i < chars.length) {
      if (!isWordChar(chars[i])) { i++; continue; }
      var run = [chars[i]];
      i++;
      while (i < chars.length) {
        var joined = isConnector(chars[i]) && i + 1 < chars.length && isWordChar(chars[i + 1]);
        if (!(isWordChar(chars[i]) || joined)) break;
        run.push(chars[i]);
        i++;
      }
      runs.push(run);
    }
    return runs;
  }

  /** Analyses text written in lang ("fr"; anything else uses the English rules). */
  function analyse(text, lang) {
    var chars = Array.from(String(text).normalize('NFC').toLowerCase());
    var out = [];
    splitRuns(chars).forEach(function (run) { analyseRun(run, lang, out); });
    return out;
  }

  /* ---------- query engine (twin of query.rs) ---------- */

  var SECTION_BITS = 7;
  var IMPACT_SCALE = 8;
  var PREFIX_WEIGHT = 0.7;
  var TYPO_WEIGHTS = [0.6, 0.4];
  var SYNONYM_WEIGHT = 0.6;
  var MAX_EXPANSIONS = 20;
  var MAX_PREFIX_CHUNKS = 3;
  var MAX_TYPOS = 3;
  var FEW_RESULTS = 3;
  var TITLE_WEIGHT = 2.0;
  var TITLE_COVERAGE = 1.5;
  var EXACT_BONUS = 0.3;
  var MORE_SECTIONS = 3;
  var MAX_GROUPS = 32;
  var ONE_TYPO_LETTERS = 5;
  var TWO_TYPOS_LETTERS = 9;
  var LETTERS = /^\p{Alphabetic}*$/u;

  /* Typo rules (twin of typos.rs): plain words only, 5+ letters one edit, 9+ two, the first
   * letter as typed; a swap of neighbouring letters is one edit. */
  function typoBudget(key) {
    if (!LETTERS.test(key)) return 0;
    var n = length(key);
    return n >= TWO_TYPOS_LETTERS ? 2 : n >= ONE_TYPO_LETTERS ? 1 : 0;
  }

  /** Optimal string alignment distance, or -1 when it passes limit. */
  function typoDistance(a, b, limit) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return -1;
    var width = b.length + 1, rows = new Array((a.length + 1) * width);
    for (var j = 0; j < width; j++) rows[j] = j;
    for (var i = 1; i <= a.length; i++) {
      rows[i * width] = i;
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[(i - 1) * width + j] + 1, rows[i * width + j - 1] + 1, rows[(i - 1) * width + j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[(i - 2) * width + j - 2] + 1);
        rows[i * width + j] = d;
        best = Math.min(best, d);
      }
      if (best > limit) return -1;
    }
    var distance = rows[a.length * width + b.length];
    return distance <= limit ? distance : -1;
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  /** Compares by code points, like Rust's str ordering. */
  function compare(a, b) {
    if (a === b) return 0;
    var ia = a[Symbol.iterator](), ib = b[Symbol.iterator]();
    for (;;) {
      var x = ia.next(), y = ib.next();
      if (x.done) return y.done ? 0 : -1;
      if (y.done) return 1;
      var cx = x.value.codePointAt(0), cy = y.value.codePointAt(0);
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
  }

  function idfOf(count, df) { return Math.log(1 + (count - df + 0.5) / (df + 0.5)); }

  function decodePairs(list) {
    var out = [], previous = 0;
    list = list || [];
    for (var i = 0; i + 1 < list.length; i += 2) {
      previous += list[i];
      out.push([previous, list[i + 1]]);
    }
    return out;
  }

  function decodeIds(list) {
    var out = [], previous = 0;
    (list || []).forEach(function (delta) { previous += delta; out.push(previous); });
    return out;
  }

  function popcount(mask) {
    var n = 0;
    for (mask = mask >>> 0; mask; mask = mask >>> 1) n += mask & 1;
    return n;
  }

  /** One language's index; load(path) resolves to parsed JSON for a path under the site root. */
  function LanguageIndex(load, lang) {
    this.load = load;
    this.lang = lang;
    this.base = 'search/' + lang + '/';
    this.meta = null;
    this.chunks = new Map();
    this.fragments = new Map();
    this.entries = new Map();
    this.tierFiles = new Map();
    this.merged = new Map();
    // Of each term cut into tiers (see tiers.rs): whether its titles are read, the blocks read
    // of each of its two lists, whether it is read whole; and the terms of the last query
    // with postings left to read.
    this.titles = new Set();
    this.blocksRead = new Map();
    this.wholeTerms = new Set();
    this.unread = new Set();
    this.whole = false;
  }

  LanguageIndex.prototype.open = function () {
    var self = this;
    if (!this.opening) {
      this.opening = this.load(this.base + 'meta.json').then(function (meta) {
        // Format 6 writes the fragment table as differences (twin of index.rs's Meta::read).
        if (meta.v === 6) {
          for (var i = 1; i < meta.frag.length; i++) meta.frag[i] += meta.frag[i - 1];
        }
        self.meta = meta;
        return self;
      });
    }
    return this.opening;
  };

  LanguageIndex.prototype.chunkOf = function (term) {
    var chunks = this.meta.chunks, lo = 0, hi = chunks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(chunks[mid][0], term) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  };

  LanguageIndex.prototype.chunk = function (index) {
    var chunks = this.chunks;
    if (!chunks.has(index)) chunks.set(index, this.load(this.base + this.meta.chunks[index][1]));
    return chunks.get(index);
  };

  LanguageIndex.prototype.raw = async function (term) {
    var index = this.chunkOf(term);
    if (index < 0) return null;
    var chunk = await this.chunk(index);
    return Object.prototype.hasOwnProperty.call(chunk, term) ? chunk[term] : null;
  };

  /** Decoded postings of a term, kept: typing re-runs the query on every keystroke. */
  LanguageIndex.prototype.entry = function (term) {
    if (!this.entries.has(term)) this.entries.set(term, this.decodedEntry(term));
    return this.entries.get(term);
  };

  LanguageIndex.prototype.decodedEntry = async function (term) {
    var value = await this.raw(term);
    if (!value) return null;
    var part = decodedPart(value);
    part.tiers = value[3] || null;
    return part;
  };

  /** [body, title, {form: ids}] decoded: a whole entry, a head or a tier file. */
  function decodedPart(value) {
    var exact = new Map();
    if (value[2]) Object.keys(value[2]).forEach(function (k) { exact.set(k, decodeIds(value[2][k])); });
    return { body: decodePairs(value[0]), title: decodePairs(value[1]), exact: exact };
  }

  LanguageIndex.prototype.tierFile = function (file) {
    if (!this.tierFiles.has(file)) this.tierFiles.set(file, this.load(this.base + file).then(decodedTier));
    return this.tierFiles.get(file);
  };

  /** A tier file [body ids, body impacts, title pages, title impacts, {form: [body runs, title
   * runs, other ids]}] decoded (twin of query.rs's decode_tier). */
  function decodedTier(value) {
    var bodyIds = decodeIds(value[0]), titlePages = decodeIds(value[2]);
    var body = bodyIds.map(function (id, i) { return [id, value[1][i]]; });
    var title = titlePages.map(function (page, i) { return [page, value[3][i]]; });
    var exact = new Map();
    Object.keys(value[4] || {}).forEach(function (form) {
      var lists = value[4][form], ids = [];
      runPositions(lists[0] || []).forEach(function (at) { ids.push(bodyIds[at]); });
      runPositions(lists[1] || []).forEach(function (at) { ids.push(titlePages[at] << SECTION_BITS); });
      ids = ids.concat(decodeIds(lists[2]));
      ids.sort(function (a, b) { return a - b; });
      exact.set(form, ids);
    });
    return { body: body, title: title, exact: exact };
  }

  /** The positions marked by [marked, unmarked, marked, …] run lengths. */
  function runPositions(runs) {
    var out = [], at = 0;
    runs.forEach(function (run, index) {
      if (index % 2 === 0) for (var k = 0; k < run; k++) out.push(at + k);
      at += run;
    });
    return out;
  }

  /** The postings of a term (twin of query.rs's entry_reading): for a term cut into tiers, its
   * head, then its titles and the blocks the query needed (all of them when `whole`), with
   * the counts of the whole term and, while postings are left, what bounds them. */
  LanguageIndex.prototype.entryReading = async function (term, whole) {
    var head = await this.entry(term);
    if (!head) return null;
    var table = head.tiers;
    if (!table) {
      return { body: head.body, title: head.title, exact: head.exact, df: [head.body.length, head.title.length], pages: 0, unread: null };
    }
    whole = whole || this.whole || this.wholeTerms.has(term);
    var titlesRead = whole || this.titles.has(term);
    var read = this.blocksRead.get(term) || [new Set(), new Set()];
    var key = term + '\u0000' + (whole ? 'w' : !titlesRead ? 'h' :
      read.map(function (set) { return Array.from(set).sort(function (a, b) { return a - b; }).join(','); }).join('|'));
    var headPages = new Set();
    head.body.forEach(function (p) { headPages.add(p[0] >>> SECTION_BITS); });
    head.title.forEach(function (p) { headPages.add(p[0]); });
    head.exact.forEach(function (ids) { ids.forEach(function (id) { headPages.add(id >>> SECTION_BITS); }); });
    var unread = { term: term, reach: table[3], read: headPages, blocks: null };
    var base = { df: [table[0], table[1]], pages: table[2] };
    if (!titlesRead) {
      this.unread.add(term);
      return { body: head.body, title: head.title, exact: head.exact, df: base.df, pages: base.pages, unread: unread };
    }
    if (this.merged.has(key)) {
      var known = this.merged.get(key);
      if (known.unread) this.unread.add(term);
      return known;
    }
    var hash = table[4];
    var titles = await this.tierFile('t/' + hash + '-t.json');
    var titled = new Set(titles.title.map(function (p) { return p[0]; }));
    var body = head.body, title = head.title.concat(titles.title), exact = new Map(head.exact);
    var lists = [[table[5][0], table[5][1].slice()], [table[6][0], table[6][1].slice()]];
    for (var l = 0; l < 2; l++) {
      var maxima = lists[l][1];
      for (var block = 0; block < maxima.length; block++) {
        if (maxima[block] <= 0 || !(whole || read[l].has(block))) continue;
        maxima[block] = 0;
        var part = await this.tierFile('t/' + hash + '-' + 'ab'[l] + block + '.json');
        body = body.concat(part.body);
        part.exact.forEach(function (ids, form) { exact.set(form, (exact.get(form) || []).concat(ids)); });
      }
    }
    var left = lists.some(function (list) { return list[1].some(function (m) { return m > 0; }); });
    if (left) {
      unread.blocks = { titled: titled, lists: lists };
      this.unread.add(term);
    }
    var entry = { body: body, title: title, exact: exact, df: base.df, pages: base.pages, unread: left ? unread : null };
    this.merged.set(key, entry);
    return entry;
  };

  /** The postings of a term as far as the query needed so far. */
  LanguageIndex.prototype.termEntry = function (term) {
    return this.entryReading(term, false);
  };

  LanguageIndex.prototype.completions = async function (prefix) {
    var chunks = this.meta.chunks;
    var start = Math.max(this.chunkOf(prefix), 0);
    var found = [];
    for (var index = start; index < chunks.length && index < start + MAX_PREFIX_CHUNKS &&
      (index === start || chunks[index][0].startsWith(prefix)); index++) {
      var chunk = await this.chunk(index);
      Object.keys(chunk).forEach(function (term) {
        if (term !== prefix && term.startsWith(prefix) && term[0] !== '~') {
          var value = chunk[term];
          found.push([value[3] ? value[3][0] : Math.floor((value[0] || []).length / 2), term]);
        }
      });
    }
    found.sort(function (a, b) { return b[0] - a[0] || compare(a[1], b[1]); });
    return found.slice(0, MAX_EXPANSIONS).map(function (f) { return f[1]; });
  };

  /** Distinct query keys, the last completed, the unknown ones corrected; and the synonym spans. */
  /** The keys of q, analysed for this index, that this index has. */
  LanguageIndex.prototype.knownKeys = async function (q) {
    await this.open();
    var known = [];
    var tokens = analyse(q, this.meta.lang);
    for (var i = 0; i < tokens.length; i++) if (await this.entry(tokens[i].key)) known.push(tokens[i].key);
    return known;
  };

  LanguageIndex.prototype.groups = async function (q, known) {
    var groups = [];
    analyse(q, this.meta.lang).forEach(function (token) {
      if (groups.length < MAX_GROUPS && !groups.some(function (g) { return g.key === token.key; })) {
        groups.push({ key: token.key, exact: token.exact, expansions: [], typos: [] });
      }
    });
    var last = groups[groups.length - 1];
    if (last && length(last.key) >= 3) last.expansions = await this.completions(last.key);
    var spans = synonymSpans(this.meta.syn || [], groups.map(function (g) { return g.key; }));
    for (var index = 0; index < groups.length; index++) {
      var group = groups[index];
      var budget = typoBudget(group.key);
      var hasSynonym = spans.some(function (s) { return s.start <= index && index < s.end; });
      if (budget === 0 || group.expansions.length > 0 || hasSynonym || known.has(group.key)) continue;
      group.typos = (await this.candidates(group.key, budget))
        .filter(function (c) { return c.distance > 0; })
        .slice(0, MAX_TYPOS)
        .map(function (c) { return [c.word, c.distance]; });
    }
    return { groups: groups, spans: spans };
  };

  /** The spans of keys that are a phrase of a synonym group (twin of synonym_spans). */
  function synonymSpans(table, keys) {
    var spans = [];
    table.forEach(function (group) {
      var present = parseInt(group[0], 10) || 0;
      var phrases = group.slice(1).map(function (p) { return p.split(' '); });
      phrases.forEach(function (phrase, index) {
        for (var start = 0; start < keys.length; start++) {
          var end = start + phrase.length;
          if (end > keys.length) continue;
          var same = true;
          for (var k = 0; k < phrase.length; k++) if (keys[start + k] !== phrase[k]) { same = false; break; }
          if (!same) continue;
          var span = spans.find(function (s) { return s.start === start && s.end === end; });
          if (!span) { span = { start: start, end: end, alternatives: [] }; spans.push(span); }
          phrases.slice(0, present).forEach(function (other, o) {
            if (o === index) return;
            var joined = other.join(' ');
            if (!span.alternatives.some(function (a) { return a.join(' ') === joined; })) span.alternatives.push(other);
          });
        }
      });
    });
    spans = spans.filter(function (s) { return s.alternatives.length > 0; });
    spans.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    return spans;
  }

  LanguageIndex.prototype.typoFile = function (index) {
    var files = this.typoFiles || (this.typoFiles = new Map());
    if (!files.has(index)) files.set(index, this.load(this.base + this.meta.typo[index][1]));
    return files.get(index);
  };

  /** Words of the site within budget edits of key, first letter kept: closest, most used, then by name. */
  LanguageIndex.prototype.candidates = async function (key, budget) {
    var table = this.meta.typo || [];
    var n = length(key), first = Array.from(key)[0];
    var low = first + pad2(Math.max(n - budget, 0)), high = first + pad2(Math.min(n + budget + 1, 99));
    var lo = 0, hi = table.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(table[mid][0], low) <= 0) lo = mid + 1; else hi = mid;
    }
    var found = [];
    for (var file = Math.max(lo - 1, 0); file < table.length && compare(table[file][0], high) < 0; file++) {
      var entries = await this.typoFile(file);
      for (var i = 0; i + 2 < entries.length; i += 3) {
        var word = entries[i];
        if (!word.startsWith(first)) continue;
        var distance = typoDistance(key, word, budget);
        if (distance >= 0) found.push({ word: word, distance: distance, pages: entries[i + 1], written: entries[i + 2] || word });
      }
    }
    found.sort(function (a, b) { return a.distance - b.distance || b.pages - a.pages || compare(a.word, b.word); });
    return found;
  };

  /** The query with corrected words replaced by the site's written form (twin of suggestion()). */
  LanguageIndex.prototype.suggestion = async function (q, corrected, total) {
    var replacements = new Map();
    for (var c = 0; c < corrected.length; c++) {
      var key = corrected[c][0], word = corrected[c][1];
      var match = (await this.candidates(key, typoBudget(key))).find(function (x) { return x.word === word; });
      if (match) replacements.set(key, match.written);
    }
    var words = [], changed = false, typed = q.trim() ? q.trim().split(/\s+/) : [];
    for (var w = 0; w < typed.length; w++) {
      var tokens = analyse(typed[w], this.meta.lang);
      if (tokens.length !== 1) { words.push(typed[w]); continue; }
      var replacement = replacements.has(tokens[0].key) ? replacements.get(tokens[0].key) : null;
      if (replacement === null && total < FEW_RESULTS) replacement = await this.moreUsed(tokens[0].key);
      if (replacement !== null) { changed = true; words.push(replacement); } else words.push(typed[w]);
    }
    return changed ? words.join(' ') : null;
  };

  LanguageIndex.prototype.moreUsed = async function (key) {
    var budget = typoBudget(key);
    if (budget === 0) return null;
    var entry = await this.termEntry(key);
    var own = entry ? entry.df[0] + entry.df[1] : 0;
    var found = (await this.candidates(key, budget)).find(function (c) { return c.distance > 0 && c.pages > own; });
    return found ? found.written : null;
  };

  LanguageIndex.prototype.allowedPages = async function (filters) {
    var allowed = null;
    var names = Object.keys(filters || {}).sort(compare);
    for (var n = 0; n < names.length; n++) {
      var values = filters[names[n]];
      if (!values || values.length === 0) continue;
      var pages = new Set();
      for (var v = 0; v < values.length; v++) {
        var value = await this.raw('~' + names[n] + '=' + values[v]);
        if (value) decodeIds(value[0]).forEach(function (p) { pages.add(p); });
      }
      allowed = allowed === null ? pages : new Set(Array.from(allowed).filter(function (p) { return pages.has(p); }));
    }
    return allowed;
  };

  /* A slot is [score, groups matched by the query's own words, groups matched by synonyms]. */
  function addTo(map, id, score, mask, own) {
    var slot = map.get(id);
    if (!slot) { slot = [0, 0, 0]; map.set(id, slot); }
    slot[0] += score;
    if (own) slot[1] = (slot[1] | mask) >>> 0; else slot[2] = (slot[2] | mask) >>> 0;
  }

  /** The scores being summed (twin of rank.rs's Scores). */
  function Scores(sections, pages) {
    this.body = new Map();
    this.title = new Map();
    this.sections = sections;
    this.pages = pages;
    // Terms not read whole: {weight, mask, unread} (twin of rank.rs's Pending).
    this.pending = [];
  }

  /** The most a term not read whole can still add to a section of `page`, 0 when the page is
   * known whole for it (twin of rank.rs's Unread::gain). */
  function unreadGain(unread, page) {
    if (unread.read.has(page)) return 0;
    if (!unread.blocks) return unread.reach;
    var list = unread.blocks.lists[unread.blocks.titled.has(page) ? 0 : 1];
    var max = list[1][Math.floor(page / Math.pow(2, list[0]))];
    return Math.min(max === undefined ? 0 : max, unread.reach);
  }

  /** The most a term can still add to a page no term lists, in the range of pages `fine` at
   * `shift` (twin of rank.rs's Unread::unlisted_gain). */
  function unlistedGain(unread, fine, shift) {
    if (!unread.blocks) return unread.reach;
    var list = unread.blocks.lists[1];
    var max = list[1][Math.floor(fine / Math.pow(2, list[0] - shift))];
    return Math.min(max === undefined ? 0 : max, unread.reach);
  }

  /** What the terms not read whole could still add to `page`, and their groups; null when
   * the page is known whole (twin of rank.rs's Scores::missing). */
  Scores.prototype.missing = function (page) {
    var gain = null;
    this.pending.forEach(function (p) {
      var g = p.weight * unreadGain(p.unread, page);
      if (g <= 0) return;
      if (gain === null) gain = [0, 0];
      gain = [gain[0] + g, (gain[1] | p.mask) >>> 0];
    });
    return gain;
  };

  /** The finest shift of the other-pages lists of the terms whose titles are read (null when
   * no term's are). */
  Scores.prototype.finestShift = function () {
    var shift = null;
    this.pending.forEach(function (p) {
      if (p.unread.blocks && (shift === null || p.unread.blocks.lists[1][0] < shift)) shift = p.unread.blocks.lists[1][0];
    });
    return shift;
  };

  /** The highest score a page no term lists could reach, by range of pages at the finest
   * shift, as [range, bound] where above 0 (twin of rank.rs's Scores::unlisted_bounds). */
  Scores.prototype.unlistedBounds = function (groupCount) {
    if (this.pending.length === 0) return [];
    var shift = this.finestShift(), ranges = 1;
    if (shift === null) shift = 0; else ranges = Math.max(1, Math.ceil(this.pages / Math.pow(2, shift)));
    var out = [];
    for (var fine = 0; fine < ranges; fine++) {
      var reach = 0, groups = 0;
      this.pending.forEach(function (p) {
        var g = p.weight * unlistedGain(p.unread, fine, shift);
        if (g <= 0) return;
        reach += g;
        groups = (groups | p.mask) >>> 0;
      });
      var covered = Math.min(1, popcount(groups) / groupCount);
      if (reach > 0) out.push([fine, reach * covered * covered]);
    }
    return out;
  };

  /** The blocks to read next, as [term, list, block]: those of the `count` candidates
   * ([bound, page]) and ranges of pages no term lists with the highest bounds that reach
   * `threshold` (twin of rank.rs's Scores::wanted_blocks). */
  Scores.prototype.wantedBlocks = function (threshold, candidates, groupCount, count) {
    var wants = [], pending = this.pending;
    candidates.forEach(function (candidate) {
      var page = candidate[1], blocks = [];
      pending.forEach(function (p) {
        var bounds = p.unread.blocks;
        if (!bounds || unreadGain(p.unread, page) <= 0) return;
        var list = bounds.titled.has(page) ? 0 : 1;
        blocks.push([p.unread.term, list, Math.floor(page / Math.pow(2, bounds.lists[list][0]))]);
      });
      wants.push([candidate[0], 0, page, blocks]);
    });
    var shift = this.finestShift();
    if (shift !== null) {
      this.unlistedBounds(groupCount).forEach(function (range) {
        if (range[1] < threshold) return;
        var blocks = [];
        pending.forEach(function (p) {
          if (!p.unread.blocks || unlistedGain(p.unread, range[0], shift) <= 0) return;
          blocks.push([p.unread.term, 1, Math.floor(range[0] / Math.pow(2, p.unread.blocks.lists[1][0] - shift))]);
        });
        wants.push([range[1], 1, range[0], blocks]);
      });
    }
    wants = wants.filter(function (w) { return w[3].length > 0; });
    wants.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
    var wanted = [];
    wants.slice(0, Math.max(count, 1)).forEach(function (w) { wanted = wanted.concat(w[3]); });
    return wanted;
  };

  Scores.prototype.addTerm = function (entry, weight, mask, exact) {
    var self = this;
    // The reach includes the exact bonus, which only the weight-1 own key gets.
    if (entry.unread) this.pending.push({ weight: weight, mask: mask, unread: entry.unread });
    var idf = idfOf(this.sections, entry.df[0]);
    entry.body.forEach(function (p) { addTo(self.body, p[0], weight * idf * p[1] / IMPACT_SCALE, mask, true); });
    var titleIdf = idfOf(this.pages, entry.df[1]);
    entry.title.forEach(function (p) { addTo(self.title, p[0], weight * TITLE_WEIGHT * titleIdf * p[1] / IMPACT_SCALE, mask, true); });
    if (exact !== null && exact !== undefined && entry.exact.has(exact)) {
      entry.exact.get(exact).forEach(function (id) { addTo(self.body, id, EXACT_BONUS * idf, mask, true); });
    }
  };

  Scores.prototype.addSynonyms = function (alternatives, mask) {
    var self = this, body = new Map(), title = new Map();
    function keepBest(best, found, count) {
      found.forEach(function (slot, id) {
        if (slot[1] !== count) return;
        var mean = slot[0] / count;
        if (!best.has(id) || mean > best.get(id)) best.set(id, mean);
      });
    }
    alternatives.forEach(function (entries) {
      var altBody = new Map(), altTitle = new Map();
      entries.forEach(function (entry) {
        var idf = idfOf(self.sections, entry.df[0]);
        entry.body.forEach(function (p) {
          var slot = altBody.get(p[0]) || [0, 0];
          slot[0] += idf * p[1] / IMPACT_SCALE;
          slot[1] += 1;
          altBody.set(p[0], slot);
        });
        var titleIdf = idfOf(self.pages, entry.df[1]);
        entry.title.forEach(function (p) {
          var slot = altTitle.get(p[0]) || [0, 0];
          slot[0] += TITLE_WEIGHT * titleIdf * p[1] / IMPACT_SCALE;
          slot[1] += 1;
          altTitle.set(p[0], slot);
        });
      });
      keepBest(body, altBody, entries.length);
      keepBest(title, altTitle, entries.length);
    });
    body.forEach(function (score, id) { addTo(self.body, id, SYNONYM_WEIGHT * score, mask, false); });
    title.forEach(function (score, page) { addTo(self.title, page, SYNONYM_WEIGHT * score, mask, false); });
  };

  /* One result per page: its best section (ties to the earlier one), its other matching
   * sections, best first; a title-only result replaces the best section only when higher. */
  Scores.prototype.results = function (groupCount, allowed) {
    var self = this;
    // A group matched only by a synonym counts for SYNONYM_WEIGHT of a group.
    function share(own, synonyms) {
      return (popcount(own) + SYNONYM_WEIGHT * popcount((synonyms & ~own) >>> 0)) / groupCount;
    }
    function titleOf(page) {
      var slot = self.title.get(page) || [0, 0, 0];
      var coverage = share(slot[1], slot[2]);
      return [slot[0] * (1 + TITLE_COVERAGE * coverage * coverage), slot[1], slot[2]];
    }
    // What the terms not read whole could still add to a page, and their groups (counted as
    // the query's own: a bound may only be too high); null when the page is read whole.
    var pending = this.pending;
    function missing(page) { return self.missing(page); }
    // The highest score a section of the page holding `body` for the groups in own/synonyms
    // could reach once every term is read (twin of rank.rs).
    function upper(page, body, own, synonyms, gain) {
      var slot = self.title.get(page) || [0, 0, 0];
      var covered = Math.min(1, popcount((own | synonyms | slot[1] | slot[2] | gain[1]) >>> 0) / groupCount);
      return (body + slot[0] * (1 + TITLE_COVERAGE) + gain[0]) * covered * covered;
    }
    var pages = new Map();
    this.body.forEach(function (slot, section) {
      var page = section >>> SECTION_BITS;
      if (allowed && !allowed.has(page)) return;
      var t = titleOf(page);
      var covered = share((slot[1] | t[1]) >>> 0, (slot[2] | t[2]) >>> 0);
      var list = pages.get(page);
      if (!list) { list = []; pages.set(page, list); }
      list.push([(slot[0] + t[0]) * covered * covered, section, (slot[1] | t[1]) !== 0, slot]);
    });
    var results = new Map();
    pages.forEach(function (list, page) {
      list.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      var gain = pending.length > 0 ? missing(page) : null;
      var bound = null;
      if (gain !== null) {
        bound = upper(page, 0, 0, 0, gain);
        list.forEach(function (x) { bound = Math.max(bound, upper(page, x[3][0], x[3][1], x[3][2], gain)); });
      }
      results.set(page, {
        score: list[0][0], section: list[0][1], own: list.some(function (x) { return x[2]; }),
        more: list.slice(1, 1 + MORE_SECTIONS).map(function (x) { return x[1]; }), upper: bound
      });
    });
    this.title.forEach(function (slot, page) {
      if (allowed && !allowed.has(page)) return;
      var t = titleOf(page);
      var covered = share(t[1], t[2]);
      var score = t[0] * covered * covered;
      var result = results.get(page);
      if (!result) {
        var gain = pending.length > 0 ? missing(page) : null;
        results.set(page, {
          score: score, section: page << SECTION_BITS, own: t[1] !== 0, more: [],
          upper: gain === null ? null : upper(page, 0, 0, 0, gain)
        });
      } else if (score > result.score) {
        results.set(page, {
          score: score, section: page << SECTION_BITS, own: result.own,
          more: [result.section].concat(result.more).slice(0, MORE_SECTIONS), upper: result.upper
        });
      }
    });
    var unseen = null;
    this.unlistedBounds(groupCount).forEach(function (range) { unseen = unseen === null ? range[1] : Math.max(unseen, range[1]); });
    return { scored: Array.from(results.values()), unseen: unseen };
  };

  /** Scores every matching page: {groups, spans, scored: [{score, lang, section, more}], corrected}. */
  LanguageIndex.prototype.search = async function (q, filters, known, unlessForeign) {
    await this.open();
    this.unread = new Set();
    var found = await this.groups(q, known);
    var groups = found.groups, spans = found.spans;
    if (groups.length === 0) return { groups: groups, spans: spans, scored: [], corrected: [], unseen: null, floor: 0 };
    var allowed = await this.allowedPages(filters);
    var scores = new Scores(this.meta.sections, this.meta.pages);
    // Every page having one of the query's own terms is a result: a lower bound of the count
    // while tiers are left (not with filters, which may leave some out).
    var floor = 0, unfiltered = allowed === null, ownTerms = 0;
    function add(entry, weight, bit, exact) {
      if (entry.unread && unfiltered) floor = Math.max(floor, entry.pages);
      ownTerms++;
      scores.addTerm(entry, weight, bit, exact);
    }
    for (var g = 0; g < groups.length; g++) {
      var group = groups[g];
      var bit = (1 << g) >>> 0;
      var entry = await this.termEntry(group.key);
      if (entry) add(entry, 1.0, bit, group.exact);
      for (var e = 0; e < group.expansions.length; e++) {
        entry = await this.termEntry(group.expansions[e]);
        if (entry) add(entry, PREFIX_WEIGHT, bit, null);
      }
      for (var t = 0; t < group.typos.length; t++) {
        entry = await this.termEntry(group.typos[t][0]);
        if (entry) add(entry, TYPO_WEIGHTS[group.typos[t][1] - 1], bit, null);
      }
    }
    var corrected = groups.filter(function (x) { return x.typos.length > 0; })
      .map(function (x) { return [x.key, x.typos[0][0]]; });
    // Without any of the query's own words, the synonyms wait (twin of query.rs's
    // Synonyms::UnlessForeign): read only when no language has results of its own.
    if (ownTerms === 0 && unlessForeign && spans.length > 0) {
      return { groups: groups, spans: spans, scored: [], corrected: corrected, unseen: null, floor: 0, foreign: true };
    }
    for (var s = 0; s < spans.length; s++) {
      var span = spans[s], mask = 0;
      for (var k = span.start; k < span.end; k++) mask = (mask | (1 << k)) >>> 0;
      var alternatives = [];
      for (var a = 0; a < span.alternatives.length; a++) {
        var keys = span.alternatives[a], entries = [];
        for (var i = 0; i < keys.length; i++) {
          // A synonym's score is a mean over its words: simplest bounded read whole.
          var found2 = await this.entryReading(keys[i], true);
          if (found2) entries.push(found2);
        }
        if (entries.length === keys.length) alternatives.push(entries);
      }
      scores.addSynonyms(alternatives, mask);
    }
    var lang = this.lang;
    var ranked = scores.results(groups.length, allowed);
    var scored = ranked.scored.map(function (r) {
      return { score: r.score, lang: lang, section: r.section, own: r.own, more: r.more, upper: r.upper };
    });
    return {
      groups: groups, spans: spans, scored: scored, corrected: corrected, unseen: ranked.unseen, floor: floor,
      scores: scores
    };
  };

  /** The fragment of a page. meta.frag lists the first page of each fragment file (file n is
   * f/<meta.frag_hash>-<n>.json, a JSON array of the fragments of consecutive pages). */
  LanguageIndex.prototype.fragment = async function (page) {
    var table = this.meta.frag, lo = 0, hi = table.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (table[mid] <= page) lo = mid + 1; else hi = mid;
    }
    var file = lo - 1;
    if (file < 0) throw new Error('search index of ' + this.lang + ': no fragment for page ' + page);
    if (!this.fragments.has(file)) {
      this.fragments.set(file, this.load(this.base + 'f/' + this.meta.frag_hash + '-' + file + '.json'));
    }
    var fragment = (await this.fragments.get(file))[page - table[file]];
    if (!fragment) throw new Error('search index of ' + this.lang + ': no fragment for page ' + page);
    return fragment;
  };

  /** The shown form of a scored page, read from its fragment: its best section and the others. */
  LanguageIndex.prototype.hit = async function (scored) {
    var page = scored.section >>> SECTION_BITS;
    var fragment = await this.fragment(page);
    function link(section) {
      var b = fragment.b[section & ((1 << SECTION_BITS) - 1)] || ['', '', 0, ''];
      return { url: b[0] ? fragment.u + '#' + b[0] : fragment.u, heading: b[1], excerpt: b[3] };
    }
    var best = link(scored.section);
    return {
      url: best.url, title: fragment.t, section: fragment.s, heading: best.heading, score: scored.score,
      excerpt: best.excerpt, language: this.lang, facets: fragment.f,
      more: (scored.more || []).map(function (s) { var l = link(s); return { url: l.url, heading: l.heading }; })
    };
  };

  /** Whether the first `limit` of ranked need no more tiers (twin of settle.rs). */
  function settled(ranked, outside, limit) {
    var pending = outside !== null || ranked.some(function (s) { return s.upper !== null; });
    if (!pending) return true;
    var shown = ranked.slice(0, limit);
    if (shown.length < limit || shown.some(function (s) { return !s.own || s.upper !== null; })) return false;
    if (shown.length === 0) return true;
    var last = shown[shown.length - 1].score;
    return (outside === null || outside < last) &&
      ranked.slice(limit).every(function (s) { return s.upper === null || s.upper < last; });
  }

  /** The score of the last result shown when the first `limit` are all of the query's own
   * words; null when fewer are found or a synonym-only result is shown (twin of query.rs). */
  function threshold(ranked, limit) {
    var shown = ranked.slice(0, limit);
    if (limit === 0 || shown.length < limit || shown.some(function (s) { return !s.own; })) return null;
    return shown[shown.length - 1].score;
  }

  function byRank(a, b) {
    return (b.own ? 1 : 0) - (a.own ? 1 : 0) || b.score - a.score || compare(a.lang, b.lang) || a.section - b.section;
  }

  /**
   * A translated site's results in two groups, each in rank order: the page language's, then
   * the other languages' (shown apart, never mixed into the first).
   */
  function splitByLanguage(ranked, pageLang, languageOf) {
    var own = [], others = [];
    ranked.forEach(function (r) { (languageOf(r) === pageLang ? own : others).push(r); });
    return { own: own, others: others };
  }

  /**
   * The search engine over every language's index: createEngine(load).search(q, options), options
   * being {lang, filters, limit, pageLang}. Without pageLang every language's results are ranked
   * together in `hits`; with it (a translated site) `hits` holds the pageLang results and
   * `others` = {hits, total} the other languages', each group in the same rank order.
   */
  function createEngine(load, firstLang) {
    var indexes = new Map();
    function index(lang) {
      if (!indexes.has(lang)) indexes.set(lang, new LanguageIndex(load, lang));
      return indexes.get(lang);
    }
    async function languages(lang) {
      if (lang) return [lang];
      var first = await index(firstLang).open();
      return first.meta.languages.slice().sort(compare);
    }
    /** One ranking over the tiers read so far (twin of query.rs's rank_round); `outside` is
     * the highest score a result not ranked could reach, for the page language's group and
     * the others' (-1 when all is read). */
    async function rankRound(q, options, langs, known) {
      var scored = [], groups = [], spans = [], corrections = [], unseen = new Map(), floors = new Map();
      var founds = [];
      for (var i = 0; i < langs.length; i++) founds.push(await index(langs[i]).search(q, options.filters, known, true));
      // A language without the query's own words reads its synonyms only when no language has
      // results of its own (its results would be left out below), as in query.rs.
      var anyOwn = founds.some(function (f) { return f.scored.some(function (s) { return s.own; }); });
      for (i = 0; i < langs.length && !anyOwn; i++) {
        if (founds[i].foreign) founds[i] = await index(langs[i]).search(q, options.filters, known, false);
      }
      for (i = 0; i < langs.length; i++) {
        var found = founds[i];
        scored = scored.concat(found.scored);
        groups = groups.concat(found.groups);
        spans = spans.concat(found.spans);
        corrections.push(found.corrected);
        unseen.set(langs[i], found.unseen === null ? -1 : found.unseen);
        floors.set(langs[i], found.floor);
      }
      // Synonym-only results of a language are translations when another language has the
      // words themselves: left out then (as in query.rs); a result left out may still become
      // one of the query's own once read whole.
      var ownLangs = new Set(scored.filter(function (s) { return s.own; }).map(function (s) { return s.lang; }));
      if (ownLangs.size > 0) {
        scored.forEach(function (s) {
          if (!s.own && !ownLangs.has(s.lang) && s.upper !== null) unseen.set(s.lang, Math.max(unseen.get(s.lang), s.upper));
        });
        scored = scored.filter(function (s) { return s.own || ownLangs.has(s.lang); });
      }
      scored.sort(byRank);
      function group(list, inGroup) {
        var outside = -1, floor = 0;
        langs.forEach(function (l) {
          if (!inGroup(l)) return;
          outside = Math.max(outside, unseen.get(l));
          floor = Math.max(floor, floors.get(l));
        });
        var partial = outside >= 0 || list.some(function (s) { return s.upper !== null; });
        return { ranked: list, outside: outside, count: Math.max(list.length, floor), partial: partial };
      }
      var all = group(scored, function () { return true; });
      var split = splitByLanguage(scored, options.pageLang, function (s) { return s.lang; });
      var own = group(split.own, function (l) { return l === options.pageLang; });
      var others = group(split.others, function (l) { return l !== options.pageLang; });
      return {
        founds: founds, all: all,
        scored: scored, groups: groups, spans: spans, corrections: corrections, total: all.count,
        partial: all.partial, outside: [own.outside, others.outside], split: { own: own, others: others }
      };
    }

    /** Reads more of the terms of the last round that have some left (twin of query.rs's
     * deepen): the titles of the terms only read at their head, then the blocks of the `limit`
     * pages (or ranges of pages no term lists) with the highest bounds among those that could
     * still reach their group's threshold (every block without one). `states` gives
     * each group of results its languages, whether it is settled, its ranked results and its
     * threshold; a settled group's languages read nothing more. */
    function deepen(langs, round, states, limit) {
      var deeper = false, open = [];
      langs.forEach(function (l, position) {
        var state = states.find(function (s) { return s.inGroup(l); });
        if (!state || state.settled) return;
        var language = index(l);
        var unread = Array.from(language.unread);
        language.unread = new Set();
        open.push([language, unread]);
        unread.forEach(function (term) {
          if (!language.titles.has(term)) { language.titles.add(term); deeper = true; }
        });
        if (state.threshold === null) {
          unread.forEach(function (term) {
            if (!language.wholeTerms.has(term)) { language.wholeTerms.add(term); deeper = true; }
          });
          return;
        }
        var candidates = state.ranked.filter(function (s) {
          return s.lang === l && s.upper !== null && s.upper >= state.threshold;
        }).map(function (s) { return [s.upper, s.section >>> SECTION_BITS]; });
        var found = round.founds[position];
        if (!found.scores) return;
        found.scores.wantedBlocks(state.threshold, candidates, found.groups.length, limit).forEach(function (w) {
          if (!language.blocksRead.has(w[0])) language.blocksRead.set(w[0], [new Set(), new Set()]);
          var read = language.blocksRead.get(w[0])[w[1]];
          if (!read.has(w[2])) { read.add(w[2]); deeper = true; }
        });
      });
      if (!deeper) {
        // Nothing a bound points at is left, yet the results are not settled: every term is
        // read whole (as in query.rs).
        open.forEach(function (pair) {
          pair[1].forEach(function (term) {
            if (!pair[0].wholeTerms.has(term)) { pair[0].wholeTerms.add(term); deeper = true; }
          });
        });
      }
      return deeper;
    }

    return {
      index: index,
      languages: languages,
      search: async function (q, options) {
        options = options || {};
        var langs = await languages(options.lang);
        var scored = [], groups = [], spans = [], corrections = [];
        // A word another language's pages have is not a typo (as in query.rs).
        var known = new Set();
        for (var i = 0; i < langs.length; i++) {
          (await index(langs[i]).knownKeys(q)).forEach(function (k) { known.add(k); });
        }
        var limit = options.limit || 10;
        // The tiers of large terms are read only while the results shown could still change
        // (as in query.rs); a translated site's two groups must each be settled.
        var round;
        for (;;) {
          round = await rankRound(q, options, langs, known);
          var lists = options.pageLang ? [round.split.own, round.split.others] : [round.all];
          var states = lists.map(function (list, n) {
            var outside = options.pageLang ? round.outside[n] : Math.max(round.outside[0], round.outside[1]);
            var few = round.partial && (options.pageLang ? list.count : round.total) < FEW_RESULTS;
            return {
              settled: !few && settled(list.ranked, outside < 0 ? null : outside, limit),
              threshold: few ? null : threshold(list.ranked, limit),
              ranked: list.ranked,
              inGroup: !options.pageLang ? function () { return true; } :
                n === 0 ? function (l) { return l === options.pageLang; } : function (l) { return l !== options.pageLang; }
            };
          });
          if (states.every(function (s) { return s.settled; }) || !deepen(langs, round, states, limit)) break;
        }
        scored = round.scored;
        corrections = round.corrections;
        groups = round.groups;
        spans = round.spans;
        var suggestion = null;
        for (i = 0; i < langs.length && suggestion === null; i++) {
          suggestion = await index(langs[i]).suggestion(q, corrections[i], round.total);
        }
        function shown(list) {
          return Promise.all(list.slice(0, limit).map(function (s) { return index(s.lang).hit(s); }));
        }
        var result = { groups: groups, spans: spans, suggestion: suggestion };
        if (!options.pageLang) {
          result.hits = await shown(scored);
          result.total = round.total;
          result.partial = round.partial;
          return result;
        }
        result.hits = await shown(round.split.own.ranked);
        result.total = round.split.own.count;
        result.partial = round.split.own.partial;
        result.others = {
          hits: await shown(round.split.others.ranked), total: round.split.others.count, partial: round.split.others.partial
        };
        return result;
      }
    };
  }

  /* ---------- reduced mode: the fallback script's data ---------- */

  function expandFacets(facets) {
    var out = {};
    Object.keys(facets || {}).forEach(function (name) {
      var values = [];
      facets[name].forEach(function (value) {
        if (name === 'category') {
          var parts = value.split(' > ').map(function (p) { return p.trim(); });
          for (var end = 1; end <= parts.length; end++) values.push(parts.slice(0, end).join(' > '));
        } else {
          values.push(value.trim());
        }
      });
      out[name] = values.filter(function (v, i) { return v && values.indexOf(v) === i; });
    });
    return out;
  }

  /** Search over titles, headings and key terms only (file:// mode). */
  function createFallbackEngine(datasets) {
    var pages = [];
    datasets.forEach(function (data) {
      data.pages.forEach(function (row) {
        pages.push({
          lang: data.lang, url: row[0], title: row[1], section: row[2], headings: row[3],
          keys: new Set(row[4] ? row[4].split(' ') : []), facets: row[5] || {}, analysed: null
        });
      });
    });
    function keysOf(text, lang) { return new Set(analyse(text, lang).map(function (t) { return t.key; })); }
    function has(set, key, prefix) {
      if (set.has(key)) return 1;
      if (prefix) for (var k of set) if (k.startsWith(key)) return PREFIX_WEIGHT;
      return 0;
    }
    return {
      pages: pages,
      search: async function (q, options) {
        options = options || {};
        var filters = options.filters || {};
        var results = [], groups = [];
        pages.forEach(function (page, position) {
          if (!page.analysed) {
            page.analysed = {
              title: keysOf(page.title, page.lang),
              headings: page.headings.map(function (h) { return keysOf(h[1], page.lang); }),
              facets: expandFacets(page.facets)
            };
          }
          var passes = Object.keys(filters).every(function (name) {
            var wanted = filters[name];
            return !wanted.length || (page.analysed.facets[name] || []).some(function (v) { return wanted.indexOf(v) >= 0; });
          });
          if (!passes) return;
          var keys = [];
          analyse(q, page.lang).forEach(function (t) { if (keys.indexOf(t.key) < 0) keys.push(t.key); });
          if (keys.length === 0) return;
          if (groups.length === 0) groups = keys.map(function (k) { return { key: k, exact: null, expansions: [] }; });
          var score = 0, matched = 0, headingHits = page.headings.map(function () { return 0; });
          keys.forEach(function (key, i) {
            var prefix = i === keys.length - 1 && length(key) >= 3;
            var inTitle = has(page.analysed.title, key, prefix);
            var inHeadings = page.analysed.headings.map(function (set) { return has(set, key, prefix); });
            var inHeading = Math.max.apply(null, [0].concat(inHeadings));
            var inKeys = has(page.keys, key, prefix);
            inHeadings.forEach(function (w, h) { headingHits[h] += w; });
            var best = Math.max(3 * inTitle, 2 * inHeading, inKeys);
            if (best > 0) matched++;
            score += best;
          });
          if (matched === 0) return;
          var share = matched / keys.length;
          var bestHeading = -1;
          headingHits.forEach(function (w, h) { if (w > 0 && (bestHeading < 0 || w > headingHits[bestHeading])) bestHeading = h; });
          var heading = bestHeading >= 0 ? page.headings[bestHeading] : ['', ''];
          results.push({
            url: heading[0] ? page.url + '#' + heading[0] : page.url, title: page.title, section: page.section,
            heading: heading[1], score: score * share * share, excerpt: '', language: page.lang,
            facets: page.facets, position: position
          });
        });
        results.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
        var limit = options.limit || 10;
        if (!options.pageLang) return { hits: results.slice(0, limit), total: results.length, groups: groups };
        var split = splitByLanguage(results, options.pageLang, function (r) { return r.language; });
        return {
          hits: split.own.slice(0, limit), total: split.own.length, groups: groups,
          others: { hits: split.others.slice(0, limit), total: split.others.length }
        };
      }
    };
  }

  /* The search box's words, here so Node's tests read them too. */
  var STRINGS = {
    fr: {
      placeholder: 'Rechercher (/)', results: 'Résultats de la recherche', one: '1 résultat',
      many: ' résultats', atLeast: 'Au moins {n} résultats', atLeastCount: 'au moins {n}',
      none: 'Aucun résultat pour « {q} ».',
      hint: 'Vérifiez l’orthographe, essayez un mot plus court, sans accent, ou retirez un filtre.',
      suggest: 'Essayez :', didYouMean: 'Vouliez-vous dire', reduced: 'Recherche réduite (hors ligne) : titres, intertitres et mots-clés seulement.',
      unavailable: 'La recherche est indisponible : index introuvable.', all: 'Tous', filters: 'Filtrer',
      noneHere: 'Aucun résultat en français pour « {q} ».', alsoIn: 'Aussi en anglais ({n})',
      facets: { type: 'Type', audience: 'Public', category: 'Catégorie', section: 'Rubrique', priority: 'Priorité',
        status: 'Statut', tags: 'Mots-clés', language: 'Langue' }
    },
    en: {
      placeholder: 'Search (/)', results: 'Search results', one: '1 result', many: ' results',
      atLeast: 'At least {n} results', atLeastCount: 'at least {n}',
      none: 'No results for “{q}”.', hint: 'Check the spelling, try a shorter word, or remove a filter.',
      suggest: 'Try:', didYouMean: 'Did you mean', reduced: 'Reduced search (offline): titles, headings and key terms only.',
      unavailable: 'Search is unavailable: index not found.', all: 'All', filters: 'Filter',
      noneHere: 'No results in English for “{q}”.', alsoIn: 'Also in French ({n})',
      facets: { type: 'Type', audience: 'Audience', category: 'Category', section: 'Section', priority: 'Priority',
        status: 'Status', tags: 'Tags', language: 'Language' }
    }
  };
  var api = {
    analyse: analyse, fold: fold, stemFrench: stemFrench, stemEnglish: stemEnglish,
    isStopWord: isStopWord, createEngine: createEngine, createFallbackEngine: createFallbackEngine,
    expandFacets: expandFacets, compare: compare, typoBudget: typoBudget, typoDistance: typoDistance,
    splitByLanguage: splitByLanguage,
    // The box's count line in a language ("Au moins 120 résultats" while tiers are unread).
    countText: function (lang, total, partial) { return countText(STRINGS[lang], total, partial); }
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof window === 'undefined' || typeof document === 'undefined') return;
  window.GuichetSearch = api;
  // For the theme's other scripts (the self-service page): the same engine as the box.
  api.openEngine = openEngine;
  api.pageFile = pageFile;
  api.root = root;

  /* ---------- the search box ---------- */

  var FACET_ORDER = ['type', 'audience', 'category', 'section', 'priority', 'status', 'tags', 'language'];

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function root() {
    var meta = document.querySelector('meta[name="guichet-root"]');
    var prefix = meta ? meta.getAttribute('content') : './';
    return prefix.endsWith('/') ? prefix : prefix + '/';
  }

  /**
   * A result's URL as a link: from file:// a folder URL opens a file listing, so the page's
   * index.html is named (the site's own links do the same when it has no base_url).
   */
  function pageFile(url) {
    if (location.protocol !== 'file:') return url;
    var cut = url.indexOf('#');
    var path = cut < 0 ? url : url.slice(0, cut);
    var anchor = cut < 0 ? '' : url.slice(cut);
    return (path === '' || path.endsWith('/') ? path + 'index.html' : path) + anchor;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = element('script', { src: src });
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  /** Reduced mode: loads search/fallback-<lang>.js for the page language, then the others. */
  function otherLanguage(lang) { return lang === 'fr' ? 'en' : 'fr'; }

  async function fallbackEngine(prefix, lang) {
    try {
      await loadScript(prefix + 'search/fallback-' + lang + '.js');
    } catch (error) {
      lang = otherLanguage(lang);
      await loadScript(prefix + 'search/fallback-' + lang + '.js');
    }
    var store = window.GUICHET_SEARCH_FALLBACK || {};
    var first = store[lang];
    var others = first.languages.filter(function (l) { return l !== lang; });
    for (var i = 0; i < others.length; i++) {
      try { await loadScript(prefix + 'search/fallback-' + others[i] + '.js'); } catch (e) { /* that language stays out */ }
    }
    var datasets = first.languages.map(function (l) { return store[l]; }).filter(Boolean);
    var engine = createFallbackEngine(datasets);
    var facets = {};
    engine.pages.forEach(function (page) {
      var expanded = expandFacets(page.facets);
      Object.keys(expanded).forEach(function (name) {
        facets[name] = facets[name] || {};
        expanded[name].forEach(function (v) { facets[name][v] = (facets[name][v] || 0) + 1; });
      });
    });
    var table = {};
    Object.keys(facets).forEach(function (name) {
      table[name] = Object.keys(facets[name]).sort(compare).map(function (v) { return [v, facets[name][v]]; });
    });
    var tags = (table.tags || []).slice().sort(function (a, b) { return b[1] - a[1] || compare(a[0], b[0]); });
    var suggest = tags.slice(0, 6).map(function (pair) { return pair[0]; });
    return { engine: engine, facets: table, suggest: suggest, reduced: true };
  }

  async function onlineEngine(prefix, lang) {
    var load = function (path) {
      return fetch(prefix + path).then(function (response) {
        if (!response.ok) throw new Error(path + ': ' + response.status);
        return response.json();
      });
    };
    // A page whose language has no index (all its pages opted out) searches the other one.
    var engine = createEngine(load, lang);
    var first;
    try {
      first = await engine.index(lang).open();
    } catch (error) {
      engine = createEngine(load, otherLanguage(lang));
      first = await engine.index(otherLanguage(lang)).open();
    }
    var facets = JSON.parse(JSON.stringify(first.meta.facets));
    return { engine: engine, facets: facets, suggest: first.meta.suggest, reduced: false };
  }

  /** The full index over HTTP, else (from file://, or when it is missing) the reduced one. */
  function openEngine(prefix, lang) {
    if (location.protocol === 'file:') return fallbackEngine(prefix, lang);
    return onlineEngine(prefix, lang).catch(function () { return fallbackEngine(prefix, lang); });
  }

  function SearchBox(form, input) {
    var lang = (document.documentElement.lang || 'fr').slice(0, 2) === 'en' ? 'en' : 'fr';
    this.lang = lang;
    this.text = STRINGS[lang];
    // A translated site groups the results: the page's language first, the other one apart.
    this.translated = form.hasAttribute('data-translated');
    this.form = form;
    this.input = input;
    this.prefix = root();
    this.filters = {};
    this.hits = [];
    this.active = -1;
    this.sequence = 0;
    this.ready = null;
    this.build();
  }

  SearchBox.prototype.build = function () {
    var self = this, text = this.text;
    this.form.classList.add('search-ready');
    if (!this.input.getAttribute('placeholder')) this.input.setAttribute('placeholder', text.placeholder);
    this.input.setAttribute('autocomplete', 'off');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-expanded', 'false');
    this.input.setAttribute('aria-controls', 'search-results');
    this.input.setAttribute('aria-autocomplete', 'list');
    this.panel = element('div', { class: 'search-panel', id: 'search-panel', hidden: '' });
    this.notice = element('p', { class: 'search-notice', hidden: '' });
    this.facetBar = element('div', { class: 'search-facets', role: 'group', 'aria-label': text.filters });
    this.status = element('p', { class: 'search-status', 'aria-live': 'polite' });
    this.list = element('ul', { class: 'search-results', id: 'search-results', role: 'listbox', 'aria-label': text.results });
    this.panel.append(this.notice, this.facetBar, this.status, this.list);
    this.form.appendChild(this.panel);
    // On the search page the results are the page's content: they go in its slot, take the
    // page's width and stay shown when the box loses focus.
    this.slot = document.querySelector('[data-search-results]');
    if (this.slot) {
      this.panel.classList.add('search-panel-page');
      this.slot.appendChild(this.panel);
    }
    this.input.addEventListener('input', function () { self.run(); });
    this.input.addEventListener('focus', function () { self.open(); if (!self.input.value.trim()) self.run(); });
    this.input.addEventListener('keydown', function (event) { self.key(event); });
    this.form.addEventListener('submit', function (event) { event.preventDefault(); self.go(Math.max(self.active, 0)); });
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        self.input.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (!self.form.contains(event.target)) self.close();
    });
  };

  SearchBox.prototype.engine = function () {
    var self = this;
    if (!this.ready) {
      this.ready = openEngine(this.prefix, this.lang).then(function (state) {
        self.state = state;
        if (state.reduced) {
          self.notice.textContent = self.text.reduced;
          self.notice.hidden = false;
          self.form.classList.add('search-reduced');
        }
        self.renderFacets();
        return state;
      });
    }
    return this.ready;
  };

  SearchBox.prototype.open = function () {
    this.panel.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  };

  SearchBox.prototype.close = function () {
    if (this.slot) return;
    this.panel.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  };

  SearchBox.prototype.renderFacets = function () {
    var self = this, facets = this.state.facets, text = this.text;
    this.facetBar.textContent = '';
    FACET_ORDER.filter(function (name) { return facets[name] && facets[name].length > 1; }).forEach(function (name) {
      var label = element('label', { class: 'search-facet' });
      label.appendChild(element('span', {}, text.facets[name] || name));
      var select = element('select', { 'data-facet': name });
      select.appendChild(element('option', { value: '' }, text.all));
      facets[name].forEach(function (pair) {
        var depth = name === 'category' ? pair[0].split(' > ').length - 1 : 0;
        var shown = '\u00a0\u00a0'.repeat(depth) + pair[0].split(' > ').pop() + ' (' + pair[1] + ')';
        select.appendChild(element('option', { value: pair[0] }, shown));
      });
      select.addEventListener('change', function () {
        self.filters[name] = select.value ? [select.value] : [];
        self.run();
      });
      label.appendChild(select);
      self.facetBar.appendChild(label);
    });
  };

  SearchBox.prototype.run = async function () {
    var q = this.input.value;
    var sequence = ++this.sequence;
    this.open();
    var state;
    try {
      state = await this.engine();
    } catch (error) {
      this.status.textContent = this.text.unavailable;
      return;
    }
    if (!q.trim()) {
      this.show([], q, null);
      return;
    }
    var result;
    try {
      var options = { filters: this.filters, limit: this.slot ? 50 : 10 };
      if (this.translated) options.pageLang = this.lang;
      result = await state.engine.search(q, options);
    } catch (error) {
      if (sequence === this.sequence) this.status.textContent = this.text.unavailable;
      return;
    }
    if (sequence === this.sequence) this.show(result.hits, q, result);
  };

  /** Marks the words of text whose analysed keys match the query's keys or completions. */
  function highlight(text, wanted, lang) {
    var fragment = document.createDocumentFragment();
    var pattern = /[\p{Alphabetic}\p{N}]+(?:[._\-:/\\@#+'\u2019][\p{Alphabetic}\p{N}]+)*/gu;
    var last = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      var keys = analyse(match[0], lang).map(function (t) { return t.key; });
      var hit = keys.some(function (k) { return wanted.has(k); });
      if (!hit) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      fragment.appendChild(element('mark', {}, match[0]));
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  /** The number of results found: exact, or "at least" while tiers of a large term are
   * unread (the results shown are exact either way). */
  function countText(text, total, partial) {
    if (partial) return text.atLeast.replace('{n}', total);
    return total === 1 ? text.one : total + text.many;
  }

  SearchBox.prototype.show = function (hits, q, result) {
    var self = this, text = this.text;
    // A translated site's other languages come apart, after the page language's results.
    var others = (result && result.others) || { hits: [], total: 0 };
    this.hits = hits.concat(others.hits);
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.textContent = '';
    if (!q.trim()) {
      this.status.textContent = '';
      this.suggest();
      return;
    }
    if (this.hits.length === 0) {
      this.status.textContent = text.none.replace('{q}', q.trim()) + ' ' + text.hint;
      this.didYouMean(result && result.suggestion);
      this.suggest();
      return;
    }
    if (hits.length === 0) this.status.textContent = text.noneHere.replace('{q}', q.trim());
    else this.status.textContent = countText(text, result.total, result.partial);
    this.didYouMean(result.suggestion);
    var wanted = new Set();
    result.groups.forEach(function (g) {
      wanted.add(g.key);
      g.expansions.forEach(function (e) { wanted.add(e); });
      (g.typos || []).forEach(function (t) { wanted.add(t[0]); });
    });
    (result.spans || []).forEach(function (span) {
      span.alternatives.forEach(function (keys) { keys.forEach(function (k) { wanted.add(k); }); });
    });
    hits.forEach(function (hit, index) { self.list.appendChild(self.item(hit, index, wanted)); });
    if (others.hits.length === 0) return;
    var label = text.alsoIn.replace('{n}', others.partial ? text.atLeastCount.replace('{n}', others.total) : others.total);
    this.list.appendChild(element('li', { class: 'search-other-languages', role: 'presentation' }, label));
    others.hits.forEach(function (hit, index) {
      var item = self.item(hit, hits.length + index, wanted);
      // The page is in the other language: a screen reader reads it with that language's rules.
      item.setAttribute('lang', hit.language);
      self.list.appendChild(item);
    });
  };

  /** One result as an option of the list: title › heading, section, excerpt, other sections. */
  SearchBox.prototype.item = function (hit, index, wanted) {
    var self = this;
    var item = element('li', { id: 'search-hit-' + index, role: 'option', class: 'search-hit', 'aria-selected': 'false' });
    // An option of a listbox is chosen, not followed: a link inside it could not be reached
    // by assistive technologies (WCAG 4.1.2), so the address is data and a click opens it.
    var link = element('a', { 'data-href': self.prefix + pageFile(hit.url) });
    var title = element('span', { class: 'search-hit-title' });
    title.appendChild(highlight(hit.title, wanted, hit.language));
    if (hit.heading) {
      title.appendChild(document.createTextNode(' › '));
      var heading = element('span', { class: 'search-hit-heading' });
      heading.appendChild(highlight(hit.heading, wanted, hit.language));
      title.appendChild(heading);
    }
    link.appendChild(title);
    if (hit.section) link.appendChild(element('span', { class: 'search-hit-section' }, hit.section));
    if (hit.excerpt) {
      var excerpt = element('span', { class: 'search-hit-excerpt' });
      excerpt.appendChild(highlight(hit.excerpt, wanted, hit.language));
      link.appendChild(excerpt);
    }
    item.appendChild(link);
    if (hit.more && hit.more.length > 0) {
      var more = element('ul', { class: 'search-hit-more' });
      hit.more.forEach(function (section) {
        var sub = element('li');
        var anchor = element('a', { 'data-href': self.prefix + pageFile(section.url) });
        anchor.addEventListener('click', function (event) {
          event.stopPropagation();
          location.href = anchor.getAttribute('data-href');
        });
        anchor.appendChild(highlight(section.heading || hit.title, wanted, hit.language));
        sub.appendChild(anchor);
        more.appendChild(sub);
      });
      item.appendChild(more);
    }
    item.addEventListener('mousemove', function () { self.activate(index); });
    item.addEventListener('click', function () { self.go(index); });
    return item;
  };

  /** "Vouliez-vous dire …?": a link to the corrected query, which also runs it in the box. */
  SearchBox.prototype.didYouMean = function (suggestion) {
    var self = this;
    if (!suggestion) return;
    var item = element('li', { class: 'search-did-you-mean', role: 'presentation' });
    item.appendChild(document.createTextNode(this.text.didYouMean + ' '));
    var link = element('a', { href: this.prefix + pageFile('search/') + '?q=' + encodeURIComponent(suggestion) }, suggestion);
    link.addEventListener('click', function (event) {
      event.preventDefault();
      self.input.value = suggestion;
      self.input.focus();
      self.run();
    });
    item.appendChild(link);
    item.appendChild(document.createTextNode(this.lang === 'fr' ? ' ?' : '?'));
    this.list.appendChild(item);
  };

  SearchBox.prototype.suggest = function () {
    var self = this;
    var words = (this.state && this.state.suggest) || [];
    if (words.length === 0) return;
    var item = element('li', { class: 'search-suggest', role: 'presentation' });
    item.appendChild(element('span', {}, this.text.suggest + ' '));
    words.forEach(function (word) {
      var button = element('button', { type: 'button', class: 'search-suggestion' }, word);
      button.addEventListener('click', function () { self.input.value = word; self.input.focus(); self.run(); });
      item.appendChild(button);
    });
    this.list.appendChild(item);
  };

  SearchBox.prototype.activate = function (index) {
    var items = this.list.querySelectorAll('.search-hit');
    if (items.length === 0) return;
    this.active = (index + items.length) % items.length;
    items.forEach(function (item, i) { item.setAttribute('aria-selected', i === this.active ? 'true' : 'false'); }, this);
    var current = items[this.active];
    this.input.setAttribute('aria-activedescendant', current.id);
    if (current.scrollIntoView) current.scrollIntoView({ block: 'nearest' });
  };

  SearchBox.prototype.go = function (index) {
    var item = this.list.querySelectorAll('.search-hit')[index];
    var link = item && item.querySelector('a');
    if (link) location.href = link.getAttribute('data-href');
  };

  SearchBox.prototype.key = function (event) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.activate(this.active + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      this.activate(this.active - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.go(Math.max(this.active, 0));
    } else if (event.key === 'Escape') {
      if (this.panel.hidden || !this.input.value) this.input.blur();
      this.input.value = '';
      if (this.slot) this.run();
      else this.close();
    }
  };

  function start() {
    var form = document.querySelector('form.search');
    var input = document.getElementById('search-input');
    if (!form || !input) return;
    var css = element('link', { rel: 'stylesheet', href: root() + 'static/search.css' });
    document.head.appendChild(css);
    var box = new SearchBox(form, input);
    window.guichetSearchBox = box;
    var q = new URLSearchParams(location.search).get('q');
    if (q) {
      input.value = q;
      box.run();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
