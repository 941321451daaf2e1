"""Venues: the alias table in ``data/venues.toml`` and the matching of link labels against it.

The link labels of the list (the text inside ``[[...]]``) hint at where a work appeared:
``NIPS 2023``, ``ICLR 2024 oral``, ``EMNLP 2023 Findings``, ``arxiv 2402``, ``Alignment Forum``.
:meth:`VenueTable.match_label` turns such a label into a :class:`VenueMatch` (canonical venue,
year, yymm, presentation kind) or, for labels that name a kind of link (``github``, ``pdf``,
``github 2403``), into a :class:`LabelHint`. Labels that are neither give an *unknown* venue
(``known=False``) whose key is slugged from the name as written, so the caller can keep it as
its own venue and report it.

Matching works on tokens, never on backtracking regexes: the label is cut into runs of ASCII
letters and runs of digits (so ``arxiv2601`` is ``arxiv`` + ``2601``), the longest run of
leading tokens that spells an alias (compared after normalisation: lower-case, only
``[a-z0-9]``) names the venue, and the remaining tokens are years, yymm numbers and presentation
words (oral, spotlight, poster, findings, workshop, tutorial, demo). Results are cached per label.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Final, TypeVar, get_args
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from interp_kg.identifiers.venue_kinds import Presentation, VenueKind

__all__ = [
    "LabelHint",
    "Presentation",
    "Venue",
    "VenueKind",
    "VenueMatch",
    "VenueTable",
    "load_venue_table",
    "normalise",
]


KEY_PATTERN: Final = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HOST_PATTERN: Final = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
ACL_CODE_PATTERN: Final = r"^[a-z0-9]+$"
LINK_KIND_PATTERN: Final = r"^[a-z0-9]+(?: [a-z0-9]+)*$"
YYMM_PATTERN: Final = r"^[0-9]{2}(?:0[1-9]|1[0-2])$"
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2099

#: Key of the synthesized venue of a label that has no name at all (e.g. ``2023``).
UNNAMED_KEY: Final = "unknown"

_Alias = Annotated[str, StringConstraints(min_length=1, pattern=r"[A-Za-z0-9]")]


def _no_www(host: str) -> str:
    """Reject hosts written with ``www.``: hosts are compared without it."""
    if host.startswith("www."):
        raise ValueError(f"host {host!r}: write it without 'www.'")
    return host


_Host = Annotated[str, StringConstraints(pattern=HOST_PATTERN), AfterValidator(_no_www)]
_AclCode = Annotated[str, StringConstraints(pattern=ACL_CODE_PATTERN)]
_Problem = Annotated[str, StringConstraints(min_length=1)]

# Presentation words, with the plurals met in labels and ACL Anthology volume names.
_PRESENTATION_WORDS: Final[Mapping[str, Presentation]] = {
    **{word: word for word in get_args(Presentation)},
    "orals": "oral",
    "spotlights": "spotlight",
    "posters": "poster",
    "workshops": "workshop",
    "tutorials": "tutorial",
    "demos": "demo",
}
# Words that may join a leading presentation word to the venue: "Findings of EMNLP 2023".
_CONNECTORS: Final = frozenset({"of", "at"})
# Tokens: runs of ASCII letters or of ASCII digits. Linear, no backtracking.
_TOKEN_RE: Final = re.compile(r"[A-Za-z]+|[0-9]+", re.ASCII)
_NON_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+", re.ASCII)
# ACL Anthology ids: new style "2023.findings-emnlp.624", old style "P19-1001".
_ACL_NEW_RE: Final = re.compile(r"([0-9]{4})\.([a-z0-9]+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.([0-9]+)", re.ASCII)
_ACL_OLD_RE: Final = re.compile(r"([A-Z])([0-9]{2})-([0-9]{4})", re.ASCII)
#: Letters of old-style ACL Anthology ids -> ACL venue code (resolved through ``acl_venue``).
ACL_OLD_LETTERS: Final[Mapping[str, str]] = {
    "P": "acl",
    "D": "emnlp",
    "N": "naacl",
    "E": "eacl",
    "Q": "tacl",
    "K": "conll",
    "C": "coling",
}
# ACL Anthology volume names that say how a work was presented.
_ACL_VOLUME_PRESENTATION: Final[Mapping[str, Presentation]] = {
    "demo": "demo",
    "demos": "demo",
    "tutorial": "tutorial",
    "tutorials": "tutorial",
    "tutorial-abstracts": "tutorial",
}
_LABEL_CACHE_SIZE: Final = 16384

_T = TypeVar("_T")


def normalise(text: str) -> str:
    """Return ``text`` as aliases are compared: lower-case, only ``[a-z0-9]`` kept.

    >>> normalise("Neel Nanda's blog")
    'neelnandasblog'
    """
    return _NON_ALNUM_RE.sub("", text.lower())


def _slug(words: Iterable[str]) -> str:
    """Join lower-case words into a venue key (``["foo", "conf"]`` -> ``foo-conf``)."""
    return "-".join(word.lower() for word in words if word) or UNNAMED_KEY


def _year_of_yymm(yymm: str) -> int:
    """The year of a yymm number: ``2402`` -> 2024, ``9912`` -> 1999 (yy >= 90 is the 1900s)."""
    yy = int(yymm[:2])
    return 1900 + yy if yy >= MIN_YEAR % 100 else 2000 + yy


def _parse_number(digits: str) -> tuple[int | None, str | None]:
    """Classify a run of digits as ``(year, None)``, ``(year, yymm)`` or ``(None, None)``.

    A 4-digit number in 1990..2099 is a year; otherwise a 4-digit number whose last two
    digits are a month is a yymm (and gives its year); anything else is neither.
    """
    if len(digits) != 4:
        return None, None
    value = int(digits)
    if MIN_YEAR <= value <= MAX_YEAR:
        return value, None
    if re.fullmatch(YYMM_PATTERN, digits):
        return _year_of_yymm(digits), digits
    return None, None


class Venue(BaseModel):
    """A canonical venue: a conference, journal, workshop, preprint server, forum or blog."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(
        description="Stable identifier, lower-case words joined by '-' (e.g. 'neurips', 'alignment-forum').",
        min_length=1,
        pattern=KEY_PATTERN,
    )
    name: str = Field(description="Display name, e.g. 'NeurIPS' or 'AI Alignment Forum'.", min_length=1)
    kind: VenueKind = Field(description="What sort of venue this is.")
    peer_reviewed: bool = Field(description="Whether works appearing here are peer reviewed.", strict=True)
    aliases: tuple[_Alias, ...] = Field(
        description="Spellings of the venue in labels, compared after normalisation (lower-case, [a-z0-9]).",
        min_length=1,
    )
    hosts: tuple[_Host, ...] = Field(
        default=(),
        description="Lower-case URL hosts without 'www.' whose links imply this venue.",
    )
    acl_venue: tuple[_AclCode, ...] = Field(
        default=(),
        description="ACL Anthology venue codes of this venue, e.g. 'emnlp' in '2023.emnlp-main.299'.",
    )
    homepage: str | None = Field(
        default=None,
        description="Homepage of the venue.",
        pattern=r"^https?://[^\s/]+(?:/\S*)?$",
    )


