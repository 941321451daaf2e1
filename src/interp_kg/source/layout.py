"""Which sections of a list hold tools, tutorials, videos or sources (``data/layout.toml``)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.resources import data_path
from interp_kg.source.models import SectionKind


def heading_key(title: str) -> str:
    """Normalise a heading for matching: lower case, runs of other characters as one space."""
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


class Layout(BaseModel):
    """Section names, by the kind of entries listed under them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: dict[SectionKind, tuple[str, ...]] = Field(
        description="Section kind -> heading names (normalised) whose entries are of that kind."
    )

    def section_of(self, title: str) -> SectionKind | None:
        """The kind of section a heading names, or None for an ordinary topic."""
        key = heading_key(title)
        for kind in get_args(SectionKind):
            if key in self.sections.get(kind, ()):
                return kind  # type: ignore[no-any-return]
        return None


@cache
def load_layout(path: Path | None = None) -> Layout:
    """Load and validate ``data/layout.toml``."""
    with (path or data_path("layout.toml")).open("rb") as fh:
        raw = tomllib.load(fh)
    layout = Layout.model_validate(raw)
    return layout.model_copy(
        update={"sections": {k: tuple(heading_key(v) for v in vs) for k, vs in layout.sections.items()}}
    )
