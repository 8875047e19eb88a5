/* hubgen: filter and sort the index tables. No dependencies; works with
   Material's instant navigation through document$ when present. */
(function () {
  "use strict";
  var FILTERS = ["status", "stage", "team", "reason", "kind", "tags"];

  function values(rows, key) {
    var seen = {};
    rows.forEach(function (row) {
      (row.dataset[key] || "").split("|").forEach(function (v) { if (v) seen[v] = true; });
    });
    return Object.keys(seen).sort();
  }

  function setup(box) {
    if (box.dataset.hubReady) return;
    box.dataset.hubReady = "1";
    var table = box.querySelector("table");
    var tbody = table && table.tBodies[0];
    if (!tbody) return;
    var rows = Array.prototype.slice.call(tbody.rows);
    var bar = document.createElement("div");
    bar.className = "hub-filters";
    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "Filter rows";
    text.setAttribute("aria-label", "Filter rows");
    bar.appendChild(text);
    var selects = {};
    FILTERS.forEach(function (key) {
      var options = values(rows, key);
      if (options.length < 2) return;
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + key);
      select.dataset.key = key;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "any " + key;
      select.appendChild(all);
      options.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v; o.textContent = v; select.appendChild(o);
      });
      selects[key] = select;
      bar.appendChild(select);
    });
    var count = document.createElement("span");
    bar.appendChild(count);
    box.parentNode.insertBefore(bar, box);

    function apply() {
      var needle = text.value.toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        Object.keys(selects).forEach(function (key) {
          var want = selects[key].value;
          if (want && (row.dataset[key] || "").split("|").indexOf(want) < 0) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }
    text.addEventListener("input", apply);
    Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", apply); });
    apply();

    Array.prototype.forEach.call(table.tHead ? table.tHead.rows[0].cells : [], function (th, col) {
      th.setAttribute("role", "button");
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var keyed = rows.map(function (row) {
          var t = row.cells[col] ? row.cells[col].textContent.trim() : "";
          var n = parseFloat(t.replace(/[, ]/g, ""));
          return { row: row, t: t.toLowerCase(), n: isNaN(n) || !/^[-\d.,\s]+$/.test(t) ? null : n };
        });
        keyed.sort(function (a, b) {
          var r = a.n !== null && b.n !== null ? a.n - b.n : a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
          return asc ? r : -r;
        });
        keyed.forEach(function (k) { tbody.appendChild(k.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  }

  // Material wraps wide tables in a scroll container; one that actually scrolls must be reachable by
  // keyboard (WCAG 2.1.1), named after the table's caption or the heading above it.
  function scrollable() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        var heading = wrap.closest(".md-typeset") && previousHeading(wrap);
        wrap.setAttribute("aria-label", (caption || heading || {}).textContent
          ? ((caption || heading).textContent.replace(/\u00b6/g, "").trim() + " (table)") : "Table");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  function previousHeading(el) {
    for (var node = el; node; node = node.previousElementSibling || node.parentElement) {
      if (/^H[1-6]$/.test(node.tagName)) return node;
      if (node.classList && node.classList.contains("md-content__inner")) return null;
    }
    return null;
  }

  // A filter box for a whole page (the experts index, the reuse evidence): <div class="hub-page-filter"
  // data-items="CSS of the items" data-groups="CSS of groups to hide when empty">. Items match on their text.
  function pageFilter(box) {
    if (box.dataset.hubReady) return;
    box.dataset.hubReady = "1";
    var items = Array.prototype.slice.call(document.querySelectorAll(box.dataset.items || ""));
    if (!items.length) return;
    var groups = box.dataset.groups ? Array.prototype.slice.call(document.querySelectorAll(box.dataset.groups)) : [];
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = box.dataset.placeholder || "Filter";
    input.setAttribute("aria-label", box.dataset.placeholder || "Filter");
    var count = document.createElement("span");
    count.setAttribute("aria-live", "polite");
    box.classList.add("hub-filters");
    box.appendChild(input);
    box.appendChild(count);
    function apply() {
      var q = input.value.trim().toLowerCase(), shown = 0;
      items.forEach(function (el) {
        var hit = !q || el.textContent.toLowerCase().indexOf(q) >= 0;
        el.hidden = !hit;
        if (hit) shown++;
      });
      groups.forEach(function (g) {
        var empty = !items.some(function (el) { return !el.hidden && g.contains(el); });
        g.hidden = empty;
        var heading = previousHeading(g.previousElementSibling || g);
        if (heading && heading !== g) heading.hidden = empty;
      });
      count.textContent = shown + " of " + items.length + " shown";
    }
    input.addEventListener("input", apply);
    apply();
  }

  // A link to an anchor inside a closed <details> (the reuse evidence) opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);

  var pending = 0;
  function later() {  // after Material has wrapped the tables (its own document$ work), and on resize
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(scrollable);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".hub-filterable"), setup);
    Array.prototype.forEach.call(document.querySelectorAll(".hub-page-filter"), pageFilter);
    openTarget();
    later();
    setTimeout(later, 300);
  }
  window.addEventListener("resize", later);
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
