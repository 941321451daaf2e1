"""Linking the graph to Wikidata: reconcile works, venues and topics with Wikidata items, keep the
links in a curated mapping file, and propose the missing items and statements as QuickStatements.

(The Wikidata properties and items we use are in :mod:`interp_kg.identifiers.wikidata`, the curated
mapping file's models in :mod:`interp_kg.curation.wikidata_mapping`.)

- :mod:`.works`: the works of the built graph, with their Wikidata-ready values
- :mod:`.client`: one polite SPARQL client (User-Agent, one request at a time, backoff, cache)
- :mod:`.reconcile`: batched ``VALUES`` look-ups by identifier and by label
- :mod:`.conflicts`: two items for one work, one item for two works
- :mod:`.quickstatements`: QuickStatements V1 for missing items and missing statements
- :mod:`.profile`: the JSON-LD dump shaped for reconciliation tools (``export --profile wikidata``)

May import: everything up to ``sparql``/``checks``/``diff``; not ``reports``, ``site`` or ``enrich``
(its siblings).
"""
