"""Asking the graph: saved and ad-hoc queries on the local store or any SPARQL 1.1 endpoint.

Owns: :mod:`.query` (backends, typed parameter binding, timeouts), :mod:`.narrow` (saved
queries the title index narrows on the local store), :mod:`.results` (result formats),
:mod:`.remote` (endpoints, the SPARQL and Graph Store protocols, ``push``),
:mod:`.server` (``interp-kg serve``), :mod:`.friendly` (predeclared prefixes, syntax errors with a
caret, "did you mean"), :mod:`.query_page` (the page ``serve`` answers at ``/``). The saved query
files are read by :mod:`interp_kg.curation.saved_queries`.
May import: everything below it (up to ``store``); not ``checks`` or ``diff`` (its siblings).
"""