class VenueMatch(BaseModel):
    """What a venue label says: the venue, whether it is known, year, yymm and presentation.

    For a label that names no venue of the table the venue is synthesized: its key is slugged
    from the name as written (``FooConf 2023`` -> ``fooconf``), its name is that name, its only
    alias is the name, ``kind="conference"`` and ``peer_reviewed=False``; ``known`` is False.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    venue: Venue = Field(description="The canonical venue, or a synthesized one when known is False.")
    known: bool = Field(description="Whether the venue is in the venue table.", strict=True)
    label: str = Field(description="The label as given.")
    year: int | None = Field(
        default=None,
        description="Year of the work: a 4-digit year in the label, or the year of its yymm.",
        ge=MIN_YEAR,
        le=MAX_YEAR,
    )
    yymm: str | None = Field(
        default=None,
        description="A 4-digit year-and-month number that is not a year, e.g. '2402' in 'arxiv 2402'.",
        pattern=YYMM_PATTERN,
    )
    presentation: Presentation | None = Field(
        default=None, description="How the work was presented, e.g. 'oral' or 'findings'."
    )
    problems: tuple[_Problem, ...] = Field(
        default=(), description="What could not be understood in the label, one sentence each."
    )

    @model_validator(mode="after")
    def _yymm_gives_year(self) -> VenueMatch:
        """A yymm implies its year: ``2402`` goes with 2024."""
        if self.yymm is not None and self.year != _year_of_yymm(self.yymm):
            raise ValueError(f"yymm {self.yymm!r} does not agree with year {self.year!r}")
        return self


class LabelHint(BaseModel):
    """What a link-kind label says (``github``, ``project page``, ``github 2403``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = Field(
        description="Normalised link kind as spelled in the table, e.g. 'github' or 'project page'.",
        min_length=1,
        pattern=LINK_KIND_PATTERN,
    )
    yymm: str | None = Field(
        default=None, description="A 4-digit yymm after the kind, e.g. '2403'.", pattern=YYMM_PATTERN
    )
    problems: tuple[_Problem, ...] = Field(
        default=(), description="What could not be understood in the label, one sentence each."
    )


class _VenueFile(BaseModel):
    """The shape of ``venues.toml``: link kinds and one table per venue (key not repeated)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    link_kinds: tuple[Annotated[str, StringConstraints(pattern=LINK_KIND_PATTERN)], ...] = Field(
        description="Lower-case words of labels that name a kind of link, not a venue."
    )
    venues: dict[Annotated[str, StringConstraints(pattern=KEY_PATTERN)], dict[str, object]] = Field(
        description="Venue key -> venue table (all Venue fields except key).", min_length=1
    )


@dataclass(frozen=True, slots=True)
class _Token:
    """A run of ASCII letters or digits of a label, lower-cased, with its span in the label."""

    text: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        """Whether the token is a run of digits."""
        return self.text[0].isdigit()


def _tokenise(label: str) -> list[_Token]:
    """Cut ``label`` into runs of ASCII letters and runs of ASCII digits."""
    return [_Token(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(label)]


class VenueTable:
    """The venue alias table: canonical venues, their aliases and hosts, and the link kinds."""

    def __init__(self, venues: Iterable[Venue], link_kinds: Iterable[str]) -> None:
        """Index ``venues`` and ``link_kinds``.

        Raises:
            ValueError: if two venues share a key, a normalised alias, a host or an ACL venue
                code, if a link kind is not lower-case words, if two link kinds normalise alike,
                or if an alias is also a link kind.
        """
        self._venues: dict[str, Venue] = {}
        self._by_alias: dict[str, Venue] = {}
        self._by_host: dict[str, Venue] = {}
        self._by_acl: dict[str, Venue] = {}
        self._link_kinds: dict[str, str] = {}
        for venue in sorted(venues, key=lambda v: v.key):
            if venue.key in self._venues:
                raise ValueError(f"duplicate venue key {venue.key!r}")
            self._venues[venue.key] = venue
            # The key and the name are aliases too.
            for alias in (venue.key, venue.name, *venue.aliases):
                self._claim(self._by_alias, normalise(alias), venue, f"alias {alias!r}")
            for host in venue.hosts:
                self._claim(self._by_host, host, venue, f"host {host!r}")
            for code in venue.acl_venue:
                self._claim(self._by_acl, code, venue, f"ACL venue code {code!r}")
        for kind in link_kinds:
            if not re.fullmatch(LINK_KIND_PATTERN, kind):
                raise ValueError(f"link kind {kind!r} is not lower-case words of [a-z0-9] split by one space")
            norm = normalise(kind)
            if norm in self._link_kinds:
                raise ValueError(f"duplicate link kind {kind!r} (same as {self._link_kinds[norm]!r})")
            if norm in self._by_alias:
                raise ValueError(f"link kind {kind!r} is also an alias of venue {self._by_alias[norm].key!r}")
            self._link_kinds[norm] = kind
        self._max_alias_len = max((len(a) for a in self._by_alias), default=0)
        self._max_kind_len = max((len(k) for k in self._link_kinds), default=0)
        self._match_cached = lru_cache(maxsize=_LABEL_CACHE_SIZE)(self._match_label_uncached)

    @staticmethod
    def _claim(index: dict[str, Venue], key: str, venue: Venue, what: str) -> None:
        """Record ``key -> venue`` in ``index``, raising if another venue already holds ``key``."""
        if not key:
            raise ValueError(f"venue {venue.key!r}: {what} has no letters or digits")
        other = index.get(key)
        if other is not None and other.key != venue.key:
            raise ValueError(f"{what} (normalised {key!r}) belongs to both {other.key!r} and {venue.key!r}")
        index[key] = venue

    # -- loading ----------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> VenueTable:
        """Load and validate the table from ``path`` (default: the bundled ``venues.toml``).

        Raises:
            ValueError: if the file is not valid TOML, does not have the expected shape, or
                breaks a uniqueness rule (see :class:`VenueTable`). The message names the file.
        """
        if path is None:
            from interp_kg.resources import data_path

            path = data_path("venues.toml")
        try:
            with path.open("rb") as handle:
                raw = tomllib.load(handle)
            data = _VenueFile.model_validate(raw)
            venues: list[Venue] = []
            for key, table in data.venues.items():
                if "key" in table:
                    raise ValueError(f"venue {key!r}: 'key' comes from the table name, do not repeat it")
                try:
                    venues.append(Venue.model_validate({"key": key, **table}))
                except ValidationError as exc:
                    raise ValueError(f"venue {key!r}: {exc}") from exc
            return cls(venues, data.link_kinds)
        except ValueError as exc:  # also tomllib.TOMLDecodeError and pydantic.ValidationError
            raise ValueError(f"{path}: {exc}") from exc

    # -- queries ----------------------------------------------------------------------------

    def venues(self) -> tuple[Venue, ...]:
        """All known venues, sorted by key."""
        return tuple(self._venues.values())

    def link_kinds(self) -> tuple[str, ...]:
        """All link kinds, as spelled in the table."""
        return tuple(self._link_kinds.values())

    def get(self, key: str) -> Venue | None:
        """The venue with this key, or None."""
        return self._venues.get(key)

    def for_host(self, host: str) -> Venue | None:
        """The venue a URL host implies (case-insensitive, ``www.`` and port ignored), or None.

        A subdomain of a listed host counts (``export.arxiv.org`` -> arXiv). A full URL is
        accepted too and its host used.
        """
        if "://" in host:
            try:
                host = urlsplit(host).hostname or ""
            except ValueError:
                return None
        host = host.strip().lower().rstrip(".")
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]
        host = host.removeprefix("www.")
        while "." in host:
            venue = self._by_host.get(host)
            if venue is not None:
                return venue
            host = host.split(".", 1)[1]
        return None

    def lookup_name(self, name: str) -> Venue | None:
        """The venue of a name or alias, e.g. ``AI Alignment Forum`` or ``Lesswrong``, or None.

        Tries, in order: the whole name; the part before ``:`` or ``(`` (``BlackboxNLP:
        Analyzing and ...`` -> BlackboxNLP); and finally the name as a label, when it gives a
        known venue without problems (``NeurIPS 2023`` -> NeurIPS).
        """
        for candidate in (name, name.split(":", 1)[0], name.split("(", 1)[0]):
            venue = self._by_alias.get(normalise(candidate))
            if venue is not None:
                return venue
        match = self.match_label(name)
        if isinstance(match, VenueMatch) and match.known and not match.problems:
            return match.venue
        return None

    def from_acl_id(self, acl_id: str) -> VenueMatch | None:
        """The venue, year and presentation of an ACL Anthology id, or None if not understood.

        New-style ids: ``2023.emnlp-main.299`` (EMNLP 2023), ``2023.findings-acl.895`` (ACL 2023,
        findings), ``2022.tacl-1.74`` (TACL 2022), ``2023.acl-demo.1`` (ACL 2023, demo). Old-style
        ids: ``P19-1001`` (ACL 2019), with P=ACL, D=EMNLP, N=NAACL, E=EACL, Q=TACL, K=CoNLL,
        C=COLING. Anthology URLs (``https://aclanthology.org/2023.acl-long.893.pdf``) work too.
        The returned ``label`` is ``acl_id`` as given; a year before 1990 (``P89-1001``) is left
        out and reported in ``problems``.
        """
        text = acl_id.strip()
        if "/" in text:
            text = text.rstrip("/").rsplit("/", 1)[-1]
        text = text.removesuffix(".pdf")
        presentation: Presentation | None = None
        if m := _ACL_NEW_RE.fullmatch(text.lower()):
            year = int(m.group(1))
            collection, volume = m.group(2), m.group(3)
            if collection == "findings":
                code, presentation = volume.split("-", 1)[0], "findings"
            else:
                code, presentation = collection, _ACL_VOLUME_PRESENTATION.get(volume)
        elif m := _ACL_OLD_RE.fullmatch(text.upper()):
            letter_code = ACL_OLD_LETTERS.get(m.group(1))
            if letter_code is None:
                return None
            yy = int(m.group(2))
            code, year = letter_code, (1900 + yy if yy >= 50 else 2000 + yy)
        else:
            return None
        venue = self._by_acl.get(code)
        if venue is None:
            return None
        if MIN_YEAR <= year <= MAX_YEAR:
            return VenueMatch(venue=venue, known=True, label=acl_id, year=year, presentation=presentation)
        problem = f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}"
        return VenueMatch(
            venue=venue, known=True, label=acl_id, presentation=presentation, problems=(problem,)
        )

    # -- labels -----------------------------------------------------------------------------

    def match_label(self, label: str) -> VenueMatch | LabelHint:
        """Match a link label: a venue (:class:`VenueMatch`) or a kind of link (:class:`LabelHint`).

        ``NIPS 2023`` -> NeurIPS 2023; ``ICLR 2024 oral`` -> ICLR 2024, oral; ``arxiv 2402`` ->
        arXiv, yymm 2402, year 2024; ``github 2403`` -> link kind github, yymm 2403; ``FooConf
        2023`` -> unknown venue ``fooconf`` (``known=False``), year 2023. Never raises; what is
        not understood is listed in ``problems``. Results are cached per label.
        """
        return self._match_cached(label)

    def _match_label_uncached(self, label: str) -> VenueMatch | LabelHint:
        """:meth:`match_label` without the cache."""
        tokens = _tokenise(label)
        # 1. A venue alias at the start: "EMNLP 2023 Findings", "Neel Nanda's blog".
        found = self._longest_prefix(tokens, self._by_alias, self._max_alias_len)
        if found is not None:
            venue, used = found
            return self._venue_match(label, venue, True, None, tokens[used:])
        # 2. Presentation words first: "Findings of EMNLP 2023", "Workshop at NeurIPS 2023".
        lead, skip = self._leading_presentation(tokens)
        if lead is not None and skip < len(tokens):
            found = self._longest_prefix(tokens[skip:], self._by_alias, self._max_alias_len)
            if found is not None:
                venue, used = found
                return self._venue_match(label, venue, True, lead, tokens[skip + used :])
        # 3. A kind of link: "github", "project page", "github 2403".
        found_kind = self._longest_prefix(tokens, self._link_kinds, self._max_kind_len)
        if found_kind is not None:
            kind, used = found_kind
            return self._label_hint(kind, tokens[used:])
        # 4. An unknown venue, named by the words before the first number.
        return self._unknown_match(label, tokens)

    @staticmethod
    def _longest_prefix(tokens: list[_Token], index: Mapping[str, _T], max_len: int) -> tuple[_T, int] | None:
        """The entry of ``index`` spelled by the most leading tokens, and how many tokens it took."""
        spelled: list[str] = []
        length = 0
        for token in tokens:
            length += len(token.text)
            if length > max_len:
                break
            spelled.append(token.text)
        for used in range(len(spelled), 0, -1):
            hit = index.get("".join(spelled[:used]))
            if hit is not None:
                return hit, used
        return None

    @staticmethod
    def _leading_presentation(tokens: list[_Token]) -> tuple[Presentation | None, int]:
        """A presentation word at the start, optionally followed by ``of``/``at``; tokens used."""
        if not tokens or tokens[0].text not in _PRESENTATION_WORDS:
            return None, 0
        used = 2 if len(tokens) > 1 and tokens[1].text in _CONNECTORS else 1
        return _PRESENTATION_WORDS[tokens[0].text], used

    def _venue_match(
        self,
        label: str,
        venue: Venue,
        known: bool,
        presentation: Presentation | None,
        rest: list[_Token],
        problems: Iterable[str] = (),
    ) -> VenueMatch:
        """Build a :class:`VenueMatch` from the tokens after the venue name."""
        found: list[str] = list(problems)
        year: int | None = None
        yymm: str | None = None
        number_seen = False
        for token in rest:
            if token.is_number:
                if number_seen:
                    found.append(f"extra number {token.text!r} ignored")
                    continue
                number_seen = True
                year, yymm = _parse_number(token.text)
                if year is None:
                    found.append(f"number {token.text!r} is neither a year nor a yymm")
            elif token.text in _PRESENTATION_WORDS:
                word = _PRESENTATION_WORDS[token.text]
                if presentation is None:
                    presentation = word
                elif word != presentation:
                    found.append(f"extra presentation word {token.text!r} ignored")
            else:
                found.append(f"unrecognised word {token.text!r}")
        return VenueMatch(
            venue=venue,
            known=known,
            label=label,
            year=year,
            yymm=yymm,
            presentation=presentation,
            problems=tuple(found),
        )

    def _label_hint(self, kind: str, rest: list[_Token]) -> LabelHint:
        """Build a :class:`LabelHint` from the tokens after the link kind."""
        problems: list[str] = []
        yymm: str | None = None
        number_seen = False
        for token in rest:
            if not token.is_number:
                problems.append(f"unrecognised word {token.text!r}")
            elif number_seen:
                problems.append(f"extra number {token.text!r} ignored")
            else:
                number_seen = True
                year, yymm = _parse_number(token.text)
                if year is None:
                    problems.append(f"number {token.text!r} is neither a year nor a yymm")
                elif yymm is None:
                    problems.append(f"number {token.text!r} is a year, not a yymm")
        return LabelHint(kind=kind, yymm=yymm, problems=tuple(problems))

    def _unknown_match(self, label: str, tokens: list[_Token]) -> VenueMatch:
        """A synthesized venue for a label naming no known venue nor link kind.

        The name is the run of words before the first number, as written in the label, less
        trailing presentation words (``FooConf 2023 Workshop`` and ``FooConf Workshop`` ->
        ``FooConf``) and a leading ``Findings of``.
        """
        presentation, start = (None, 0)
        lead, skip = self._leading_presentation(tokens)
        if lead is not None and skip == 2 and skip < len(tokens) and not tokens[skip].is_number:
            presentation, start = lead, skip
        end = start
        while end < len(tokens) and not tokens[end].is_number:
            end += 1
        while end - start > 1 and tokens[end - 1].text in _PRESENTATION_WORDS:
            end -= 1
        name_tokens = tokens[start:end]
        problems: list[str] = []
        if name_tokens:
            name = " ".join(label[name_tokens[0].start : name_tokens[-1].end].split())
        else:
            name = UNNAMED_KEY
            problems.append("label names no venue")
        venue = Venue(
            key=_slug(t.text for t in name_tokens),
            name=name,
            kind="conference",
            peer_reviewed=False,
            aliases=(name,),
        )
        return self._venue_match(label, venue, False, presentation, tokens[end:], problems)


@cache
def load_venue_table() -> VenueTable:
    """The bundled venue table, loaded once."""
    return VenueTable.load()
