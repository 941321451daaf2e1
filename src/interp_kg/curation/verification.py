"""Curated facts read again on their primary record: ``data/bibliography/verified.jsonl``.

``interp-kg enrich --verify`` asks arXiv, Crossref and OpenReview for the facts of each curated
record (title, authors, dates, identifiers) and writes one :class:`Verification` per fact and
service: whether the service's record agrees with the curated value, what it says, and the
primary page with the day it was read. It never writes a curated record.

A curator applies the verifications that agree with :func:`apply` (``python -m
interp_kg.curation.verification --apply data/bibliography``): a fact whose source is not its
primary record gets the verification's page and day as its source, when the curated value is
still the one that was verified. Facts already read on a primary record keep their source; a
disagreement is never applied (``interp-kg enrich --verify`` lists them, for a person to settle).

One canonical writer (:func:`write_verifications`: sorted by record, fact and service, one JSON
object per line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interp_kg.curation.bibliography import (
    FACTS,
    BibliographyError,
    Fact,
    Record,
    Source,
    load,
    record_files,
    write_file,
)
from interp_kg.curation.primary import PrimaryHosts, default_primary_hosts

VERIFIED_FILE = "verified.jsonl"
Service = Literal["arxiv", "crossref", "openreview"]
#: Which service's reading a fact prefers when several agree: the preprint server first (the
#: first version's record), then the venue's.
SERVICE_ORDER: tuple[Service, ...] = ("arxiv", "crossref", "openreview")


class Verification(BaseModel):
    """One curated fact as one service's record gives it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="The record's key, e.g. 'arxiv:2302.12461'.")
    fact: Fact = Field(description="The fact checked.")
    service: Service = Field(description="The service asked: arxiv, crossref or openreview.")
    agrees: bool = Field(description="Whether the service's record gives the curated value.")
    curated: str | tuple[str, ...] = Field(description="The curated value when checked.")
    found: str | tuple[str, ...] | None = Field(
        description="What the service's record gives (None: nothing)."
    )
    source: Source = Field(description="The primary page the service's record is, and the day it was read.")

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.id, self.fact, self.service)


def dump_verification(v: Verification) -> str:
    """One verification as its canonical JSON line."""
    return (
        json.dumps(v.model_dump(mode="json", exclude_none=False), ensure_ascii=False, sort_keys=True) + "\n"
    )


def read_verifications(path: Path) -> list[Verification]:
    """The verifications of a file (none when it is absent); :class:`BibliographyError` naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Verification.model_validate_json(line))
        except ValidationError as exc:
            raise BibliographyError(f"{path}:{n}: {exc.errors()[0]['msg']}") from None
    return out


def write_verifications(path: Path, verifications: Iterable[Verification]) -> None:
    """Write ``verifications`` canonically: one per (record, fact, service), sorted."""
    unique = {v.key: v for v in verifications}
    text = "".join(dump_verification(unique[k]) for k in sorted(unique))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def curated_value(record: Record, fact: Fact) -> str | tuple[str, ...] | None:
    value = getattr(record, fact)
    return tuple(value) if isinstance(value, tuple) else value


def _needs_primary(record: Record, fact: Fact, hosts: PrimaryHosts) -> bool:
    source = record.sources.get(fact)
    return source is not None and (source.secondary is not None or not hosts.is_primary(source.url))


def apply(folder: Path, hosts: PrimaryHosts | None = None) -> list[str]:
    """Give each fact of ``folder``'s records that is not sourced to its primary record the source
    of an agreeing verification of ``folder/verified.jsonl`` (the first in :data:`SERVICE_ORDER`),
    when the curated value is still the verified one. Rewrites only the files that change; returns
    one line per fact changed."""
    hosts = hosts or default_primary_hosts()
    verifications = read_verifications(folder / VERIFIED_FILE)
    agreeing: dict[tuple[str, str], list[Verification]] = {}
    for v in verifications:
        if v.agrees:
            agreeing.setdefault((v.id, v.fact), []).append(v)
    bib = load(folder)
    changed: list[str] = []
    updated: dict[str, Record] = {}
    for located in bib.records:
        record = located.record
        sources = dict(record.sources)
        for fact in FACTS:
            candidates = agreeing.get((record.key, fact), [])
            if not candidates or not _needs_primary(record, fact, hosts):
                continue
            best = min(candidates, key=lambda v: SERVICE_ORDER.index(v.service))
            if best.curated != curated_value(record, fact):
                continue  # the curated value changed since: verify it again
            sources[fact] = best.source
            changed.append(f"{record.key}: {fact} now sourced to {best.source.url} ({best.source.retrieved})")
        if sources != record.sources:
            updated[record.key] = record.model_copy(update={"sources": sources})
    for path in record_files(folder):
        records = [loc.record for loc in bib.records if loc.file == path]
        if any(r.key in updated for r in records):
            write_file(path, (updated.get(r.key, r) for r in records))
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m interp_kg.curation.verification --apply DIR``."""
    import argparse
    import sys

    from interp_kg.errors import InterpKgError

    parser = argparse.ArgumentParser(
        prog="python -m interp_kg.curation.verification", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--apply", type=Path, required=True, metavar="DIR", help="the bibliography folder")
    args = parser.parse_args(argv)
    try:
        changed = apply(args.apply)
    except InterpKgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for line in changed:
        print(line)
    print(f"{len(changed)} facts sourced to their primary record", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
