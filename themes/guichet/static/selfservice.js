/*
 * guichet: "Avant de créer un ticket" (the self-service page and its embed). As the user
 * types their problem, the site's search runs over it (the full index, or the reduced one
 * from file://): the procedures for users come first, then the resolved tickets, each with
 * the section that matches; below, "Ce contenu a-t-il résolu votre problème ?" and the link
 * to GLPI's ticket form, which carries the typed words as the ticket's title and description
 * (GLPI pre-fills a new ticket's fields from the form URL's `name` and `content`).
 * Without JavaScript the block is a plain form to the search page and a plain link to GLPI.
 */
(function () {
  'use strict';

  var WORDS = {
    fr: { procedures: 'Procédures', tickets: 'Tickets résolus', none: 'Aucune procédure ni ticket résolu ne correspond : créez un ticket, le service informatique prendra le relais.', reduced: 'Recherche réduite (hors ligne) : titres, intertitres et mots-clés seulement.' },
    en: { procedures: 'Procedures', tickets: 'Resolved tickets', none: 'No procedure or resolved ticket matches: open a ticket, the IT service will take over.', reduced: 'Reduced search (offline): titles, headings and key terms only.' }
  };
  var SHOWN = 5;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isProcedure(hit) {
    var audience = (hit.facets && hit.facets.audience) || [];
    return audience.indexOf('utilisateurs') >= 0;
  }

  /** GLPI's labels of the solved and closed statuses (the `status` facet of ticket pages). */
  var DONE = ['Résolu', 'Clos', 'Solved', 'Closed'];

  /** A resolved ticket: a ticket page whose status is solved or closed. */
  function isTicket(hit) {
    var facets = hit.facets || {};
    return Boolean(facets.type && facets.type.length) &&
      (facets.status || []).some(function (s) { return DONE.indexOf(s) >= 0; });
  }

  function glpiHref(base, q) {
    var words = q.trim();
    if (!words) return base;
    return base + (base.indexOf('?') < 0 ? '?' : '&') + 'name=' + encodeURIComponent(words) +
      '&content=' + encodeURIComponent(words);
  }

  function SelfService(block) {
    var search = window.GuichetSearch;
    this.block = block;
    this.lang = (document.documentElement.lang || 'fr').slice(0, 2) === 'en' ? 'en' : 'fr';
    this.words = WORDS[this.lang];
    this.input = block.querySelector('input[name="q"]');
    this.form = block.querySelector('form');
    this.results = block.querySelector('[data-self-service-results]');
    this.feedback = block.querySelector('[data-self-service-feedback]');
    this.glpi = block.querySelector('a[data-glpi]');
    this.glpiBase = this.glpi ? this.glpi.getAttribute('data-glpi') : '';
    this.sequence = 0;
    this.timer = null;
    if (!search || !search.openEngine || !this.input || !this.results) return;
    this.ready = search.openEngine(search.root(), this.lang);
    var self = this;
    this.input.addEventListener('input', function () {
      clearTimeout(self.timer);
      self.updateGlpi();
      self.timer = setTimeout(function () { self.run(); }, 120);
    });
    this.form.addEventListener('submit', function (event) { event.preventDefault(); self.run(); });
    Array.prototype.forEach.call(block.querySelectorAll('[data-answer]'), function (button) {
      button.addEventListener('click', function () { self.answer(button.getAttribute('data-answer')); });
    });
    var q = new URLSearchParams(location.search).get('q');
    if (q) {
      this.input.value = q;
      this.updateGlpi();
      this.run();
    }
  }

  SelfService.prototype.updateGlpi = function () {
    if (this.glpi) this.glpi.setAttribute('href', glpiHref(this.glpiBase, this.input.value));
  };

  SelfService.prototype.run = async function () {
    var q = this.input.value;
    var sequence = ++this.sequence;
    var state;
    try {
      state = await this.ready;
    } catch (error) {
      return;
    }
    if (!q.trim()) {
      this.results.hidden = true;
      this.feedback.hidden = true;
      return;
    }
    var result = await state.engine.search(q, { limit: 40 });
    if (sequence !== this.sequence) return;
    this.show(result.hits, state.reduced);
  };

  SelfService.prototype.list = function (title, hits) {
    var search = window.GuichetSearch;
    var prefix = search.root();
    var group = element('div', { class: 'self-service-group' });
    group.appendChild(element('h2', {}, title));
    var list = element('ol', { class: 'self-service-hits' });
    hits.slice(0, SHOWN).forEach(function (hit) {
      var item = element('li', { class: 'self-service-hit' });
      var link = element('a', { href: prefix + search.pageFile(hit.url) });
      link.appendChild(element('span', { class: 'self-service-title' }, hit.title));
      if (hit.heading) link.appendChild(element('span', { class: 'self-service-section' }, ' › ' + hit.heading));
      item.appendChild(link);
      if (hit.excerpt) item.appendChild(element('p', { class: 'self-service-excerpt' }, hit.excerpt));
      list.appendChild(item);
    });
    group.appendChild(list);
    return group;
  };

  SelfService.prototype.show = function (hits, reduced) {
    var procedures = hits.filter(isProcedure);
    var tickets = hits.filter(function (h) { return !isProcedure(h) && isTicket(h); });
    this.results.textContent = '';
    if (reduced) this.results.appendChild(element('p', { class: 'self-service-reduced' }, this.words.reduced));
    if (procedures.length) this.results.appendChild(this.list(this.words.procedures, procedures));
    if (tickets.length) this.results.appendChild(this.list(this.words.tickets, tickets));
    if (!procedures.length && !tickets.length) this.results.appendChild(element('p', { class: 'self-service-none' }, this.words.none));
    this.results.hidden = false;
    this.feedback.hidden = !(procedures.length || tickets.length);
    this.block.removeAttribute('data-answer');
  };

  SelfService.prototype.answer = function (value) {
    this.block.setAttribute('data-answer', value);
    if (value === 'no' && this.glpi) this.glpi.focus();
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-self-service]'), function (block) {
      block.selfService = new SelfService(block);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
