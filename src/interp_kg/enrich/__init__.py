"""Looking up missing curated facts online (``interp-kg enrich``): arXiv, Crossref, OpenReview ->
proposals a curator reviews; never writes a curated record itself.

Owns: :mod:`.lookups`, and :mod:`.abstracts` (``enrich --abstracts``: abstracts fetched from the
primary records into the user's own abstracts file, never the bundled data).
May import: everything up to ``citations``; not ``reports``, ``wikidata`` or ``site``.
"""
