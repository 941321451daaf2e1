"""The controlled vocabularies of venues, in a module of their own: the reports need them as
types without importing (and building the models of) :mod:`interp_kg.identifiers.venues`."""

from __future__ import annotations

from typing import Literal

__all__ = ["Presentation", "VenueKind"]

VenueKind = Literal["conference", "journal", "workshop", "preprint", "forum", "blog"]
Presentation = Literal["oral", "spotlight", "poster", "findings", "workshop", "tutorial", "demo"]
