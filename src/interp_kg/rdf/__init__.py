"""Catalog -> RDF, and RDF out: the vocabulary, the prefix map, the JSON-LD context, the graph
writer and the exports.

Owns: :mod:`.vocab` (every term we emit, checked against ``ontology/``), :mod:`.prefixes` (the one
prefix map), :mod:`.context` (the JSON-LD context), :mod:`.ntriples` (the one N-Triples term
writer), :mod:`.graph` (the writer, one entry), :mod:`.export` (Turtle, N-Triples, N-Quads,
JSON-LD, RDF/XML, byte-stable).
May import: base modules, ``identifiers``, ``source``, ``curation``, ``catalog``.
"""
