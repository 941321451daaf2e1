"""Recognisers of what a list's links and labels name, used by every stage above.

Owns: :mod:`.schemes` (link targets -> URLs -> identifiers: arXiv, DOI, OpenReview, ACL Anthology,
GitHub, ...; the schemes that identify a work), :mod:`.venues` (link labels such as ``NIPS 2023`` ->
canonical venues, ``data/venues.toml``), :mod:`.venue_kinds`, :mod:`.wikidata` (the Wikidata
properties and items we use, item IRIs).
May import: the standard library and the base modules (``errors``, ``resources``) only.
"""
