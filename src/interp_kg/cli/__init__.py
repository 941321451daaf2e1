"""The ``interp-kg`` command line: thin commands that parse options and call the library.

Owns: :mod:`.main` (the app and the core commands), :mod:`.options` (options defined once, output
handling), one module per command group (:mod:`.report`, :mod:`.site`, :mod:`.wikidata`,
:mod:`.diff`, :mod:`.enrich`). Heavy libraries are imported inside the command that needs them.
May import: everything.
"""
