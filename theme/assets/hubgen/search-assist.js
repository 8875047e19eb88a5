/* hubgen: what both site search modes share — spelling correction from the hub's own term
   list (one edit, a swapped pair of letters counting as one: "chrun" -> "churn") and the
   kind / status / team filters. Loaded in the page head, before Material's bundle, so that in
   Material's mode it can stand between the search box and Material's search worker:
   queries gain the corrections (ranked below the words typed) and results are filtered
   by the facets. In Pagefind's mode pagefind-search.js calls window.hubgenSearch. */
(function () {
  "use strict";
  var MIN_LENGTH = 4;  // as hubgen.typos.MIN_TYPO_LENGTH: shorter words are never corrected
  var RARE_PAGES = 2, DOMINANT = 10;  // as hubgen.typos
  var TYPED_BOOST = 10;  // the words typed outrank their corrections
  var FACETS = ["kind", "status", "team"];
  var KIND_NAMES = { "project": "Project", "null-result": "Null result", "discussion": "Discussion",
                     "person": "Person", "asset": "Asset" };
  var terms = {};  // word length -> Promise of {rank: Map word -> count, list: [[word, count]]}
  var rootUrl = null;

  function root() {
    if (!rootUrl) {
      var config = JSON.parse(document.querySelector("script#__config").textContent);
      rootUrl = new URL(config.base.replace(/\/?$/, "/"), location.href);
    }
    return rootUrl;
  }

  // A site opened from disk (hubgen build --offline) may not fetch(): there the term lists and
  // facets come in one script, search/hubgen-search-data.js, setting window.__hubgenSearch.
  var offlineData = null;
  function offline() {
    if (!offlineData) {
      offlineData = new Promise(function (resolve) {
        var s = document.createElement("script");
        s.src = new URL("search/hubgen-search-data.js", root()).href;
        s.onload = function () { resolve(window.__hubgenSearch || {}); };
        s.onerror = function () { resolve({}); };
        document.head.appendChild(s);
      });
    }
    return offlineData;
  }

  // A file's text; "" when the site has no such file, null when it could not be fetched (the network).
  function loadText(path) {
    if (location.protocol === "file:") {
      return offline().then(function (data) { return (data.files || {})[path] || ""; });
    }
    return fetch(new URL(path, root()).href)
      .then(function (r) { return r.ok ? r.text() : ""; }, function () { return null; });
  }

  // A term list as stored compressed (N.txt.gz, a third of the bytes: hosts seldom compress .txt), decoded
  // here; the plain file where this browser cannot decode, or the host already did (no gzip magic).
  var GZIP = typeof DecompressionStream === "function" && typeof Response === "function";
  function loadTerms(path) {
    if (location.protocol === "file:" || !GZIP) return loadText(path);
    return fetch(new URL(path + ".gz", root()).href).then(function (r) {
      if (!r.ok) return r.status === 404 ? loadText(path) : "";
      return r.arrayBuffer().then(function (buf) {
        var head = new Uint8Array(buf, 0, Math.min(2, buf.byteLength));
        if (head[0] !== 0x1f || head[1] !== 0x8b) return new TextDecoder().decode(buf);
        var plain = new Response(buf).body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(plain).text();
      });
    }).catch(function () { return loadText(path); });
  }

  // A list that could not be fetched (the network, not a missing file: no words of that length) is
  // not kept, and marks the lists failed: no word is then taken for unknown to the hub.
  function termsOf(length) {
    if (!terms[length]) {
      terms[length] = loadTerms("search/hubgen-terms/" + length + ".txt")
        .then(function (text) {
          if (text === null) {
            delete terms[length];
            return { list: [], rank: new Map(), failed: true };
          }
          var list = [], rank = new Map();
          text.split("\n").forEach(function (line) {
            var tab = line.indexOf("\t");
            if (tab < 1) return;
            var word = line.slice(0, tab), count = +line.slice(tab + 1);
            list.push([word, count]);
            rank.set(word, count);
          });
          return { list: list, rank: rank };
        });
    }
    return terms[length];
  }

  // Damerau (optimal string alignment) distance of at most one, as hubgen.typos.within_one_edit.
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length, i = 0;
    if (Math.abs(la - lb) > 1) return false;
    if (la === lb) {
      var diff = [];
      for (i = 0; i < la && diff.length < 3; i++) if (a[i] !== b[i]) diff.push(i);
      return diff.length === 1 || (diff.length === 2 && diff[1] === diff[0] + 1
        && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]);
    }
    var s = la < lb ? a : b, l = la < lb ? b : a;
    while (i < s.length && s[i] === l[i]) i++;
    return s.slice(i) === l.slice(i + 1);
  }

  // The most frequent known word one edit from `word` (unknown, or rare beside a far commoner one), as
  // {word, unknown: the hub has no such word, prefix: it begins a word one letter longer}; or null.
  function correctWord(word) {
    word = word.toLowerCase();
    if (word.length < MIN_LENGTH || !/^[\p{L}\p{N}]+$/u.test(word)) return Promise.resolve(null);
    return Promise.all([termsOf(word.length - 1), termsOf(word.length), termsOf(word.length + 1)])
      .then(function (sets) {
        if (sets.some(function (set) { return set.failed; })) return null;
        // A known word is corrected only when rare and its neighbour far more common, as hubgen.typos.
        var own = sets[1].rank.get(word) || 0;
        if (own > RARE_PAGES) return null;
        var best = null, bestCount = Math.max(1, DOMINANT * own);
        sets.forEach(function (set) {
          for (var i = 0; i < set.list.length && set.list[i][1] >= bestCount; i++) {
            var cand = set.list[i];
            if (cand[0] !== word && withinOneEdit(word, cand[0])
                && (cand[1] > bestCount || (cand[1] === bestCount && (best === null || cand[0] < best)))) {
              best = cand[0]; bestCount = cand[1];
            }
          }
        });
        if (best === null) return null;
        var prefix = sets[2].list.some(function (w) { return w[0].lastIndexOf(word, 0) === 0; });
        return { word: best, unknown: own === 0, prefix: prefix };
      });
  }

  // {query, corrected (each word to correct replaced, or null), pairs: [[typed, correction]], sure: every
  // typed word corrected is unknown to the hub and begins no word, so nothing can match it exactly}
  function correct(query) {
    var words = query.match(/[\p{L}\p{N}]+/gu) || [];
    return Promise.all(words.map(correctWord)).then(function (fixes) {
      var pairs = [], corrected = query, sure = true;
      fixes.forEach(function (fix, i) {
        if (fix) {
          pairs.push([words[i], fix.word]);
          sure = sure && fix.unknown && !fix.prefix;
          corrected = corrected.replace(new RegExp("(^|[^\\p{L}\\p{N}])" + words[i] + "(?![\\p{L}\\p{N}])", "u"),
                                        "$1" + fix.word);
        }
      });
      return { query: query, corrected: pairs.length ? corrected : null, pairs: pairs, sure: pairs.length > 0 && sure };
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function facetLabel(name, value) {
    return name === "kind" ? (KIND_NAMES[value] || value) : value;
  }

  // hubgen's parts of the search dialog, added to what the theme drew rather than by overriding its
  // template: an accessible name for the dialog (WCAG 4.1.2; Material's has none), and the filters and
  // spelling line between the result count and the list (Material fills only those two). Idempotent.
  function ensureUI() {
    var dialog = document.querySelector(".md-search");
    if (!dialog) return;
    if (!dialog.getAttribute("aria-label")) {
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-label", "Search");
    }
    var meta = dialog.querySelector(".md-search-result > .md-search-result__meta");
    if (!meta || dialog.querySelector(".hub-search-facets")) return;
    var facets = document.createElement("div");
    facets.className = "hub-search-facets";
    facets.setAttribute("role", "group");
    facets.setAttribute("aria-label", "Filter results");
    facets.hidden = true;
    FACETS.forEach(function (name) {
      var label = document.createElement("label"), select = document.createElement("select");
      label.className = "hub-search-facet";
      label.textContent = name.charAt(0).toUpperCase() + name.slice(1) + " ";
      select.name = name;
      select.dataset.any = "any " + name;
      label.appendChild(select);
      facets.appendChild(label);
    });
    // Pagefind's mode counts the filter values only when asked (its filter index is the largest part of a
    // first search on a big hub): until then the filters are this one button.
    var open = document.createElement("button");
    open.type = "button";
    open.className = "hub-search-facets__open";
    open.textContent = "Filter by kind, status or team";
    open.hidden = true;
    facets.appendChild(open);
    var correction = document.createElement("p");
    correction.className = "hub-search-correction";
    correction.setAttribute("aria-live", "polite");
    correction.hidden = true;
    meta.after(facets, correction);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ensureUI);
  else ensureUI();

  // The facet selects: chosen values, and showing the counts of the current results.
  function facetBox() { return document.querySelector(".hub-search-facets"); }

  function chosen() {
    var out = {}, box = facetBox();
    if (!box) return out;
    FACETS.forEach(function (name) {
      var select = box.querySelector('select[name="' + name + '"]');
      if (select && select.value) out[name] = select.value;
    });
    return out;
  }

  // counts: {kind: {project: 3, ...}, ...}; the chosen value stays offered even at 0. counts null with
  // `opener`: not counted yet, the button offers the filters and calls `opener` (which counts, then
  // shows them again); focus moves from the button to the first filter once they are there.
  function showFacets(counts, anyResults, opener) {
    var box = facetBox();
    if (!box) return;
    var picked = chosen(), button = box.querySelector(".hub-search-facets__open");
    var had = document.activeElement === button;
    box.hidden = !anyResults && !Object.keys(picked).length;
    button.hidden = !(counts === null && opener);
    button.onclick = button.hidden ? null : function () { button.textContent = "Counting…"; opener(); };
    FACETS.forEach(function (name) {
      var select = box.querySelector('select[name="' + name + '"]');
      var values = Object.assign({}, (counts || {})[name] || {});
      if (picked[name] && !(picked[name] in values)) values[picked[name]] = 0;
      var options = Object.keys(values).filter(function (v) { return v && (values[v] > 0 || picked[name] === v); }).sort();
      select.innerHTML = '<option value="">' + escapeHtml(select.dataset.any) + "</option>" + options.map(function (v) {
        return '<option value="' + escapeHtml(v) + '"' + (picked[name] === v ? " selected" : "") + ">"
          + escapeHtml(facetLabel(name, v)) + " (" + values[v] + ")</option>";
      }).join("");
      select.closest(".hub-search-facet").hidden = options.length === 0;
    });
    var first = box.querySelector(".hub-search-facet:not([hidden]) select");
    if (counts !== null && !first && !Object.keys(picked).length) box.hidden = true;  // nothing to filter by
    if (had && button.hidden) {
      if (first) first.focus();
      else { var input = document.querySelector(".md-search__input"); if (input) input.focus(); }
    }
  }

  function showCorrection(pairs, onlyCorrected) {
    var line = document.querySelector(".hub-search-correction");
    if (!line) return;
    if (!pairs.length) { line.hidden = true; line.textContent = ""; return; }
    var known = pairs.map(function (p) { return "<strong>" + escapeHtml(p[1]) + "</strong>"; }).join(" ");
    var typed = pairs.map(function (p) { return escapeHtml(p[0]); }).join(" ");
    line.innerHTML = (onlyCorrected ? "Showing results for " : "Did you mean ") + known
      + (onlyCorrected ? " (no matches for " + typed + ")" : "? Results for it follow the exact matches");
    line.hidden = false;
  }

  // Keyboard: Tab from the search box reaches the filters (Material's search closes on Tab and takes
  // every other key back to the box; inside the filters the keys are theirs).
  document.addEventListener("keydown", function (ev) {
    var box = facetBox();
    if (!box || box.hidden) return;
    var target = ev.target;
    if (box.contains(target)) {
      if (ev.key !== "Escape") ev.stopPropagation();
      return;
    }
    if (ev.key === "Tab" && !ev.shiftKey && target.classList && target.classList.contains("md-search__input")) {
      var first = [].filter.call(box.querySelectorAll("select, button"), function (s) {
        return !s.hidden && !s.closest("[hidden]");
      })[0];
      if (first) { ev.preventDefault(); ev.stopPropagation(); first.focus(); }
    }
  }, true);

  window.hubgenSearch = {
    ensureUI: ensureUI, correct: correct, withinOneEdit: withinOneEdit, chosen: chosen, showFacets: showFacets,
    showCorrection: showCorrection, facets: FACETS, kindNames: KIND_NAMES
  };

  /* ---- Material's mode: between the search box and Material's worker ---- */
  // In Pagefind's mode the wrapper is idle: Material's worker is never asked a query there.
  if (!window.Worker) return;
  var facetsOf = null;  // Promise of {url path: [kind, status, team]}
  function facetMap() {
    if (!facetsOf) {
      facetsOf = loadText("search/hubgen-facets.json")
        .then(function (text) { try { return JSON.parse(text || "{}"); } catch (e) { return {}; } });
    }
    return facetsOf;
  }

  function plainWords(query) { return /^[\p{L}\p{N}\s'-]+$/u.test(query); }

  // "chrun model" -> "chrun*^10 model*^10 churn": what was typed first, the corrections after.
  function widen(query) {
    return correct(query).then(function (c) {
      if (!c.corrected) return { text: query, pairs: [] };
      var typed = plainWords(query)
        ? query.trim().split(/\s+/).map(function (w) { return w + "*^" + TYPED_BOOST; }).join(" ")
        : query;
      var extra = c.pairs.map(function (p) { return p[1]; }).join(" ");
      return { text: typed + " " + extra, pairs: c.pairs };
    });
  }

  var NativeWorker = window.Worker;
  function HubgenWorker(url, options) {
    var worker = new NativeWorker(url, options);
    if (!/search/.test(String(url))) return worker;
    var post = worker.postMessage.bind(worker);
    var queue = Promise.resolve(), lastQuery = null, pairs = [], typedQuery = "";
    worker.postMessage = function (message) {
      if (!message || message.type !== 2 || typeof message.data !== "string") return post.apply(null, arguments);
      lastQuery = message.data;
      queue = queue.then(function () {
        return Promise.all([widen(message.data), facetMap()]).then(function (done) {
          pairs = done[0].pairs; typedQuery = message.data; window.__hubgenFacets = done[1];
          post({ type: 2, data: done[0].text });
        });
      });
    };
    // Registered before Material's own listener: the results are filtered before it renders them.
    worker.addEventListener("message", function (ev) {
      var data = ev.data;
      if (!data || data.type !== 3 || !data.data || !Array.isArray(data.data.items)) return;
      var map = window.__hubgenFacets || {};
      var items = data.data.items, counts = {}, picked = chosen();
      var onlyCorrected = pairs.length > 0 && items.length > 0;
      function facetsOfItem(group) {
        // site-relative, as the facets are keyed: the site may live under a path (/repo/ on
        // GitHub Pages) or a folder on disk (an offline build)
        var path = "/" + new URL(group[0].location, root()).pathname.slice(root().pathname.length);
        return map[path] || null;
      }
      items.forEach(function (group) {
        var f = facetsOfItem(group);
        if (!f) return;
        FACETS.forEach(function (name, i) {
          counts[name] = counts[name] || {};
          if (f[i]) counts[name][f[i]] = (counts[name][f[i]] || 0) + 1;
        });
      });
      if (Object.keys(picked).length) {
        data.data.items = items.filter(function (group) {
          var f = facetsOfItem(group);
          return f && FACETS.every(function (name, i) { return !picked[name] || f[i] === picked[name]; });
        });
      }
      if (onlyCorrected) {  // were any results for the words as typed? (a title or text containing one)
        var typed = (typedQuery.match(/[\p{L}\p{N}]+/gu) || []).map(function (w) { return w.toLowerCase(); });
        onlyCorrected = !items.some(function (group) {
          return group.some(function (item) {
            return Object.keys(item.terms || {}).some(function (t) { return item.terms[t] && typed.indexOf(t) >= 0; });
          });
        });
      }
      // Material lists a query word no result holds as "Missing"; a corrected word is answered by its correction.
      var corrected = pairs.map(function (p) { return p[0].toLowerCase(); });
      data.data.items.forEach(function (group) {
        group.forEach(function (item) {
          corrected.forEach(function (w) { if (item.terms && item.terms[w] === false) delete item.terms[w]; });
        });
      });
      showFacets(counts, items.length > 0);
      showCorrection(pairs, onlyCorrected);
    });
    var box = null;
    document.addEventListener("change", function (ev) {
      box = box || facetBox();
      if (box && box.contains(ev.target) && lastQuery !== null) worker.postMessage({ type: 2, data: lastQuery });
    });
    return worker;
  }
  HubgenWorker.prototype = NativeWorker.prototype;
  window.Worker = HubgenWorker;
})();
