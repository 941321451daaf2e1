"""The lists bundled with interp-kg (``data/sources.toml``): which versions of which upstream list,
from which commit, with which checksum and licence status. ``interp-kg build`` builds the default
one; ``--list NAME`` another."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from interp_kg.errors import SourceError
from interp_kg.resources import data_path

SOURCES_FILE = "sources.toml"


class BundledList(BaseModel):
    """One bundled version of a list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", description="The version's name, e.g. '2026-01'.")
    file: str = Field(pattern=r"^[^/]+\.md$", description="The file under data/.")
    title: str = Field(min_length=1, description="The list's name.")
    repository: str = Field(pattern=r"^https://", description="The upstream repository.")
    path: str = Field(min_length=1, description="The file in the repository.")
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,40}$", description="The upstream commit.")
    date: str = Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="When the list stood so upstream.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bundled file.")
    licence: str = Field(min_length=1, description="The list's licence status.")
    note: str | None = Field(default=None, description="Anything a user of this version should know.")

    @property
    def upstream_url(self) -> str:
        """The file upstream, at its commit when known."""
        return f"{self.repository}/blob/{self.commit or 'HEAD'}/{self.path}"


class BundledLists(BaseModel):
    """The whole sources file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(
        pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        description="The list's name, for every version: its topics are the graph's own (topic/..., "
        "in scheme/topics), those of any other list are topics/<its name>/...",
    )
    default: str = Field(description="The version `interp-kg build` builds without --list.")
    versions: tuple[BundledList, ...] = Field(
        alias="list", min_length=1, description="The bundled versions ([[list]] tables), newest first."
    )

    @model_validator(mode="after")
    def _default_is_listed(self) -> BundledLists:
        if self.default not in self.names():
            raise ValueError(f"default {self.default!r} is not a listed version")
        return self

    def names(self) -> list[str]:
        return [b.name for b in self.versions]

    def get(self, name: str | None = None) -> BundledList:
        """The version ``name`` (the default when None); :class:`SourceError` naming the known ones."""
        wanted = name or self.default
        for b in self.versions:
            if b.name == wanted:
                return b
        raise SourceError(f"no bundled list {wanted!r}: the bundled lists are {', '.join(self.names())}")

    def by_file(self, file: Path) -> BundledList | None:
        """The bundled version ``file`` is, if any: that file, or a copy of it under its name (the
        repository's ``data/`` beside an installed package holds the same bytes)."""
        import hashlib

        for b in self.versions:
            if data_path(b.file).resolve() == file.resolve():
                return b
        for b in self.versions:
            if (
                file.name == b.file
                and file.is_file()
                and hashlib.sha256(file.read_bytes()).hexdigest() == b.sha256
            ):
                return b
        return None


@cache
def bundled_lists() -> BundledLists:
    """The bundled lists (``data/sources.toml``)."""
    path = data_path(SOURCES_FILE)
    return BundledLists.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def bundled_list_path(name: str | None = None) -> Path:
    """The file of bundled version ``name`` (the default when None)."""
    return data_path(bundled_lists().get(name).file)
