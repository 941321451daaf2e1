"""Tests of :mod:`interp_kg.identifiers.venues`: the alias table in ``data/venues.toml`` and label
matching."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from interp_kg.identifiers.venues import LabelHint, Venue, VenueMatch, VenueTable, normalise

DATA = Path(__file__).parents[1] / "data"
VENUES_TOML = DATA / "venues.toml"
AWESOME_LIST = DATA / "awesome-llm-interpretability.md"


@pytest.fixture(scope="module")
def table() -> VenueTable:
    """The bundled table, loaded from its explicit path."""
    return VenueTable.load(VENUES_TOML)


def _raw() -> dict[str, object]:
    with VENUES_TOML.open("rb") as handle:
        return tomllib.load(handle)


# -- labels -------------------------------------------------------------------------------------

# label -> (venue key, known, year, yymm, presentation)
VENUE_LABELS: list[tuple[str, str, bool, int | None, str | None, str | None]] = [
    ("NIPS 2023", "neurips", True, 2023, None, None),
    ("NIPS 2022", "neurips", True, 2022, None, None),
    ("ICLR 2024", "iclr", True, 2024, None, None),
    ("ICLR 2024 oral", "iclr", True, 2024, None, "oral"),
    ("ICLR 2024 spotlight", "iclr", True, 2024, None, "spotlight"),
    ("EMNLP 2023 Findings", "emnlp", True, 2023, None, "findings"),
    ("ACL 2023 Findings", "acl", True, 2023, None, "findings"),
    ("TACL 2022", "tacl", True, 2022, None, None),
    ("TMLR 2023", "tmlr", True, 2023, None, None),
    ("arxiv 2402", "arxiv", True, 2024, "2402", None),
    ("arxiv", "arxiv", True, None, None, None),
    ("arxiv 2024", "arxiv", True, 2024, None, None),
    ("AlignmentForum 2312", "alignment-forum", True, 2023, "2312", None),
    ("AlignmentForum", "alignment-forum", True, None, None, None),
    ("Alignment Forum", "alignment-forum", True, None, None, None),
    ("AI Alignment Forum", "alignment-forum", True, None, None, None),
    ("Lesswrong 2020", "lesswrong", True, 2020, None, None),
    ("lesswrong", "lesswrong", True, None, None, None),
    ("Transformer Circuits Thread", "transformer-circuits", True, None, None, None),
    ("openreview", "openreview", True, None, None, None),
    ("SaTML 2023", "satml", True, 2023, None, None),
    ("TIST 2024", "tist", True, 2024, None, None),
    ("CoNLL 2023", "conll", True, 2023, None, None),
    ("EACL 2023 Tutorial", "eacl", True, 2023, None, "tutorial"),
    ("ICML 2023", "icml", True, 2023, None, None),
    ("ACL 2021", "acl", True, 2021, None, None),
    ("EMNLP 2021", "emnlp", True, 2021, None, None),
    ("Neel Nanda's blog", "neel-nanda-blog", True, None, None, None),
    ("Neel Nanda\u2019s blog", "neel-nanda-blog", True, None, None, None),
    # future spellings
    ("arxiv2601", "arxiv", True, 2026, "2601", None),
    ("arxvi 2410", "arxiv", True, 2024, "2410", None),
    ("arXiv 2402", "arxiv", True, 2024, "2402", None),
    ("NeurIPS 2023 Workshop", "neurips", True, 2023, None, "workshop"),
    ("ICML 2024 Workshop", "icml", True, 2024, None, "workshop"),
    ("BlackboxNLP 2023", "blackboxnlp", True, 2023, None, None),
    ("NeurIPS 2023 (oral)", "neurips", True, 2023, None, "oral"),
    ("Findings of EMNLP 2023", "emnlp", True, 2023, None, "findings"),
    ("  iclr   2024   ORAL ", "iclr", True, 2024, None, "oral"),
    ("ICLR2024", "iclr", True, 2024, None, None),
    # unknown venues
    ("FooConf 2023", "fooconf", False, 2023, None, None),
    ("Foo Conf 2023 poster", "foo-conf", False, 2023, None, "poster"),
]


@pytest.mark.parametrize(("label", "key", "known", "year", "yymm", "presentation"), VENUE_LABELS)
def test_venue_labels(
    table: VenueTable,
    label: str,
    key: str,
    known: bool,
    year: int | None,
    yymm: str | None,
    presentation: str | None,
) -> None:
    match = table.match_label(label)
    assert isinstance(match, VenueMatch)
    assert (match.venue.key, match.known, match.year, match.yymm, match.presentation) == (
        key,
        known,
        year,
        yymm,
        presentation,
    )
    assert match.label == label
    assert match.problems == ()


LINK_LABELS: list[tuple[str, str, str | None]] = [
    ("github", "github", None),
    ("code", "code", None),
    ("website", "website", None),
    ("project", "project", None),
    ("project page", "project page", None),
    ("Project Page", "project page", None),
    ("pdf", "pdf", None),
    ("paper", "paper", None),
    ("blog", "blog", None),
    ("forum", "forum", None),
    ("workshop", "workshop", None),
    ("Youtube", "youtube", None),
    ("video", "video", None),
    ("slides", "slides", None),
    ("demo", "demo", None),
    ("google scholar", "google scholar", None),
    ("twitter", "twitter", None),
    ("tweet", "tweet", None),
    ("huggingface", "huggingface", None),
    ("Hugging Face", "huggingface", None),
    ("colab", "colab", None),
    ("dataset", "dataset", None),
    ("homepage", "homepage", None),
    ("github 2403", "github", "2403"),
    ("github2403", "github", "2403"),
    ("blog 2312", "blog", "2312"),
    ("project page 2401", "project page", "2401"),
]


@pytest.mark.parametrize(("label", "kind", "yymm"), LINK_LABELS)
def test_link_kind_labels(table: VenueTable, label: str, kind: str, yymm: str | None) -> None:
    hint = table.match_label(label)
    assert hint == LabelHint(kind=kind, yymm=yymm, problems=())


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("arxiv 211", "number '211' is neither a year nor a yymm"),
        ("arxiv 2413", "number '2413' is neither a year nor a yymm"),
        ("ICLR 2024 2025", "extra number '2025' ignored"),
        ("ICLR 2024 oral spotlight", "extra presentation word 'spotlight' ignored"),
        ("ICLR 2024 blah", "unrecognised word 'blah'"),
    ],
)
def test_venue_label_problems(table: VenueTable, label: str, problem: str) -> None:
    match = table.match_label(label)
    assert isinstance(match, VenueMatch)
    assert match.known
    assert problem in match.problems


def test_arxiv_211_keeps_venue_but_no_date(table: VenueTable) -> None:
    match = table.match_label("arxiv 211")
    assert isinstance(match, VenueMatch)
    assert (match.venue.key, match.year, match.yymm) == ("arxiv", None, None)


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("github 2024", "number '2024' is a year, not a yymm"),
        ("github 211", "number '211' is neither a year nor a yymm"),
        ("github repo", "unrecognised word 'repo'"),
    ],
)
def test_link_kind_problems(table: VenueTable, label: str, problem: str) -> None:
    hint = table.match_label(label)
    assert isinstance(hint, LabelHint)
    assert hint.kind == "github"
    assert problem in hint.problems


def test_unknown_venue(table: VenueTable) -> None:
    match = table.match_label("FooConf 2023")
    assert isinstance(match, VenueMatch)
    assert not match.known
    assert match.venue == Venue(
        key="fooconf", name="FooConf", kind="conference", peer_reviewed=False, aliases=("FooConf",)
    )
    assert match.year == 2023
    assert table.get("fooconf") is None


@pytest.mark.parametrize("label", ["", "   ", "2023", "()", "\u00e9\u00e9"])
def test_label_without_name(table: VenueTable, label: str) -> None:
    match = table.match_label(label)
    assert isinstance(match, VenueMatch)
    assert not match.known
    assert match.venue.key == "unknown"
    assert "label names no venue" in match.problems


def test_match_label_is_cached(table: VenueTable) -> None:
    assert table.match_label("ICLR 2024 oral") is table.match_label("ICLR 2024 oral")


def test_every_label_of_the_list_is_understood(table: VenueTable) -> None:
    labels = set(re.findall(r"\[\[([^\]]+)\]\]", AWESOME_LIST.read_text(encoding="utf-8")))
    assert labels
    for label in labels:
        match = table.match_label(label)
        if isinstance(match, VenueMatch):
            assert match.known, label
            assert not match.problems or label == "arxiv 211", (label, match.problems)
        else:
            assert not match.problems, (label, match.problems)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_match_label_never_raises(table: VenueTable, label: str) -> None:
    match = table.match_label(label)
    assert isinstance(match, VenueMatch | LabelHint)
    if isinstance(match, VenueMatch):
        assert match.label == label


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdefgorlICLRNPS0123456789 ()-:'."), max_size=40))
def test_match_label_never_raises_on_label_like_text(table: VenueTable, label: str) -> None:
    assert isinstance(table.match_label(label), VenueMatch | LabelHint)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_other_lookups_never_raise(table: VenueTable, text: str) -> None:
    table.for_host(text)
    table.lookup_name(text)
    table.from_acl_id(text)


# -- hosts, names, ACL ids --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("arxiv.org", "arxiv"),
        ("www.arxiv.org", "arxiv"),
        ("ArXiv.Org", "arxiv"),
        ("export.arxiv.org", "arxiv"),
        ("transformer-circuits.pub", "transformer-circuits"),
        ("www.lesswrong.com", "lesswrong"),
        ("alignmentforum.org", "alignment-forum"),
        ("www.neelnanda.io", "neel-nanda-blog"),
        ("proceedings.neurips.cc", "neurips"),
        ("papers.nips.cc", "neurips"),
        ("openreview.net", "openreview"),
        ("https://www.alignmentforum.org/posts/abc", "alignment-forum"),
        ("arxiv.org:443", "arxiv"),
        ("github.com", None),
        ("github.io", None),
        ("aclanthology.org", None),
        ("org", None),
        ("", None),
    ],
)
def test_for_host(table: VenueTable, host: str, key: str | None) -> None:
    venue = table.for_host(host)
    assert (venue.key if venue else None) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("AI Alignment Forum", "alignment-forum"),
        ("Lesswrong", "lesswrong"),
        ("LessWrong", "lesswrong"),
        ("Transformer Circuits Thread", "transformer-circuits"),
        ("BlackboxNLP: Analyzing and Interpreting Neural Networks for NLP", "blackboxnlp"),
        ("BlackboxNLP: some other subtitle", "blackboxnlp"),
        ("Advances in Neural Information Processing Systems", "neurips"),
        ("International Conference on Learning Representations", "iclr"),
        ("Transactions of the Association for Computational Linguistics", "tacl"),
        ("ACM Transactions on Intelligent Systems and Technology", "tist"),
        ("NeurIPS 2023", "neurips"),
        ("neurips", "neurips"),
        ("Nature", None),
        ("ICLR blah", None),
        ("", None),
    ],
)
def test_lookup_name(table: VenueTable, name: str, key: str | None) -> None:
    venue = table.lookup_name(name)
    assert (venue.key if venue else None) == key


@pytest.mark.parametrize(
    ("acl_id", "key", "year", "presentation"),
    [
        ("2023.emnlp-main.299", "emnlp", 2023, None),
        ("2023.findings-emnlp.624", "emnlp", 2023, "findings"),
        ("2023.findings-acl.895", "acl", 2023, "findings"),
        ("2022.tacl-1.74", "tacl", 2022, None),
        ("2023.conll-1.37", "conll", 2023, None),
        ("2023.eacl-main.199", "eacl", 2023, None),
        ("2023.acl-long.893", "acl", 2023, None),
        ("2023.acl-short.12", "acl", 2023, None),
        ("2023.acl-demo.1", "acl", 2023, "demo"),
        ("2023.eacl-tutorials.3", "eacl", 2023, "tutorial"),
        ("2024.naacl-long.1", "naacl", 2024, None),
        ("2023.blackboxnlp-1.5", "blackboxnlp", 2023, None),
        ("https://aclanthology.org/2023.acl-long.893/", "acl", 2023, None),
        ("https://aclanthology.org/2023.acl-long.893.pdf", "acl", 2023, None),
        ("P19-1001", "acl", 2019, None),
        ("D19-1001", "emnlp", 2019, None),
        ("N19-1001", "naacl", 2019, None),
        ("E17-1001", "eacl", 2017, None),
        ("Q18-1001", "tacl", 2018, None),
        ("K19-1001", "conll", 2019, None),
    ],
)
def test_from_acl_id(table: VenueTable, acl_id: str, key: str, year: int, presentation: str | None) -> None:
    match = table.from_acl_id(acl_id)
    assert match is not None
    assert (match.venue.key, match.known, match.year, match.presentation) == (key, True, year, presentation)
    assert match.label == acl_id
    assert match.problems == ()


@pytest.mark.parametrize("acl_id", ["W19-4801", "2023.genbench-1.1", "not an id", "", "2023.emnlp-main"])
def test_from_acl_id_unknown(table: VenueTable, acl_id: str) -> None:
    assert table.from_acl_id(acl_id) is None


def test_from_acl_id_before_1990(table: VenueTable) -> None:
    match = table.from_acl_id("P89-1001")
    assert match is not None
    assert match.venue.key == "acl"
    assert match.year is None
    assert match.problems


# -- the TOML file ----------------------------------------------------------------------------


def test_toml_tables_sorted_by_key() -> None:
    text = VENUES_TOML.read_text(encoding="utf-8")
    keys = re.findall(r"^\[venues\.([^\]]+)\]$", text, flags=re.MULTILINE)
    assert keys == sorted(keys)
    raw = _raw()
    assert set(raw) == {"link_kinds", "venues"}
    venues = raw["venues"]
    assert isinstance(venues, dict)
    assert keys == list(venues)


def test_toml_link_kinds_sorted_and_lower_case() -> None:
    kinds = _raw()["link_kinds"]
    assert isinstance(kinds, list)
    assert kinds == sorted(kinds)
    assert all(kind == kind.lower() for kind in kinds)


def test_toml_no_duplicate_aliases_or_hosts() -> None:
    venues = _raw()["venues"]
    assert isinstance(venues, dict)
    alias_owner: dict[str, str] = {}
    host_owner: dict[str, str] = {}
    for key, entry in venues.items():
        for alias in entry["aliases"]:
            norm = normalise(alias)
            assert norm, (key, alias)
            assert alias_owner.setdefault(norm, key) == key, (alias, alias_owner[norm], key)
        for host in entry.get("hosts", []):
            assert host_owner.setdefault(host, key) == key, (host, host_owner[host], key)


REQUIRED = [
    "neurips", "iclr", "icml", "acl", "emnlp", "naacl", "eacl", "coling", "conll", "tacl", "tmlr",
    "jmlr", "aaai", "ijcai", "cvpr", "iccv", "eccv", "satml", "tist", "arxiv", "openreview",
    "transformer-circuits", "alignment-forum", "lesswrong", "neel-nanda-blog", "blackboxnlp",
]  # fmt: skip


@pytest.mark.parametrize("key", REQUIRED)
def test_required_venues_present(table: VenueTable, key: str) -> None:
    assert table.get(key) is not None


@pytest.mark.parametrize(
    ("key", "kind", "peer_reviewed"),
    [
        ("arxiv", "preprint", False),
        ("openreview", "preprint", False),
        ("transformer-circuits", "blog", False),
        ("alignment-forum", "forum", False),
        ("lesswrong", "forum", False),
        ("neel-nanda-blog", "blog", False),
        ("blackboxnlp", "workshop", True),
        ("tist", "journal", True),
        ("neurips", "conference", True),
    ],
)
def test_venue_kinds(table: VenueTable, key: str, kind: str, peer_reviewed: bool) -> None:
    venue = table.get(key)
    assert venue is not None
    assert (venue.kind, venue.peer_reviewed) == (kind, peer_reviewed)


def test_venues_sorted(table: VenueTable) -> None:
    keys = [venue.key for venue in table.venues()]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


# -- validation -------------------------------------------------------------------------------


def _venue(key: str, aliases: tuple[str, ...], hosts: tuple[str, ...] = ()) -> Venue:
    return Venue(
        key=key, name=key.upper(), kind="conference", peer_reviewed=True, aliases=aliases, hosts=hosts
    )


def test_duplicate_alias_rejected() -> None:
    with pytest.raises(ValueError, match=r"'Foo-Bar'.*'one'.*'two'|'Foo-Bar'.*'two'.*'one'"):
        VenueTable([_venue("one", ("foobar",)), _venue("two", ("Foo-Bar",))], [])


def test_duplicate_host_rejected() -> None:
    with pytest.raises(ValueError, match=r"host 'foo\.org'"):
        VenueTable([_venue("one", ("one",), ("foo.org",)), _venue("two", ("two",), ("foo.org",))], [])


def test_alias_that_is_a_link_kind_rejected() -> None:
    with pytest.raises(ValueError, match=r"link kind 'git hub'.*'one'"):
        VenueTable([_venue("one", ("GitHub",))], ["git hub"])


@pytest.mark.parametrize("kind", ["GitHub", "", "git  hub", "git-hub"])
def test_bad_link_kind_rejected(kind: str) -> None:
    with pytest.raises(ValueError, match="link kind"):
        VenueTable([_venue("one", ("one",))], [kind])


def test_same_alias_twice_in_one_venue_is_fine() -> None:
    table = VenueTable([_venue("one", ("Foo Bar", "FooBar"))], [])
    assert table.lookup_name("foo bar") == table.get("one")


def test_load_names_file_and_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "venues.toml"
    path.write_text(
        'link_kinds = ["github"]\n'
        '[venues.one]\nname = "One"\nkind = "conference"\npeer_reviewed = true\naliases = ["X"]\n'
        '[venues.two]\nname = "Two"\nkind = "conference"\npeer_reviewed = true\naliases = ["x"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"venues\.toml.*alias 'x'.*'one'.*'two'"):
        VenueTable.load(path)


@pytest.mark.parametrize(
    "venue_table",
    [
        '[venues.one]\nname = "One"\nkind = "bar"\npeer_reviewed = true\naliases = ["One"]\n',
        '[venues.one]\nname = "One"\nkind = "blog"\npeer_reviewed = "yes"\naliases = ["One"]\n',
        '[venues.one]\nname = "One"\nkind = "blog"\npeer_reviewed = true\naliases = []\n',
        '[venues.one]\nname = "One"\nkind = "blog"\npeer_reviewed = true\naliases = ["One"]\ncolour = 1\n',
        '[venues.one]\nname = "One"\nkind = "blog"\npeer_reviewed = true\naliases = ["One"]\n'
        'hosts = ["www.one.org"]\n',
        '[venues.One]\nname = "One"\nkind = "blog"\npeer_reviewed = true\naliases = ["One"]\n',
        '[venues.one]\nkey = "one"\nname = "One"\nkind = "blog"\npeer_reviewed = true\naliases = ["One"]\n',
        "[venues.one\n",
    ],
)
def test_load_rejects_bad_tables(tmp_path: Path, venue_table: str) -> None:
    path = tmp_path / "venues.toml"
    path.write_text("link_kinds = []\n" + venue_table, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path))):
        VenueTable.load(path)


def test_models_are_frozen_and_strict() -> None:
    venue = _venue("one", ("One",))
    with pytest.raises(ValidationError):
        venue.key = "two"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Venue.model_validate({**venue.model_dump(), "extra": 1})
    with pytest.raises(ValidationError):
        VenueMatch(venue=venue, known=True, label="x", year=2023, yymm="2402")
    with pytest.raises(ValidationError):
        VenueMatch(venue=venue, known=True, label="x", year=1989)
    with pytest.raises(ValidationError):
        LabelHint(kind="GitHub", yymm=None, problems=())
