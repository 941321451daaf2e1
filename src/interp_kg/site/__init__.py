"""``interp-kg site``: the graph as a static linked-data site.

Every IRI under the data namespace gets an HTML page for people and Turtle, JSON-LD and
N-Triples files for programs, at a path that mirrors the IRI's path; the ontology, shapes and
context sit at their namespace; dumps and a VoID/DCAT description describe the dataset; an
``.htaccess`` (and ``interp-kg site serve``) does the content negotiation.

One module per concern: :mod:`.paths` (IRI -> file, relative links), :mod:`.collect` (reading
the store), :mod:`.rdf` (per-resource RDF and schema.org JSON-LD), :mod:`.html` (links and
rendering: every page is a template of ``templates/``, autoescaped), :mod:`.pages` (what the work,
topic, venue, author, home, authors, search and downloads pages show), :mod:`.meta` (citation
meta tags, the Cite box, the citation files beside a work), :mod:`.cite_files` (the citation
files of topics, venues, authors and the dataset), :mod:`.feeds` (the Atom feeds), :mod:`.search`
(the search data and script; MiniSearch vendored in ``vendor/``),
:mod:`.ontology_page`, :mod:`.dataset` (dumps, VoID/DCAT), :mod:`.conneg` (the negotiation
table and ``.htaccess``), :mod:`.build` (the whole site) and :mod:`.serve`.

May import: everything up to ``citations``; not ``reports``, ``wikidata`` or ``enrich`` (its
siblings).
"""
