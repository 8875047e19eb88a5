/* hubgen: Material's search box driven by Pagefind, for hubs too large for one
   search index file. Loaded only when the plugin chose Pagefind; Pagefind then
   fetches only the index chunks and fragments a query needs. */
(function () {
  "use strict";
  var drawn = document.querySelector(".md-search");
  if (!drawn) return;
  // Material's bundle never mounted its search on this box: theme/main.html removed its component hooks
  // before the bundle ran. A copy of the box carries no listener of anyone's: swapped in, it is ours.
  var box = drawn.cloneNode(true);
  box.setAttribute("data-hubgen-search", "pagefind");
  drawn.replaceWith(box);
  if (window.hubgenSearch) window.hubgenSearch.ensureUI();
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  if (meta) meta.textContent = "Type to start searching";  // not Material's "Initializing search"
  if (list) { list.hidden = false; list.setAttribute("role", "list"); }  // as Material left them: closed
  // By tag as well as id: page content can never hold a script or an input, so it cannot stand in for them.
  var toggle = document.querySelector("input#__search");
  var config = JSON.parse(document.querySelector("script#__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var engine = null;
  var latest = 0;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Large hubs are indexed in shards (bounded build memory): pagefind/ is the
  // primary, the others are listed in pagefind/hubgen-shards.json and merged.
  function shards() {
    return fetch(new URL("pagefind/hubgen-shards.json", root).href)
      .then(function (r) { return r.ok ? r.json() : { shards: [] }; })
      .then(function (m) { return m.shards || []; }, function () { return []; });
  }

  function load() {
    if (!engine) {
      var listing = shards();
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () {
          return listing;
        }).then(function (names) {
          return Promise.all(names.map(function (name) {
            return pf.mergeIndex(new URL("pagefind/" + name, root).pathname);
          }));
        }).then(function () {
          pf.init();
          return pf;
        });
      }).catch(function (err) {
        engine = null;  // not kept: the next query (or "try again") loads it afresh
        throw err;
      });
    }
    return engine;
  }

  function open() { if (toggle) toggle.checked = true; load(); }

  // Results count their filter values only once Pagefind's filter index is loaded (a chunk per filter and
  // shard: on a big hub the largest part of a first search), so it is loaded when the reader asks for
  // the filters; the query on screen is then run again, with the counts.
  var counting = null, counted = false;
  function countFilters() {
    if (!counting) {
      counting = load().then(function (pf) { return pf.filters(); }).then(function () {
        counted = true;
        search();
      }, function () {
        counting = null;
        var button = box.querySelector(".hub-search-facets__open");
        if (button) button.textContent = "The filters could not load: try again";
      });
    }
    return counting;
  }

  var assist = window.hubgenSearch;
  var RECORD_BOOST = { "project": 2, "null-result": 2 };  // as the plugin's RECORD_BOOST for Material's index

  function render(results, total) {
    meta.textContent = total === 0 ? "No matching documents" : total + " matching document" + (total === 1 ? "" : "s");
    list.innerHTML = results.map(function (d) {
      var kind = d.meta.kind ? '<p class="hub-search-kind">' + escapeHtml(d.meta.kind) + "</p>" : "";
      return '<li class="md-search-result__item"><a href="' + escapeHtml(d.url) + '" class="md-search-result__link" tabindex="-1">'
        + '<article class="md-search-result__article md-typeset"><h1>' + escapeHtml(d.meta.title || d.url) + "</h1>"
        + kind + "<p>" + d.excerpt + "</p></article></a></li>";  // Pagefind escapes excerpts and adds <mark>
    }).join("");
  }

  // The words as typed first (exact and prefix matches), then what their corrections add.
  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      meta.textContent = "Type to start searching"; list.innerHTML = "";
      assist.showFacets({}, false); assist.showCorrection([], false);
      return;
    }
    var options = { filters: assist.chosen() }, fix = null;
    Promise.all([load(), assist.correct(query)]).then(function (ready) {
      var pf = ready[0];
      fix = ready[1];
      if (ticket !== latest) return null;
      // The words as typed and their corrections are searched at once: one wait for the index, not two.
      // When no word corrected can match as typed (fix.sure), Pagefind would only match it loosely (a
      // stem's prefix: "forcast" finds 2,000 pages with "for…"), listed after the corrections: not searched.
      var typed = fix.sure ? Promise.resolve({ results: [], filters: {} }) : pf.search(query, options);
      return Promise.all([typed, fix.corrected ? pf.search(fix.corrected, options) : null]);
    }).then(function (both) {
      if (!both || ticket !== latest) return null;
      var found = both[0], more = both[1];
      // Pagefind matches a word it lacks loosely (by its stem's prefix); when no typed word corrected
      // can match exactly, only the corrections' results are shown.
      var first = fix.sure && more ? more.results.concat(found.results) : found.results.concat(more ? more.results : []);
      var seen = {}, results = [], group = {};
      var lead = fix.sure && more ? more.results : found.results;
      lead.forEach(function (r) { group[r.id] = 0; });
      first.forEach(function (r) {
        if (!seen[r.id]) { seen[r.id] = true; results.push(r); if (!(r.id in group)) group[r.id] = 1; }
      });
      var counts = (found.results.length && !fix.sure) || !more ? found.filters : more.filters;
      var only = fix.pairs.length > 0 && (found.results.length === 0 || fix.sure) && results.length > 0;
      var shown = results.slice(0, 12);
      return Promise.all(shown.map(function (r) { return r.data(); })).then(function (data) {
        if (ticket !== latest) return;
        // As in Material's index: records (prior art, null results) above the pages citing them,
        // within each group (the words as typed, then their corrections).
        var order = data.map(function (d, i) {
          var kind = ((d.filters || {}).kind || [])[0];
          return { d: d, g: group[shown[i].id], s: (shown[i].score || 0) * (RECORD_BOOST[kind] || 1) };
        }).sort(function (a, b) { return a.g - b.g || b.s - a.s; });
        render(order.map(function (o) { return o.d; }), results.length);
        assist.showFacets(counted ? counts || {} : null, results.length > 0, countFilters);
        assist.showCorrection(results.length ? fix.pairs : [], only);
      });
    }).catch(function (err) {  // the index could not load (offline, a failed fetch): say so, show nothing stale
      if (ticket !== latest) return;
      meta.textContent = "Search could not load (" + (err && err.message || err) + "); type again to retry";
      list.innerHTML = "";
      assist.showFacets({}, false);
      assist.showCorrection([], false);
    });
  }

  // Typing runs one search when the keys pause (Pagefind's own debounce would hold the corrections'
  // search back); short, so the results follow the last key closely.
  // Meanwhile each key fetches the term lists the spelling correction will read for the words typed so
  // far. (Preloading Pagefind's chunks too was tried: 30 ms sooner on a warm page, 60 ms later from a
  // cold one and 90 kB more, for the chunks of every prefix.)
  var DEBOUNCE_MS = 40, timer = 0;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
    if (input.value.trim()) assist.correct(input.value);
  }

  // Warm Pagefind (script, wasm, entry file: about 100 kB) once the page is idle,
  // so the first query does not wait for it.
  (window.requestIdleCallback || function (f) { setTimeout(f, 200); })(function () { load(); });
  input.addEventListener("focus", open);
  input.addEventListener("input", soon);
  box.addEventListener("change", function (e) { if (e.target.closest(".hub-search-facets")) search(); });
  box.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  box.querySelector('button[type="reset"]').addEventListener("click", function () {
    input.value = ""; search(); input.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && toggle && toggle.checked) { toggle.checked = false; input.blur(); }
    var typing = /input|textarea|select/i.test((document.activeElement || {}).tagName || "");
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
  });
})();
