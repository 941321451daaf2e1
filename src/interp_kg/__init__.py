"""interp-kg: the Awesome-LLM-Interpretability list as a linked-data knowledge graph.

The pipeline reads off the modules: ``parse`` (markdown -> :mod:`interp_kg.source.models`) ->
``catalog`` (entries -> works, topics, venues, authors) -> ``graph`` (RDF) -> ``store``
(on-disk Oxigraph) -> ``export`` / ``validate`` / ``lint``.
"""

__version__ = "0.1.0"
