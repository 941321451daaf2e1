"""The search page: full-text search with typo tolerance and facets, in the browser.

The works are written at ``site build`` time to ``search-data.js`` (a script that sets one
array: title, authors, venue, kind, year, topics, abstract and page of each work); the search
page loads it, the vendored MiniSearch library (``vendor/minisearch.js``, MIT, see
``site/vendor/README.md``) and :data:`SCRIPT` with ``<script>`` elements, so it works over
``file://`` and from any static host, and no request leaves the site. MiniSearch indexes titles,
authors, venues, topics and abstracts, matches prefixes and misspellings (``fuzzy: 0.2``: about
one edit in five letters), and the facets (topic, year, venue, kind, author) count and narrow
the hits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources

from interp_kg.site.collect import WORK_KINDS, Index

DATA_FILE = "search-data.js"
SCRIPT_FILE = "search.js"
PAGE_FILE = "search.html"
VENDOR_DIR = "vendor"
#: The vendored library: (file in the package's ``vendor/``, file in the site's ``vendor/``).
VENDORED = (("minisearch.js", "minisearch.js"), ("minisearch-LICENSE.txt", "minisearch-LICENSE.txt"))
MINISEARCH_VERSION = "7.2.0"


def vendored() -> list[tuple[str, bytes]]:
    """(site path, bytes) of the vendored library and its licence."""
    folder = resources.files("interp_kg.site") / "vendor"
    return [(f"{VENDOR_DIR}/{target}", (folder / source).read_bytes()) for source, target in VENDORED]


SCRIPT = """\
"use strict";
(function () {
  var docs = window.IKG_SEARCH || [];
  var FACETS = [["tp", "Topic"], ["y", "Year"], ["v", "Venue"], ["k", "Kind"], ["a", "Author"]];
  var mini = new MiniSearch({
    fields: ["t", "a", "v", "tp", "ab"],
    storeFields: ["t", "a", "v", "k", "y", "tp", "h"],
    extractField: function (doc, name) {
      var value = doc[name];
      return Array.isArray(value) ? value.join(" ") : (value == null ? "" : String(value));
    },
    searchOptions: { boost: { t: 3, a: 2, tp: 1.5 }, prefix: true, fuzzy: 0.2, combineWith: "AND" }
  });
  mini.addAll(docs);
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var box = document.getElementById("q"), hits = document.getElementById("hits");
  var summary = document.getElementById("summary"), facetsBox = document.getElementById("facets");
  var chosen = {};
  FACETS.forEach(function (f) { chosen[f[0]] = {}; });
  function values(doc, key) {
    var value = doc[key];
    if (value == null || value === "") return [];
    return Array.isArray(value) ? value : [String(value)];
  }
  function passes(doc, skip) {
    return FACETS.every(function (f) {
      var key = f[0], want = Object.keys(chosen[key]);
      if (key === skip || want.length === 0) return true;
      var have = values(doc, key);
      return want.some(function (w) { return have.indexOf(w) >= 0; });
    });
  }
  function found() {
    var q = box.value.trim();
    if (q.length === 0) return docs.slice();
    var results = mini.search(q);
    if (results.length === 0) results = mini.search(q, { combineWith: "OR" });
    return results.map(function (r) { return byId[r.id]; });
  }
  function render() {
    var all = found(), shown = all.filter(function (d) { return passes(d, null); });
    hits.textContent = "";
    shown.slice(0, 200).forEach(function (d) {
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = d.h;
      link.textContent = d.t;
      li.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "meta";
      var bits = [d.k];
      if (d.y) bits.push(String(d.y));
      if (d.v) bits.push(d.v);
      if (d.a && d.a.length) bits.push(d.a.slice(0, 3).join(", ") + (d.a.length > 3 ? ", et al." : ""));
      meta.textContent = " " + bits.join(" · ");
      li.appendChild(meta);
      hits.appendChild(li);
    });
    summary.textContent = shown.length + (shown.length === 1 ? " work" : " works") +
      (shown.length > 200 ? " (the first 200 shown)" : "");
    facetsBox.textContent = "";
    FACETS.forEach(function (f) {
      var key = f[0], counts = {};
      all.forEach(function (d) {
        if (!passes(d, key)) return;
        values(d, key).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      Object.keys(chosen[key]).forEach(function (v) { if (!(v in counts)) counts[v] = 0; });
      var names = Object.keys(counts).sort(function (x, y) {
        return key === "y" ? (y < x ? -1 : 1) : (counts[y] - counts[x]) || (x < y ? -1 : 1);
      });
      if (names.length === 0) return;
      var set = document.createElement("fieldset"), legend = document.createElement("legend");
      legend.textContent = f[1];
      set.appendChild(legend);
      set.setAttribute("data-facet", key);
      names.slice(0, 60).forEach(function (name) {
        var label = document.createElement("label"), input = document.createElement("input");
        input.type = "checkbox";
        input.value = name;
        input.checked = name in chosen[key];
        input.addEventListener("change", function () {
          if (input.checked) chosen[key][name] = true; else delete chosen[key][name];
          render();
        });
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + name + " (" + counts[name] + ")"));
        set.appendChild(label);
      });
      facetsBox.appendChild(set);
    });
  }
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) box.value = given;
  box.addEventListener("input", render);
  document.getElementById("search").addEventListener("submit", function (e) {
    e.preventDefault();
    render();
  });
  render();
})();
"""


def search_data(index: Index) -> Iterator[str]:
    """``window.IKG_SEARCH = [{id, t, a, v, k, y, tp, ab, h}, ...];``: every work, by IRI, in
    pieces (one work's at a time)."""
    topics_of: dict[str, set[str]] | None = None
    if index.db is None:
        topics_of = {}
        for topic, works in index.topic_works.items():
            for w in works:
                topics_of.setdefault(w, set()).add(index.topic_name(topic))
    yield "window.IKG_SEARCH = ["
    sep = ""
    for n, iri in enumerate(
        sorted(index.of_kind(WORK_KINDS)) if index.db is None else index.of_kind(WORK_KINDS)
    ):
        stem = index.stem(iri)
        if stem is None:
            continue
        cite = index.cite.get(iri)
        doc: dict[str, object] = {"id": n, "t": index.name(iri), "k": index.kind[iri], "h": f"{stem}.html"}
        if cite is not None and cite.authors:
            doc["a"] = list(cite.authors)
        if cite is not None and cite.venue:
            doc["v"] = cite.venue
        year = index.year.get(iri)
        if year is not None:
            doc["y"] = year
        if topics_of is None:
            topics = {index.topic_name(t) for t in index.topics_of(iri)}
        else:
            topics = topics_of.get(iri, set())
        if topics:
            doc["tp"] = sorted(topics)
        if cite is not None and cite.abstract:
            doc["ab"] = cite.abstract
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        yield sep + data.replace("<", "\\u003c")
        sep = ","
    yield "];\n"
