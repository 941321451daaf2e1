"""The saved-query catalogue: ``queries/*.rq`` files with a header the tool reads.

Header format (comment lines at the top of the file)::

    # title: Works in a topic, including its sub-topics
    # description: Every work listed under the topic or any topic below it
    #   (continuation lines are indented after the '#').
    # param: topic  topic  required  -- the topic, as an IRI or its label
    # param: since  integer  default=2020  -- earliest year

Parameter types: ``iri``, ``string``, ``integer``, ``boolean``, and ``topic``, ``venue``,
``author``, ``work`` (an IRI, a prefixed name such as ``paper:arxiv-2302.12461``, or a label
that names exactly one node of that class). Values are bound as typed RDF terms, never pasted
into the query text. Saved queries project their parameters (``SELECT ?topic ...``) so that
pyoxigraph can substitute them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal, cast, get_args

from interp_kg.errors import QueryError
from interp_kg.resources import queries_dir

ParamType = Literal["iri", "string", "integer", "boolean", "topic", "venue", "author", "work"]
QueryForm = Literal["select", "ask", "construct", "describe"]
#: Parameter types given as a node of a class: an IRI, or a label naming one such node.
LABELLED = {"topic": "Topic", "venue": "Venue", "author": "Author", "work": "Work"}

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\S+)"
    r"(?:\s+(?P<req>required|optional|default=(?P<default>\S+)))?"
    r"(?:\s+--\s*(?P<help>.*))?$"
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_STRIP = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')


_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _doc(text: str) -> dict[str, str]:
    return {"description": text}


# Frozen dataclasses, not pydantic models: `interp-kg query` reads these on every run, and
# importing pydantic's BaseModel costs about 0.15 s of a 0.3 s budget (bench/bench_query.py).
# The header parser validates what the models would; __post_init__ checks the rest.
@dataclass(frozen=True, slots=True)
class Param:
    """A typed parameter of a saved query."""

    name: str = field(metadata=_doc("SPARQL variable name, no '?'."))
    type: ParamType = field(metadata=_doc("How the value is read and typed."))
    required: bool = field(default=False, metadata=_doc("Whether a value must be given."))
    default: str | None = field(default=None, metadata=_doc("Value used when none is given."))
    help: str = field(default="", metadata=_doc("What the parameter means."))

    def __post_init__(self) -> None:
        if not _VARIABLE.match(self.name):
            raise QueryError(f"bad parameter name {self.name!r}: want a SPARQL variable name")
        if self.type not in get_args(ParamType):
            raise QueryError(
                f"bad parameter type {self.type!r}: want one of {', '.join(get_args(ParamType))}"
            )


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """One ``queries/*.rq`` file."""

    name: str = field(metadata=_doc("File name without '.rq'."))
    title: str = field(metadata=_doc("One-line title."))
    text: str = field(metadata=_doc("The SPARQL text, header included."))
    form: QueryForm = field(metadata=_doc("SELECT, ASK, CONSTRUCT or DESCRIBE."))
    description: str = field(default="", metadata=_doc("What question the query answers."))
    params: tuple[Param, ...] = field(default=(), metadata=_doc("Typed parameters."))
    prelude: int = field(
        default=0, metadata=_doc("Characters put before the text as typed (an ad-hoc query's PREFIXes).")
    )

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise QueryError(f"bad saved-query name {self.name!r}: want lower-case letters, digits and '-'")
        if not self.title:
            raise QueryError(f"{self.name}.rq: empty title")
        if not self.text.strip():
            raise QueryError(f"{self.name}.rq: no SPARQL text")
        if self.form not in get_args(QueryForm):
            raise QueryError(f"{self.name}.rq: bad query form {self.form!r}")

    def summary(self) -> dict[str, object]:
        """The catalogue entry as ``interp-kg queries --format json`` prints it (no text)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [asdict(p) for p in self.params],
            "form": self.form,
        }


def query_form(text: str) -> QueryForm:
    """The query form of SPARQL text (comments, strings and IRIs ignored)."""
    m = _FORM.search(_STRIP.sub(" ", text))
    if m is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return m.group(1).lower()  # type: ignore[return-value]


def parse_saved(name: str, text: str) -> SavedQuery:
    """Read a saved query's header; :class:`QueryError` naming the line when it is malformed."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    last: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        if m := _HEADER.match(line):
            key, value = m.group(1), m.group(2).strip()
            last = key
            if key == "param":
                pm = _PARAM.match(value)
                if pm is None or pm.group("type") not in get_args(ParamType):
                    raise QueryError(
                        f"{name}.rq:{lineno}: bad param line {value!r}: want 'NAME TYPE [required|default=V]"
                        f" [-- help]' with TYPE one of {', '.join(get_args(ParamType))}"
                    )
                params.append(
                    Param(
                        name=pm.group("name"),
                        type=cast(ParamType, pm.group("type")),
                        required=pm.group("req") == "required",
                        default=pm.group("default"),
                        help=(pm.group("help") or "").strip(),
                    )
                )
            else:
                fields[key] = value
        elif last in ("title", "description") and line[1:].strip():
            fields[last] = f"{fields[last]} {line[1:].strip()}"
    if "title" not in fields:
        raise QueryError(f"{name}.rq: no '# title:' line in the header")
    return SavedQuery(
        name=name,
        title=fields["title"],
        description=fields.get("description", ""),
        params=tuple(params),
        text=text,
        form=query_form(text),
    )


def load_catalogue(folder: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query of ``folder`` (default: the bundled ``queries/``), by name."""
    return dict(_load(folder or queries_dir()))


@cache
def _load(folder: Path) -> tuple[tuple[str, SavedQuery], ...]:
    out = []
    for path in sorted(folder.glob("*.rq")):
        out.append((path.stem, parse_saved(path.stem, path.read_text(encoding="utf-8"))))
    return tuple(out)


def saved_query(name: str, folder: Path | None = None) -> SavedQuery:
    """A saved query by name; :class:`QueryError` naming the closest names when unknown."""
    import difflib

    catalogue = load_catalogue(folder)
    if name not in catalogue:
        close = difflib.get_close_matches(name, list(catalogue), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(f"no saved query {name!r}{hint}; `interp-kg queries` lists them")
    return catalogue[name]
