"""Comparing two versions of a list at the level of works and topics (``interp-kg diff``).

Owns: :mod:`.changes` (matching works and topics, the change model, text/Markdown/JSON/RDF output),
:mod:`.facts` (each version's work facts in a temporary file, compared a bucket at a time),
:mod:`.feed` (Atom) and :mod:`.seed` (the bundled registry's seed).
May import: everything below it (up to ``store``); not ``sparql`` or ``checks`` (its siblings).
"""
