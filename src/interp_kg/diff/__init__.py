"""Comparing two versions of a list at the level of works and topics (``interp-kg diff``).

Owns: :mod:`.changes` (matching works and topics, the change model, text/Markdown/JSON/RDF output).
May import: everything below it (up to ``store``); not ``sparql`` or ``checks`` (its siblings).
"""
