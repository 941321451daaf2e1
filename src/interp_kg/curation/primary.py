"""Which sources count as the primary record of a fact (``data/bibliography/primary-hosts.toml``).

A fact read on the publisher's, the preprint server's, the venue's or the authors' own page is
primary; anything else (mirrors, paper-digest sites, other people's lists) is secondary. A
GitHub repository is primary for the facts of its own work: a tool's repository for the tool,
the code repository a list gives for the paper.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.errors import InterpKgError
from interp_kg.resources import data_path

HOSTS_FILE = "primary-hosts.toml"


class PrimaryHost(BaseModel):
    """A host whose pages are primary records."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(pattern=r"^[a-z0-9.-]+$", description="The host name, exactly.")
    paths: tuple[str, ...] = Field(default=(), description="Path prefixes that count (all when empty).")
    what: str = Field(min_length=1, description="Why its pages are primary.")


class PrimaryHosts(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: tuple[PrimaryHost, ...] = Field(description="The hosts, in the file's order.")

    def is_primary(self, url: str, own_repositories: Collection[str] = ()) -> bool:
        """Whether ``url`` is a primary record; ``own_repositories`` are the work's own GitHub
        repositories (``owner/repo``, any case), primary for that work's facts.

        >>> hosts = PrimaryHosts(host=(PrimaryHost(host="arxiv.org", what="arXiv"),))
        >>> hosts.is_primary("https://arxiv.org/abs/2302.12461"), hosts.is_primary("https://mirror.example/x")
        (True, False)
        >>> hosts.is_primary("https://github.com/Owner/Repo/blob/main/README.md", {"owner/repo"})
        True
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host == "github.com" and own_repositories:
            segments = parts.path.strip("/").split("/")
            if len(segments) >= 2 and f"{segments[0]}/{segments[1]}".lower() in {
                r.lower() for r in own_repositories
            }:
                return True
        for entry in self.host:
            if entry.host == host and (not entry.paths or parts.path.startswith(entry.paths)):
                return True
        return False


def load_primary_hosts(path: Path) -> PrimaryHosts:
    """Read the list of primary hosts; :class:`InterpKgError` naming the file on bad input."""
    try:
        return PrimaryHosts.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise InterpKgError(f"{path}: {exc}") from None


@cache
def default_primary_hosts() -> PrimaryHosts:
    """The bundled list (``data/bibliography/primary-hosts.toml``)."""
    return load_primary_hosts(data_path("bibliography") / HOSTS_FILE)


class SecondaryFact(BaseModel):
    """A curated fact whose only source is not its primary record: kept out of Wikidata batches
    until someone reads it on its primary record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    work: str = Field(description="IRI path of the work.")
    record: str = Field(description="The record's key in data/bibliography.")
    fact: str = Field(description="The fact: title, authors, date, published, arxiv_id, doi, ...")
    source: str = Field(description="The page it was read on.")
    retrieved: str = Field(description="The day it was read there, YYYY-MM-DD.")
    why: str = Field(
        description="The record's reason for the secondary source, or why the page is not primary."
    )
