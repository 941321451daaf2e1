"""Citations (``interp-kg export --format bibtex|csl-json|ris``): each format written through its
library and read back by it (bibtexparser, rispy, the CSL-JSON schema), with stable keys, ordered
authors, dates at their precision, venues, DOI and arXiv ids; hostile titles survive."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares as m
from typer.testing import CliRunner

from interp_kg.citations.model import Citation, base_key, split_name, with_keys
from interp_kg.citations.write import WRITERS, write_bibtex, write_csl_json, write_ris
from interp_kg.cli.main import app

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "src/interp_kg/citations/schema/csl-data.json").read_text()
)
HOSTILE = "Tom & Jerry: 50% of {braces} $x_1$ \\emph{ü} </script> #1 ~"

CONFERENCE = Citation(
    "https://w3id.org/interp-kg/id/paper/arxiv-2310.00001",
    "paper",
    "Sparse Autoencoders Find Interpretable Features",
    ("Hoagy Cunningham", "Laurens van der Maaten", "Tilman Räuker", "Martin Luther King Jr."),
    date="2024",
    first_version="2023-09-15",
    venue="ICLR",
    venue_kind="conference",
    peer_reviewed=True,
    identifiers=(("arxiv", "2310.00001"), ("doi", "10.48550/arXiv.2310.00001")),
    url="https://openreview.net/forum?id=F76bwRSLeK",
)
PREPRINT = Citation(
    "https://w3id.org/interp-kg/id/paper/x",
    "paper",
    HOSTILE,
    ("Nelson Elhage", "Janus"),
    authors_complete=False,
    date="2021-12-22",
    venue="arXiv",
    venue_kind="preprint",
    identifiers=(("arxiv", "2112.00001"),),
)
TOOL = Citation(
    "https://w3id.org/interp-kg/id/tool/t", "tool", "TransformerLens", url="https://github.com/x/y"
)
CITED = with_keys([CONFERENCE, PREPRINT, TOOL])


def _bib_entries(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text, append_middleware=[m.LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} | {"ENTRYTYPE": e.entry_type} for e in library.entries}


def test_names_are_split_into_family_and_given() -> None:
    assert split_name("Laurens van der Maaten").family == "van der Maaten"
    assert split_name("Martin Luther King Jr.").inverted() == "King, Jr., Martin Luther"


def test_keys_are_author_year_word_and_unique() -> None:
    assert [c.key for c in CITED] == ["cunningham2024sparse", "elhage2021tom", "transformerlens"]
    twins = with_keys(
        [
            PREPRINT,
            Citation(
                "https://w3id.org/interp-kg/id/paper/y",
                "paper",
                HOSTILE,
                ("Nelson Elhage",),
                date="2021-12-23",
            ),
        ]
    )
    assert [c.key for c in twins] == ["elhage2021tom", "elhage2021tomb"]
    assert base_key(Citation("i", "paper", "The Geometry of Truth", ("Ab Cd",))) == "cdgeometry"


def test_bibtex_round_trips_through_bibtexparser() -> None:
    entries = _bib_entries(write_bibtex(CITED))
    conf = entries["cunningham2024sparse"]
    assert conf["ENTRYTYPE"] == "inproceedings" and conf["booktitle"] == "ICLR" and conf["year"] == "2024"
    assert conf["author"] == (
        "Cunningham, Hoagy and van der Maaten, Laurens and Räuker, Tilman and King, Jr., Martin Luther"
    )
    assert conf["eprint"] == "2310.00001" and conf["archiveprefix"] == "arXiv"
    assert (
        conf["doi"] == "10.48550/arXiv.2310.00001"
        and conf["url"] == "https://openreview.net/forum?id=F76bwRSLeK"
    )
    assert "2023-09-15" in conf["note"]
    pre = entries["elhage2021tom"]
    assert pre["ENTRYTYPE"] == "misc" and pre["title"] == HOSTILE
    assert pre["author"] == "Elhage, Nelson and Janus and others"
    assert pre["month"] == "dec"
    assert entries["transformerlens"]["howpublished"] == "Software"


def test_bibtex_is_latex_safe() -> None:
    text = write_bibtex([PREPRINT])
    assert "\\&" in text and "\\%" in text and "Räuker" not in write_bibtex([CONFERENCE])


def test_csl_json_validates_against_the_schema_and_reads_back() -> None:
    data = json.loads(write_csl_json(CITED))
    jsonschema.validate(data, SCHEMA)
    conf = data[0]
    assert conf["type"] == "paper-conference" and conf["container-title"] == "ICLR"
    assert [a.get("family") for a in conf["author"]] == ["Cunningham", "van der Maaten", "Räuker", "King"]
    assert conf["issued"] == {"date-parts": [[2024]]} and conf["original-date"] == {
        "date-parts": [[2023, 9, 15]]
    }
    assert data[1]["issued"] == {"date-parts": [[2021, 12, 22]]} and data[1]["title"] == HOSTILE
    assert data[1]["author"][1] == {"literal": "Janus"}
    assert data[2]["type"] == "software"


def test_csl_schema_rejects_what_it_should() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "paper"}], SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "article", "made-up": 1}], SCHEMA)


def test_ris_round_trips_through_rispy() -> None:
    records = rispy.loads(write_ris(CITED))
    assert [r["id"] for r in records] == [c.key for c in CITED]
    conf = records[0]
    assert conf["type_of_reference"] == "CPAPER" and conf["secondary_title"] == "ICLR"
    assert conf["authors"][1] == "van der Maaten, Laurens" and conf["year"] == "2024"
    assert conf["doi"] == "10.48550/arXiv.2310.00001"
    assert records[1]["title"] == HOSTILE and records[1]["date"] == "2021/12/22/"
    assert records[2]["type_of_reference"] == "COMP"


def test_writers_are_the_registered_citation_formats() -> None:
    from interp_kg.formats import CITATION_FORMATS

    assert tuple(WRITERS) == CITATION_FORMATS


def test_export_cites_a_topic_with_keys_stable_across_selections(bundled_store_dir: Path) -> None:
    runner = CliRunner()
    every = runner.invoke(app, ["export", "-f", "bibtex", "--store", str(bundled_store_dir)])
    assert every.exit_code == 0, every.output
    all_entries = _bib_entries(every.output)
    topic = runner.invoke(
        app, ["export", "-f", "bibtex", "--topic", "Sparse Coding", "--store", str(bundled_store_dir)]
    )
    assert topic.exit_code == 0, topic.output
    some = _bib_entries(topic.output)
    assert 0 < len(some) < len(all_entries)
    assert all(all_entries[k] == v for k, v in some.items())  # the same key and entry in both


def test_export_cites_an_authors_works_in_byline_order(bundled_store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nanda.csl.json"
    result = CliRunner().invoke(
        app, ["export", "-o", str(out), "--author", "Neel Nanda", "--store", str(bundled_store_dir)]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(out.read_text())
    jsonschema.validate(items, SCHEMA)
    assert items and all(any(a.get("family") == "Nanda" for a in i.get("author", [])) for i in items)


def test_export_cites_a_saved_querys_works(bundled_store_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "-f", "ris", "--query", "featured-works", "--store", str(bundled_store_dir)]
    )
    assert result.exit_code == 0, result.output
    assert len(rispy.loads(result.output)) > 3


def test_a_selection_needs_a_citation_format(bundled_store_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "-f", "turtle", "--topic", "x", "--store", str(bundled_store_dir)]
    )
    assert result.exit_code == 2
