"""Looking up missing curated facts online (``interp-kg enrich``): arXiv, Crossref, OpenReview ->
proposals a curator reviews; never writes a curated record itself.

Owns: :mod:`.lookups`.
May import: everything up to ``sparql``/``checks``/``diff``; not ``reports``, ``wikidata`` or ``site``.
"""
