"""Who is who: one author node per person, however their name is written.

A name is matched through :func:`name_key` (case, accents, dots, hyphens and spacing ignored), then
through the curated alias table ``data/authors/aliases.toml`` (initials, typos such as the list's
"Gor meva" for Mor Geva), each identity claim with its source. The node's IRI path is
``author/<slug of the canonical name>``, so a person named by the list's "By Source" section and
the same person in a paper's byline are one node. :func:`likely_duplicates` finds names that look
like one person written two ways (same surname, same first initial) for ``interp-kg lint``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interp_kg.errors import InterpKgError
from interp_kg.source.text import slugify

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


class AliasError(InterpKgError):
    """The alias table is malformed."""

    exit_code = 2


class Person(BaseModel):
    """One person whose name is written in more than one way."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^\S(.*\S)?$", description="The name the graph uses.")
    variants: tuple[str, ...] = Field(
        min_length=1, description="Other spellings of the same person's name (initials, typos, accents)."
    )
    scholar: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_\-]{12}$", description="Google Scholar user id."
    )
    source: str = Field(pattern=r"^https?://\S+$", description="Public page showing the identity claimed.")
    note: str | None = Field(default=None, min_length=1, description="Why the variants are one person.")


class Distinct(BaseModel):
    """Two names that look like one person written two ways, checked and kept apart."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    names: tuple[str, str] = Field(description="The two names, as the records write them.")
    note: str = Field(min_length=1, description="Why they stay two nodes (what was checked).")


class AliasFile(BaseModel):
    """The alias table file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    person: tuple[Person, ...] = Field(default=(), description="The people, one table each.")
    distinct: tuple[Distinct, ...] = Field(
        default=(), description="Look-alike names checked and kept apart (lint stops flagging them)."
    )


def name_key(name: str) -> str:
    """A name reduced for matching: lower case, no accents, punctuation as spaces.

    >>> name_key("Tilman Räuker") == name_key("tilman rauker")
    True
    >>> name_key("Belinda Z. Li")
    'belinda z li'
    """
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub(" ", name.lower()).strip()


class AliasTable:
    """Name variants -> the person's canonical name."""

    def __init__(self, people: Iterable[Person] = (), distinct: Iterable[Distinct] = ()) -> None:
        self.people = tuple(people)
        self.distinct = {frozenset(name_key(n) for n in d.names) for d in distinct}
        self._canonical: dict[str, str] = {}
        self.scholar: dict[str, str] = {}
        for person in self.people:
            for variant in (person.name, *person.variants):
                self._canonical[name_key(variant)] = person.name
            if person.scholar:
                self.scholar[person.name] = person.scholar

    def canonical(self, name: str) -> str:
        """The name the graph uses for ``name`` (itself when the table does not list it)."""
        return self._canonical.get(name_key(name), name)

    def slug(self, name: str) -> str:
        """The IRI path of the person named ``name``: ``author/<slug>``."""
        return f"author/{slugify(self.canonical(name))}"


def load_aliases(path: Path) -> AliasTable:
    """Read an alias table; :class:`AliasError` naming the file and the person on bad input."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AliasTable()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasError(f"{path}: {exc}") from None
    try:
        table = AliasFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        where = f"[[person]] #{int(loc[1]) + 1}" if len(loc) > 1 and isinstance(loc[1], int) else "top level"
        raise AliasError(f"{path}: {where}: {'.'.join(map(str, loc[2:]))}: {err['msg']}") from None
    seen: dict[str, str] = {}
    for person in table.person:
        for variant in (person.name, *person.variants):
            key = name_key(variant)
            if key in seen and seen[key] != person.name:
                raise AliasError(f"{path}: {variant!r} is given for both {seen[key]!r} and {person.name!r}")
            seen[key] = person.name
    return AliasTable(table.person, table.distinct)


@cache
def default_aliases() -> AliasTable:
    """The bundled alias table (``data/authors/aliases.toml``)."""
    return load_aliases(default_aliases_path())


def default_aliases_path() -> Path:
    """The bundled alias table's file."""
    from interp_kg.resources import data_path

    return data_path("authors") / "aliases.toml"


def _split(name: str) -> tuple[str, str] | None:
    parts = name_key(name).split()
    if len(parts) < 2:
        return None
    return parts[0], parts[-1]


def _same_given_name(a: str, b: str) -> bool:
    """Whether two first given names can be one person's: equal, an initial, a short form
    ("Chris" / "Christopher") or a one-letter slip in a long name ("Ioannis" / "Ionnis")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) == 1:
        return long_.startswith(short)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return len(short) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85


def likely_duplicates(names: Iterable[str], aliases: AliasTable) -> list[tuple[str, str]]:
    """Pairs of canonical names that are probably one person written two ways, yet different
    nodes: the same surname and compatible given names ("Chris Olah" / "Christopher Olah",
    "Adam Jermyn" / "Adam S. Jermyn", "Ioannis Konstas" / "Ionnis Konstas"). Sorted; each pair once.

    >>> likely_duplicates(["Chris Olah", "Christopher Olah", "Anna Chen", "Angelica Chen"], AliasTable())
    [('Chris Olah', 'Christopher Olah')]
    """
    by_surname: dict[str, dict[str, str]] = defaultdict(dict)  # surname -> slug -> name
    for name in names:
        canonical = aliases.canonical(name)
        if (split := _split(canonical)) is not None:
            by_surname[split[1]].setdefault(aliases.slug(canonical), canonical)
    pairs = set()
    for members in by_surname.values():
        distinct = sorted(members.values())
        for i, a in enumerate(distinct):
            for b in distinct[i + 1 :]:
                checked_apart = frozenset((name_key(a), name_key(b))) in aliases.distinct
                if not checked_apart and _same_given_name(_split(a)[0], _split(b)[0]):  # type: ignore[index]
                    pairs.add((a, b))
    return sorted(pairs)
