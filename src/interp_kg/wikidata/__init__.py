"""Linking the graph to Wikidata: reconcile works, venues and topics with Wikidata items, keep the
links in a curated mapping file, and propose the missing items and statements as QuickStatements.

- :mod:`.facts`: the Wikidata properties and items we use (each checked, none from memory)
- :mod:`.mapping`: the curated mapping file ``data/wikidata/mapping.json`` (models, one writer)
- :mod:`.works`: the works of the built graph, with their Wikidata-ready values
- :mod:`.client`: one polite SPARQL client (User-Agent, one request at a time, backoff, cache)
- :mod:`.reconcile`: batched ``VALUES`` look-ups by identifier and by label
- :mod:`.conflicts`: two items for one work, one item for two works
- :mod:`.quickstatements`: QuickStatements V1 for missing items and missing statements
- :mod:`.profile`: the JSON-LD dump shaped for reconciliation tools (``export --profile wikidata``)
"""
