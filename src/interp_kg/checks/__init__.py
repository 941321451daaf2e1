"""Checking data: SHACL validation of the built graph and lint of source lists and curated data.

Owns: :mod:`.validate` (``interp-kg validate``), :mod:`.lint` (``interp-kg lint``),
:mod:`.curated` (findings about curated facts against the list).
May import: everything below it (up to ``store``); not ``sparql`` or ``diff`` (its siblings).
"""
