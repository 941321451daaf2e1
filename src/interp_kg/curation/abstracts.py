"""Abstracts a user fetched (``interp-kg enrich --abstracts``): ``abstracts.jsonl`` in the user's
own data folder, never in the bundled data (we publish facts, not other people's prose).

One JSON object per line (:class:`AbstractRecord`: the work's identifier, the text, the primary
record it was read from and the day), sorted by identifier, written by :func:`write_abstracts`
only, through a temporary file swapped in. The folder: ``--abstracts DIR``, else
``$INTERP_KG_ABSTRACTS``, else ``<user data dir>/interp-kg/abstracts`` (on Linux
``~/.local/share/interp-kg/abstracts``). ``interp-kg build`` reads it when it exists.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interp_kg.errors import InterpKgError

ABSTRACTS_FILE = "abstracts.jsonl"
ENV = "INTERP_KG_ABSTRACTS"


class AbstractRecord(BaseModel):
    """One work's abstract, with where and when it was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^(arxiv|doi|openreview):\S+$",
        description="The identifier it was fetched by: arxiv:2404.03592, doi:10..., openreview:...",
    )
    abstract: str = Field(min_length=1, description="The text, whitespace collapsed.")
    source: str = Field(
        pattern=r"^https://[^\s<>\"{}|\\^`]+$", description="The primary record it was read from (an IRI)."
    )
    retrieved: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day it was fetched.")


def default_abstracts_dir() -> Path:
    """``$INTERP_KG_ABSTRACTS``, else ``<user data dir>/interp-kg/abstracts``."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("interp-kg", appauthor=False)) / "abstracts"


def load_abstracts(folder: Path | None) -> dict[str, AbstractRecord]:
    """The records of ``folder/abstracts.jsonl`` by identifier (none when there is no file);
    :class:`InterpKgError` naming ``file:line`` for a malformed line."""
    if folder is None or not (folder / ABSTRACTS_FILE).is_file():
        return {}
    path = folder / ABSTRACTS_FILE
    out: dict[str, AbstractRecord] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = AbstractRecord.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            problem = str(exc).splitlines()[0]
            raise InterpKgError(f"{path}:{n}: not an abstract record: {problem}") from None
        out[record.id] = record
    return out


def dumps(records: Iterable[AbstractRecord]) -> str:
    """The canonical text of the file: sorted by identifier, fields in the model's order."""
    lines = [
        json.dumps(r.model_dump(), ensure_ascii=False)
        for r in sorted({r.id: r for r in records}.values(), key=lambda r: r.id)
    ]
    return "".join(line + "\n" for line in lines)


def write_abstracts(folder: Path, records: Iterable[AbstractRecord]) -> Path:
    """Write the records (the one writer of the file), through a temporary file swapped in."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ABSTRACTS_FILE
    tmp = path.with_name(f".{ABSTRACTS_FILE}.tmp")
    try:
        tmp.write_text(dumps(records), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InterpKgError(f"cannot write {path}: {exc.strerror}") from None
    return path
