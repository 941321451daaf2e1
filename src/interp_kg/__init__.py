"""interp-kg: the Awesome-LLM-Interpretability list as a linked-data knowledge graph.

The pipeline reads off the packages: ``source`` (lists -> entries) -> ``catalog`` (works, topics,
venues, people; ``curation`` feeds it the curated facts) -> ``rdf`` (the graph) -> ``store``
(on-disk Oxigraph) -> ``sparql`` / ``checks`` / ``diff`` -> ``reports`` / ``wikidata`` / ``site`` /
``enrich`` -> ``cli``. Each package's docstring says what it owns and what it may import;
``tests/test_layers.py`` holds the layers.
"""

__version__ = "0.1.0"
