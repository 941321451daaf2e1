"""The on-disk Oxigraph store: builds swapped in atomically, one build at a time.

Owns: :mod:`.builds` (the store directory, the lock, loading a build while it is produced, the
swap, opening read-only), :mod:`.build` (``interp-kg build``: catalog stream -> writer -> store),
:mod:`.buildinfo` (``build.json``), :mod:`.titles` (the title index kept beside a build).
May import: everything below it (base, ``identifiers`` to ``rdf``).
"""
