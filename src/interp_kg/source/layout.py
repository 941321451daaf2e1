"""How a list is laid out (``data/layout.toml``): which sections hold tools, tutorials, videos or
sources, which are about the list itself (news, contents, licence...), and what a table's
columns hold."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.resources import data_path
from interp_kg.source.models import SectionKind

#: Sections about the list itself, not works.
AboutKind = Literal["news", "contents", "star-history", "contributors", "licence", "citation"]
#: What a table column holds.
ColumnRole = Literal["title", "venue", "year", "code", "link", "authors", "notes", "topic"]


def heading_key(title: str) -> str:
    """Normalise a heading for matching: lower case, runs of other characters as one space."""
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


class Layout(BaseModel):
    """Section names by the kind of entries under them, and table column names by role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: dict[SectionKind, tuple[str, ...]] = Field(
        description="Section kind -> heading names (normalised) whose entries are of that kind."
    )
    about: dict[AboutKind, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Kind of section about the list itself -> heading names (normalised).",
    )
    columns: dict[ColumnRole, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Column role -> header names (normalised); the title names in order of preference.",
    )

    def section_of(self, title: str) -> SectionKind | None:
        """The kind of section a heading names, or None for an ordinary topic."""
        key = heading_key(title)
        for kind in get_args(SectionKind):
            if key in self.sections.get(kind, ()):
                return kind  # type: ignore[no-any-return]
        return None

    def about_of(self, title: str) -> AboutKind | None:
        """The kind of section about the list a heading names (``News``, ``License``), or None."""
        key = heading_key(title)
        for kind in get_args(AboutKind):
            if key in self.about.get(kind, ()):
                return kind  # type: ignore[no-any-return]
        return None

    def column_roles(self, headers: list[str]) -> list[ColumnRole | None]:
        """The role of each column of a table, from its header cells' plain text: one title column
        at most (the name that comes first in ``columns.title``); other title names hold links."""
        keys = [heading_key(h) for h in headers]
        titles = self.columns.get("title", ())
        ranked = [(titles.index(k), n) for n, k in enumerate(keys) if k in titles]
        title_at = min(ranked)[1] if ranked else None
        roles: list[ColumnRole | None] = []
        for n, key in enumerate(keys):
            role: ColumnRole | None = None
            if n == title_at:
                role = "title"
            else:
                for candidate in get_args(ColumnRole):
                    if candidate != "title" and key in self.columns.get(candidate, ()):
                        role = candidate
                        break
                if role is None and key in titles:
                    role = "link"
            roles.append(role)
        return roles


@cache
def load_layout(path: Path | None = None) -> Layout:
    """Load and validate ``data/layout.toml``."""
    with (path or data_path("layout.toml")).open("rb") as fh:
        raw = tomllib.load(fh)
    layout = Layout.model_validate(raw)

    def norm(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        return {k: tuple(heading_key(v) for v in vs) for k, vs in table.items()}

    return layout.model_copy(
        update={
            "sections": norm(layout.sections),  # type: ignore[arg-type]
            "about": norm(layout.about),  # type: ignore[arg-type]
            "columns": norm(layout.columns),  # type: ignore[arg-type]
        }
    )
