/* hubgen lineage explorer: a walkable graph on project, job and asset pages and on lineage/.
   Each node's neighbourhood is a small JSON fragment (api/lineage/<kind>/<id>.json) fetched when
   the reader expands it; nothing downloads the whole graph. Cytoscape.js (vendored, loaded only
   where an explorer is) draws and lays out; every action is also a button or a link in the node
   list beside the drawing, so the explorer works with the keyboard alone. */
(function () {
  "use strict";
  var MAX_NODES = 400;  // "all" stops here: a drawing larger than this is no longer readable
  var KINDS = {project: "round-rectangle", job: "cut-rectangle", dataset: "barrel", model: "hexagon",
               report: "rectangle", app: "tag", feature: "ellipse", component: "octagon"};
  var library = null;

  function loadLibrary(root) {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + "assets/hubgen/cytoscape.min.js";
        s.onload = function () { resolve(window.cytoscape); };
        s.onerror = function () { library = null; reject(new Error("could not load " + s.src)); };
        document.head.appendChild(s);
      });
    }
    return library;
  }

  function fetchJSON(path) {
    return fetch(path).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  /* As soon as this script runs (the page is parsed by then), start fetching the library and each
     explorer's first fragment, rather than after the theme's own start-up. */
  function early() {
    Array.prototype.forEach.call(document.querySelectorAll(".hub-explorer"), function (box) {
      loadLibrary(box.dataset.root || "./").catch(function () {});  // reported when the explorer starts
      if (box.hubEarly || box.dataset.fullscreen === "1") return;  // full screen: the node is in the URL
      box.hubEarly = fetchJSON(box.dataset.fragment);
      box.hubEarly.catch(function () {});
    });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function select(label, options) {
    var wrap = el("label", {"class": "hub-explorer__field"});
    wrap.appendChild(el("span", {}, label));
    var s = el("select");
    options.forEach(function (o) { s.appendChild(el("option", {value: o[0]}, o[1])); });
    wrap.appendChild(s);
    return {wrap: wrap, select: s};
  }

  function setOptions(s, options) {
    var keep = s.value;
    s.textContent = "";
    options.forEach(function (o) { s.appendChild(el("option", {value: o[0]}, o[1])); });
    if (options.some(function (o) { return o[0] === keep; })) s.value = keep;
  }

  /* The page's colours as rgb() (Cytoscape paints a canvas and reads no CSS): each custom property is
     resolved through a probe element, so light and dark schemes and custom palettes all apply. */
  function palette(box) {
    var probe = el("span", {"aria-hidden": "true"});
    probe.style.display = "none";
    box.appendChild(probe);
    function v(name, fallback) {
      probe.style.color = fallback;
      probe.style.color = "var(" + name + ", " + fallback + ")";
      return getComputedStyle(probe).color;
    }
    var p = {fg: v("--md-default-fg-color", "#222"), bg: v("--md-default-bg-color", "#fff"),
             node: v("--hub-explorer-node", "#e8eaf6"), edge: v("--hub-explorer-edge", "#666"),
             accent: v("--hub-explorer-accent", "#c2185b"), focus: v("--hub-explorer-focus", "#1a237e")};
    box.removeChild(probe);
    return p;
  }

  function style(p) {
    return [
      {selector: "node", style: {"label": "data(short)", "shape": "data(shape)", "background-color": p.node,
        "border-width": 1, "border-color": p.edge, "color": p.fg, "font-size": 13, "text-valign": "center",
        "text-halign": "center", "width": "data(w)", "height": 24, "text-wrap": "none"}},
      {selector: "node.focus", style: {"border-width": 4, "border-color": p.focus}},
      {selector: "node.hover", style: {"border-width": 4, "border-color": p.accent}},
      {selector: "node.nopage", style: {"border-style": "dashed"}},
      {selector: "edge", style: {"width": 1.5, "line-color": p.edge, "target-arrow-color": p.edge,
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8}},
      {selector: "edge.column", style: {"line-style": "dashed", "line-color": p.accent,
        "target-arrow-color": p.accent, "label": "data(label)", "font-size": 9, "color": p.fg,
        "text-background-color": p.bg, "text-background-opacity": 1}},
      {selector: ".on-path", style: {"line-color": p.accent, "target-arrow-color": p.accent, "width": 4,
        "border-color": p.accent, "border-width": 4}},
      {selector: ".filtered", style: {"display": "none"}}
    ];
  }

  function Explorer(box) {
    this.box = box;
    this.root = box.dataset.root || "./";
    this.focus = box.dataset.node;
    var wanted = new URLSearchParams(location.search).get("node");
    this.full = box.dataset.fullscreen === "1";
    if (this.full && wanted) this.focus = wanted;
    this.nodes = {};  // key -> summary
    this.edges = {};  // "a\u0000b" -> {source, target, column}
    this.fragments = {};  // fragment path -> promise of the parsed fragment
    this.loaded = {};  // key -> fragment (once fetched)
    this.expanded = {};  // "key up" / "key down" -> true
    this.columnNode = null;
  }

  Explorer.prototype.fragment = function (summary) {
    var path = summary.fragment;
    if (!this.fragments[path]) {
      var self = this;
      this.fragments[path] = fetch(this.root + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      }).then(function (f) { self.loaded[f.node.key] = f; return f; }, function (err) {
        delete self.fragments[path];  // a failed fetch may be retried
        throw err;
      });
    }
    return this.fragments[path];
  };

  Explorer.prototype.build = function () {
    var box = this.box, self = this;
    box.hidden = false;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Lineage explorer");
    var bar = el("div", {"class": "hub-explorer__bar"});
    this.depth = select("Depth", [["1", "1"], ["2", "2"], ["3", "3"], ["all", "all"]]);
    this.kind = select("Kind", [["", "any kind"]]);
    this.team = select("Team", [["", "any team"]]);
    this.status = select("Status", [["", "any status"]]);
    [this.depth, this.kind, this.team, this.status].forEach(function (f) { bar.appendChild(f.wrap); });
    this.from = select("Path from", [["", "—"]]);
    this.to = select("to", [["", "—"]]);
    bar.appendChild(this.from.wrap);
    bar.appendChild(this.to.wrap);
    var pathButton = el("button", {type: "button", "class": "hub-explorer__button"}, "Highlight path");
    bar.appendChild(pathButton);
    if (!this.full && box.dataset.full) {
      bar.appendChild(el("a", {"class": "hub-explorer__button", href: box.dataset.full + "?node=" +
        encodeURIComponent(this.focus)}, "Full screen"));
    }
    box.appendChild(bar);
    this.live = el("p", {"class": "hub-explorer__status", role: "status", "aria-live": "polite"});
    box.appendChild(this.live);
    var body = el("div", {"class": "hub-explorer__body"});
    this.canvas = el("div", {"class": "hub-explorer__canvas", role: "img",
      "aria-label": "Lineage graph; the node list beside it holds the same nodes and actions"});
    body.appendChild(this.canvas);
    var side = el("div", {"class": "hub-explorer__side"});
    this.columns = el("div", {"class": "hub-explorer__columns", hidden: ""});
    side.appendChild(this.columns);
    side.appendChild(el("h3", {"class": "hub-explorer__heading", id: this.id("nodes")}, "Nodes"));
    this.list = el("ul", {"class": "hub-explorer__list", "aria-labelledby": this.id("nodes")});
    side.appendChild(this.list);
    body.appendChild(side);
    box.appendChild(body);

    this.depth.select.addEventListener("change", function () { self.toDepth(self.depth.select.value); });
    [this.kind, this.team, this.status].forEach(function (f) {
      f.select.addEventListener("change", function () { self.filter(); });
    });
    pathButton.addEventListener("click", function () { self.path(); });
  };

  Explorer.prototype.id = function (name) {
    if (!this.uid) this.uid = "hub-explorer-" + (++Explorer.count);
    return this.uid + "-" + name;
  };
  Explorer.count = 0;

  Explorer.prototype.start = function () {
    var self = this, started = performance.now();
    this.timing = {};
    this.build();
    this.say("Loading the lineage of " + this.focus + "…");
    var asked = this.full && this.focus !== this.box.dataset.node;
    var load = asked ? this.fragmentOf(this.focus) : (this.box.hubEarly || fetchJSON(this.box.dataset.fragment));
    var lib = loadLibrary(this.root).then(function (c) { self.timing.library = performance.now() - started; return c; });
    load = load.then(function (f) { self.timing.fragment = performance.now() - started; return f; });
    Promise.all([lib, load]).then(function (got) {
      var f = got[1];
      self.loaded[f.node.key] = f;
      self.fragments[f.node.fragment] = Promise.resolve(f);
      self.focus = f.node.key;
      self.cy = got[0]({container: self.canvas, style: style(palette(self.box)),
                        minZoom: 0.2, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: true});
      self.cy.on("tap", "node", function (e) { self.open(e.target.id()); });
      self.cy.on("mouseover", "node", function (e) { e.target.addClass("hover"); self.canvas.title = e.target.data("label"); });
      self.cy.on("mouseout", "node", function (e) { e.target.removeClass("hover"); self.canvas.title = ""; });
      self.add(f.node);
      self.take(f, "up");
      self.take(f, "down");
      self.expanded[f.node.key + " up"] = self.expanded[f.node.key + " down"] = true;
      self.redraw();
      self.showColumns(f.node.key);
      self.box.dataset.state = "ready";
      self.box.dataset.firstGraphMs = String(Math.round(performance.now() - started));
      self.box.dataset.timing = JSON.stringify(self.timing, function (k, v) { return typeof v === "number" ? Math.round(v) : v; });
      if (window.performance && performance.mark) performance.mark("hub-explorer-first-graph");
      self.watchPalette();
      self.say(Object.keys(self.nodes).length + " node(s): " + f.node.label + " and its neighbours" +
        self.unlisted(f) + ". Expand a node with its ↑ (upstream) and ↓ (downstream) buttons; click a node, " +
        "or its name in the list, to open its page.");
    }).catch(function (err) {
      self.box.dataset.state = "failed";
      self.say("The lineage explorer could not load (" + err.message + "); the diagram and lists below show the same lineage.");
    });
  };

  Explorer.prototype.fragmentOf = function (key) {
    var kind = key.split(":")[0], ident = key.slice(kind.length + 1);
    return this.fragment({fragment: "api/lineage/" + kind + "/" + ident + ".json"});
  };

  Explorer.prototype.say = function (text) { this.live.textContent = text; };

  /* What a fragment leaves out past its cap, said as the page's own lists have it: " (12 more upstream ...)". */
  Explorer.prototype.unlisted = function (f) {
    var more = [];
    [["up", "upstream"], ["down", "downstream"]].forEach(function (p) {
      var left = (f[p[0] + "_total"] || 0) - (f[p[0]] || []).length;
      if (left > 0) more.push(left + " more " + p[1]);
    });
    return more.length ? " (" + more.join(", ") + " are listed on its page)" : "";
  };

  Explorer.prototype.add = function (s) {
    if (!this.nodes[s.key]) this.nodes[s.key] = s;
  };

  Explorer.prototype.edge = function (source, target, column) {
    var id = source + "\u0000" + target + (column ? "\u0000" + column : "");
    if (!this.edges[id]) this.edges[id] = {source: source, target: target, column: column || ""};
  };

  /* Adds a fragment's neighbours on one side; returns the keys added (for walking on). */
  Explorer.prototype.take = function (f, side) {
    var self = this, key = f.node.key, added = [];
    (f[side] || []).forEach(function (s) {
      if (!self.nodes[s.key]) added.push(s.key);
      self.add(s);
      if (side === "up") self.edge(s.key, key); else self.edge(key, s.key);
    });
    return added;
  };

  Explorer.prototype.expand = function (key, side) {
    var self = this, s = this.nodes[key];
    if (!s) return Promise.resolve([]);
    return this.fragment(s).then(function (f) {
      self.expanded[key + " " + side] = true;
      var added = self.take(f, side);
      return added;
    });
  };

  Explorer.prototype.expandAndDraw = function (key, side) {
    var self = this;
    this.say("Loading " + (side === "up" ? "upstream" : "downstream") + " of " + this.nodes[key].label + "…");
    return this.expand(key, side).then(function (added) {
      self.redraw();
      var f = self.loaded[key], total = f[side + "_total"], listed = (f[side] || []).length;
      self.say((added.length ? added.length + " node(s) added " : "Nothing new ") +
        (side === "up" ? "upstream" : "downstream") + " of " + self.nodes[key].label +
        (total > listed ? "; " + (total - listed) + " more are listed on its page" : "") + ".");
      var row = self.rowButton(key, side);
      if (row) row.focus();
    }).catch(function (err) { self.say("Could not expand: " + err.message); });
  };

  /* Depth d: nodes within d steps of the focus, walking upstream from upstream nodes and downstream
     from downstream ones ("all": until nothing is left, at most MAX_NODES nodes). */
  Explorer.prototype.toDepth = function (value) {
    var self = this, limit = value === "all" ? Infinity : parseInt(value, 10);
    var keep = {};
    keep[this.focus] = true;
    var frontier = {up: [this.focus], down: [this.focus]}, level = 0, capped = false;
    this.say("Loading depth " + value + "…");
    function step() {
      if (level >= limit || (!frontier.up.length && !frontier.down.length)) return Promise.resolve();
      level++;
      var next = {up: [], down: []}, jobs = [];
      ["up", "down"].forEach(function (side) {
        frontier[side].forEach(function (key) {
          jobs.push(self.fragment(self.nodes[key]).then(function (f) {
            self.take(f, side);
            self.expanded[key + " " + side] = true;
            (f[side] || []).forEach(function (s) {
              if (keep[s.key]) return;
              if (Object.keys(keep).length >= MAX_NODES) { capped = true; return; }
              keep[s.key] = true;
              next[side].push(s.key);
            });
          }));
        });
      });
      return Promise.all(jobs).then(function () { frontier = next; if (!capped) return step(); });
    }
    return step().then(function () {
      Object.keys(self.nodes).forEach(function (k) { if (!keep[k]) delete self.nodes[k]; });
      Object.keys(self.edges).forEach(function (id) {
        var e = self.edges[id];
        if (!self.nodes[e.source] || !self.nodes[e.target]) delete self.edges[id];
      });
      Object.keys(self.expanded).forEach(function (id) { if (!keep[id.split(" ")[0]]) delete self.expanded[id]; });
      self.redraw();
      self.say(Object.keys(self.nodes).length + " node(s) within depth " + value +
        (capped ? "; stopped at " + MAX_NODES + " nodes, expand from a node to go further" : "") + ".");
    }).catch(function (err) { self.say("Could not load: " + err.message); });
  };

  Explorer.prototype.open = function (key) {
    var s = this.nodes[key];
    if (s && s.url) location.href = this.root + s.url;
  };

  Explorer.prototype.redraw = function () {
    var t0 = performance.now(), self = this, cy = this.cy, elements = [];
    Object.keys(this.nodes).forEach(function (k) {
      var s = self.nodes[k];
      var short = s.label.length > 28 ? s.label.slice(0, 27) + "…" : s.label;
      elements.push({group: "nodes", data: {id: k, label: s.label + " (" + s.kind + ")", short: short,
        w: Math.round(short.length * 7.4 + 22), shape: KINDS[s.kind] || "ellipse"},
        classes: (k === self.focus ? "focus" : "") + (s.url ? "" : " nopage")});
    });
    Object.keys(this.edges).forEach(function (id) {
      var e = self.edges[id];
      elements.push({group: "edges", data: {id: "e" + id, source: e.source, target: e.target, label: e.column},
        classes: e.column ? "column" : ""});
    });
    cy.batch(function () {
      cy.elements().remove();
      cy.add(elements);
    });
    var roots = cy.nodes().filter(function (n) { return n.indegree(false) === 0; });
    var shape = this.extent(roots);
    // Levels left to right, as the diagrams run: Cytoscape's grid layout with each node's cell given
    // by its breadth-first level from the roots (column) and its place in that level (row, centred).
    // The same levels as the breadthfirst layout, without its cost (370 ms against 40 ms for 100 nodes).
    cy.layout({name: "grid", animate: false, fit: true, padding: 24, avoidOverlap: false, condense: false,
      rows: Math.max(1, shape.widest), cols: Math.max(1, shape.levels),
      boundingBox: {x1: 0, y1: 0, w: Math.max(1, shape.levels) * 220, h: Math.max(1, shape.widest) * 36},
      position: function (n) { return shape.cell[n.id()]; }}).run();
    if (cy.zoom() < 0.7) {  // a wide fan-out: keep the names readable and centre on the focus; drag to pan
      cy.zoom(0.7);
      cy.center(cy.getElementById(this.focus));
    }
    var t1 = performance.now();
    this.filterOptions();
    this.filter();
    this.renderList();
    if (this.timing) { this.timing.layout = t1 - t0; this.timing.lists = performance.now() - t1; }
  };

  /* How many levels a breadthfirst walk from `roots` makes, and how many nodes its largest level holds. */
  /* Each node's breadth-first level from `roots` and its row in that level (ordered by name, centred). */
  Explorer.prototype.extent = function (roots) {
    var self = this, level = {}, queue = [], per = {}, widest = 0, levels = 0, cell = {};
    (roots.length ? roots : this.cy.nodes().slice(0, 1)).forEach(function (n) { level[n.id()] = 0; queue.push(n); });
    while (queue.length) {
      var n = queue.shift();
      n.outgoers("node").forEach(function (m) {
        if (level[m.id()] === undefined) { level[m.id()] = level[n.id()] + 1; queue.push(m); }
      });
    }
    this.cy.nodes().forEach(function (n) {
      var l = level[n.id()] || 0;
      (per[l] = per[l] || []).push(n.id());
      levels = Math.max(levels, l + 1);
    });
    Object.keys(per).forEach(function (l) { widest = Math.max(widest, per[l].length); });
    Object.keys(per).forEach(function (l) {
      var ids = per[l].sort(function (a, b) { return self.nodes[a].label.localeCompare(self.nodes[b].label); });
      var offset = Math.floor((widest - ids.length) / 2);
      ids.forEach(function (id, i) { cell[id] = {row: i + offset, col: +l}; });
    });
    return {widest: widest, levels: levels, cell: cell};
  };

  Explorer.prototype.filterOptions = function () {
    var self = this, kinds = {}, teams = {}, statuses = {}, keys = Object.keys(this.nodes);
    keys.forEach(function (k) {
      var s = self.nodes[k];
      kinds[s.kind] = true;
      if (s.team) teams[s.team] = true;
      if (s.status) statuses[s.status] = true;
    });
    function opts(any, set) {
      return [["", any]].concat(Object.keys(set).sort().map(function (v) { return [v, v]; }));
    }
    setOptions(this.kind.select, opts("any kind", kinds));
    setOptions(this.team.select, opts("any team", teams));
    setOptions(this.status.select, opts("any status", statuses));
    var byLabel = keys.slice().sort(function (a, b) {
      return self.nodes[a].label.localeCompare(self.nodes[b].label);
    }).map(function (k) { return [k, self.nodes[k].label + " (" + self.nodes[k].kind + ")"]; });
    setOptions(this.from.select, [["", "—"]].concat(byLabel));
    setOptions(this.to.select, [["", "—"]].concat(byLabel));
  };

  Explorer.prototype.visible = function (s) {
    if (s.key === this.focus) return true;
    var kind = this.kind.select.value, team = this.team.select.value, status = this.status.select.value;
    return (!kind || s.kind === kind) && (!team || s.team === team) && (!status || s.status === status);
  };

  Explorer.prototype.filter = function () {
    var self = this, shown = 0, total = 0;
    this.cy.batch(function () {  // one style pass, not one per node
      self.cy.nodes().forEach(function (n) {
        var ok = self.visible(self.nodes[n.id()]);
        if (n.hasClass("filtered") === ok) n.toggleClass("filtered", !ok);
        total++;
        if (ok) shown++;
      });
    });
    Array.prototype.forEach.call(this.list.children, function (li) {
      li.hidden = !self.visible(self.nodes[li.dataset.key]);
    });
    this.box.dataset.shown = String(shown);
    if (shown < total) this.say(shown + " of " + total + " nodes match the filters.");
  };

  Explorer.prototype.rowButton = function (key, side) {
    return this.list.querySelector('li[data-key="' + CSS.escape(key) + '"] button[data-side="' + side + '"]');
  };

  Explorer.prototype.renderList = function () {
    var self = this;
    var keys = Object.keys(this.nodes).sort(function (a, b) {
      if (a === self.focus) return -1;
      if (b === self.focus) return 1;
      return self.nodes[a].label.localeCompare(self.nodes[b].label);
    });
    this.list.textContent = "";
    keys.forEach(function (k) {
      var s = self.nodes[k], li = el("li", {"data-key": k});
      var name = s.url ? el("a", {href: self.root + s.url}, s.label) : el("span", {}, s.label);
      li.appendChild(name);
      li.appendChild(el("span", {"class": "hub-explorer__kind"}, " " + s.kind + (s.status ? " · " + s.status : "")));
      var actions = el("span", {"class": "hub-explorer__actions"});
      [["up", "↑", "upstream"], ["down", "↓", "downstream"]].forEach(function (d) {
        var count = s[d[0]];
        if (!count) return;
        var done = self.expanded[k + " " + d[0]];
        var b = el("button", {type: "button", "data-side": d[0]}, d[1] + " " + count);
        b.appendChild(el("span", {"class": "hub-sr"}, " " + d[2] + " of " + s.label + ": expand"));
        if (done) { b.setAttribute("aria-pressed", "true"); b.title = "Shown"; }
        b.addEventListener("click", function () { self.expandAndDraw(k, d[0]); });
        actions.appendChild(b);
      });
      if (s.columns) {
        var c = el("button", {type: "button", "data-columns": "1"}, "columns");
        c.appendChild(el("span", {"class": "hub-sr"}, " of " + s.label));
        c.addEventListener("click", function () { self.showColumns(k, true); });
        actions.appendChild(c);
      }
      li.appendChild(actions);
      li.addEventListener("focusin", function () { var n = self.cy.getElementById(k); n.addClass("hover"); });
      li.addEventListener("focusout", function () { self.cy.getElementById(k).removeClass("hover"); });
      self.list.appendChild(li);
    });
  };

  /* Column lineage of one node: pick a column, see the columns that feed it and those it feeds. */
  Explorer.prototype.showColumns = function (key, moveFocus) {
    var self = this, s = this.nodes[key];
    if (!s || !s.columns) return;
    this.fragment(s).then(function (f) {
      var cols = f.columns || [];
      if (!cols.length) return;
      self.columnNode = key;
      (f.column_nodes || []).forEach(function (n) { self.columnSummaries = self.columnSummaries || {}; self.columnSummaries[n.key] = n; });
      var box = self.columns;
      box.hidden = false;
      box.textContent = "";
      box.appendChild(el("h3", {"class": "hub-explorer__heading"}, "Columns of " + s.label));
      var pick = select("Column", [["", "pick a column"]].concat(cols.map(function (c) {
        return [c.name, c.name + (c.from ? " ← " + c.from.length : "") + (c.to ? " → " + c.to.length : "")];
      })));
      pick.select.classList.add("hub-explorer__column");
      box.appendChild(pick.wrap);
      var out = el("div", {"class": "hub-explorer__column-result", "aria-live": "polite"});
      box.appendChild(out);
      pick.select.addEventListener("change", function () {
        var c = cols.filter(function (x) { return x.name === pick.select.value; })[0];
        self.columnLinks(key, c, out);
      });
      if (moveFocus) pick.select.focus();
    });
  };

  Explorer.prototype.columnLinks = function (key, c, out) {
    var self = this;
    out.textContent = "";
    Object.keys(this.edges).forEach(function (id) { if (self.edges[id].column) delete self.edges[id]; });
    if (!c) { this.redraw(); return; }
    [["from", "Fed by"], ["to", "Feeds"]].forEach(function (d) {
      var links = c[d[0]];
      if (!links || !links.length) return;
      out.appendChild(el("p", {"class": "hub-explorer__subhead"}, d[1] + ":"));
      var ul = el("ul", {"class": d[0] === "from" ? "hub-explorer__inputs" : "hub-explorer__outputs"});
      links.forEach(function (l) {
        var s = self.nodes[l.key] || (self.columnSummaries || {})[l.key] || {key: l.key, label: l.key, kind: l.key.split(":")[0]};
        self.add(s);
        if (d[0] === "from") self.edge(l.key, key, l.column + " → " + c.name);
        else self.edge(key, l.key, c.name + " → " + l.column);
        var li = el("li");
        li.appendChild(s.url ? el("a", {href: self.root + s.url}, s.label) : el("span", {}, s.label));
        li.appendChild(document.createTextNode("."));
        li.appendChild(el("code", {}, l.column));
        if (l.how) li.appendChild(el("small", {}, " (" + l.how + ")"));
        ul.appendChild(li);
      });
      out.appendChild(ul);
    });
    this.redraw();
    this.say("Column " + c.name + ": " + (c.from ? c.from.length + " input column(s)" : "no input columns recorded") +
      (c.to ? ", feeds " + c.to.length : "") + ".");
  };

  Explorer.prototype.path = function () {
    var a = this.from.select.value, b = this.to.select.value, cy = this.cy;
    cy.elements().removeClass("on-path");
    if (!a || !b || a === b) { this.say("Pick two different nodes to highlight the path between them."); return; }
    var found = null, route = "";
    [[a, b, true, "downstream"], [b, a, true, "upstream"], [a, b, false, "through shared neighbours"]].some(function (t) {
      var r = cy.elements(":visible").aStar({root: "#" + CSS.escape(t[0]), goal: "#" + CSS.escape(t[1]), directed: t[2]});
      if (r.found) { found = r; route = t[3]; return true; }
      return false;
    });
    if (!found) { this.say("No path between them among the nodes shown: expand further, or clear the filters."); return; }
    found.path.addClass("on-path");
    var names = found.path.nodes().map(function (n) { return n.data("label"); });
    this.box.dataset.path = found.path.nodes().map(function (n) { return n.id(); }).join(" ");
    this.say("Path (" + route + ", " + (names.length - 1) + " step(s)): " + names.join(" → "));
  };

  Explorer.prototype.watchPalette = function () {
    var self = this;
    new MutationObserver(function () { self.cy.style(style(palette(self.box))); })
      .observe(document.body, {attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"]});
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".hub-explorer"), function (box) {
      if (box.dataset.hubReady) return;
      box.dataset.hubReady = "1";
      var explorer = new Explorer(box);
      box.hubExplorer = explorer;  // for the browser tests and for scripts of the hub's own
      explorer.start();
    });
  }
  /* Opened from disk (an offline build): browsers refuse fetch() on file:// pages, so the explorer
     cannot load its fragments. Pages keep their static diagram; the full-screen page says why it is empty. */
  function offline() {
    Array.prototype.forEach.call(document.querySelectorAll(".hub-explorer[data-fullscreen='1']"), function (box) {
      box.hidden = false;
      box.appendChild(el("p", {"class": "hub-explorer-offline"}, "The lineage explorer needs the hosted site: it loads " +
        "each node's neighbours as you expand it, which a page opened from disk may not. The diagrams on each " +
        "project and asset page show the same lineage one hop each way."));
    });
  }
  if (location.protocol === "file:") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", offline);
    else offline();
    return;
  }
  early();
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
