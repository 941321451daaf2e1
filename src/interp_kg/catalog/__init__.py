"""The things the graph is about: entries -> works, topics, venues and people, curated facts joined.

Owns: :mod:`.models` (Work, Topic, VenueNode, Author, Catalog), :mod:`.works` (merging entries into
works by identifier or title, minting IRI paths), :mod:`.curated` (joining bylines, dates, people
and Wikidata links), :mod:`.stream` (the build's one pass: lists -> catalog nodes as they become final).
May import: base modules, ``identifiers``, ``source``, ``curation``.
"""
