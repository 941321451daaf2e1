"""Curated data files: the facts people check, each model with one canonical writer.

Owns: :mod:`.bibliography` (``data/bibliography/*.jsonl``: authors, dates, identifiers, each with
its source), :mod:`.aliases` (``data/authors/aliases.toml``: one person, many spellings),
:mod:`.wikidata_mapping` (``data/wikidata/mapping.json``), :mod:`.saved_queries` (``queries/*.rq``),
:mod:`.abstracts` (the user's ``abstracts.jsonl``, fetched by ``interp-kg enrich --abstracts``;
never bundled).
Curated data feeds the catalog; nothing here knows about works or RDF.
May import: base modules, ``identifiers``, ``source``.
"""
