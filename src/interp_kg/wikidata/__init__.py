"""Linking the graph to Wikidata: search Wikidata for the items of the works (and venues and
topics), record every search in a curated mapping file, and propose the missing items and
statements as QuickStatements an editor can run as they are.

(The Wikidata properties and items we use, and the ones not verified yet, are in
:mod:`interp_kg.identifiers.wikidata`; the curated mapping file's models in
:mod:`interp_kg.curation.wikidata_mapping`.)

- :mod:`.works`: the works of the built graph, each with its curated bibliography record
- :mod:`.items`: which items a work becomes (a paper's preprint and venue version apart), their
  classes, and which facts each states
- :mod:`.statements`: the statements of an item, each with the reference of its fact
- :mod:`.client`: one polite SPARQL client (User-Agent, one request at a time, backoff, a cache
  that keeps each answer's day)
- :mod:`.targets`: what each item of a work is searched by (identifiers, titles, years)
- :mod:`.queries`: the SPARQL of reconciliation, plain SPARQL 1.1
- :mod:`.reconcile`: batched ``VALUES`` look-ups by identifier and by title; a record per item
- :mod:`.conflicts`: two items for one work, one item for two works
- :mod:`.quickstatements`: QuickStatements V1 for items searched and not found and for what
  linked items lack; what is left out, counted
- :mod:`.profile`: the dump in Wikidata's own RDF shape (``export --profile wikidata``)

May import: everything up to ``sparql``/``checks``/``diff``; not ``reports``, ``site`` or ``enrich``
(its siblings).
"""
