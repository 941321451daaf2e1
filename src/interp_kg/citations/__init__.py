"""Citations: the works of the graph as BibTeX, CSL-JSON and RIS, for reference managers.

Owns: :mod:`.model` (a work as a :class:`~.model.Citation`: ordered authors, the date to cite
with its precision, venue, identifiers; names split into family and given; stable citation
keys), :mod:`.facts` (citations from the graph's statements, whoever reads them: the site's scan
of the N-Triples, or the store), :mod:`.write` (the writers, keyed by the format names of
:mod:`interp_kg.formats`: BibTeX through bibtexparser, RIS through rispy, CSL-JSON checked
against the vendored CSL schema), :mod:`.select` (which works: a topic, an author, a venue or a
saved query's results, read from the store).

May import: everything up to ``sparql``/``checks``/``diff``; its users are ``site`` and ``cli``.
"""
