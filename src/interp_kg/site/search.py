"""The offline search box: a prebuilt index (a script that sets one array) and a few lines of
plain JavaScript that filter it as the user types. No framework, no request to any server: the
index is loaded with a ``<script>`` element, so it works over ``file://`` too."""

from __future__ import annotations

import json

from interp_kg.site.collect import WORK_KINDS, Index

INDEX_FILE = "search-index.js"
SCRIPT_FILE = "search.js"
#: Kinds of resources the search finds.
SEARCHED = WORK_KINDS | {"topic", "venue", "author"}

SCRIPT = """\
"use strict";
(function () {
  var box = document.getElementById("q"), out = document.getElementById("results");
  var entries = (window.IKG_SEARCH || []).map(function (e) { return [e[0].toLowerCase(), e]; });
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), shown = 0;
    out.textContent = "";
    if (q.length < 2) return;
    for (var i = 0; i < entries.length && shown < 50; i++) {
      if (entries[i][0].indexOf(q) < 0) continue;
      var e = entries[i][1], li = document.createElement("li"), a = document.createElement("a");
      a.href = e[1];
      a.textContent = e[0];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + e[2] + (e[3] ? " · " + e[3] : "")));
      out.appendChild(li);
      shown++;
    }
  });
})();
"""


def search_index(index: Index) -> str:
    """``window.IKG_SEARCH = [[label, path, kind, year], ...];`` sorted by label."""
    rows = []
    for iri, kind in index.kind.items():
        stem = index.stem(iri) if kind in SEARCHED else None
        if stem is not None:
            year = index.year.get(iri)
            rows.append([index.name(iri), f"{stem}.html", kind, "" if year is None else str(year)])
    rows.sort(key=lambda r: (r[0].casefold(), r[1]))
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return "window.IKG_SEARCH = " + data.replace("<", "\\u003c") + ";\n"
