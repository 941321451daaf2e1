"""SHACL validation of built graphs, and lint findings on source lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interp_kg.checks.lint import lint_sources
from interp_kg.rdf.export import export
from interp_kg.source.parse import parse_text
from interp_kg.store.builds import build_lock, load_build, open_store, read_info
from tests.conftest import BUNDLED, write

BAD = (
    "<https://w3id.org/interp-kg/id/paper/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/interp-kg/ontology#Paper> .\n"
    '<https://w3id.org/interp-kg/id/paper/x> <https://w3id.org/interp-kg/ontology#year> "2023" .\n'
)


def test_validate_reports_violations_readably_and_exits_4(tmp_path: Path, bundled_store_dir: Path) -> None:
    nt = write(tmp_path / "g.nt", export(open_store(bundled_store_dir), "ntriples").decode() + BAD)
    store = tmp_path / "s"
    with build_lock(store):
        load_build(store, lambda out: (out.write(nt.read_bytes()), read_info(bundled_store_dir))[1])
    proc = subprocess.run(
        [sys.executable, "-m", "interp_kg", "validate", "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 4
    assert "violation" in proc.stdout and "paper:x" in proc.stdout and "ikg:year" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_lint_on_the_bundled_list() -> None:
    findings = lint_sources([BUNDLED])
    found = {(d.line, d.code) for d in findings if d.file == BUNDLED.name}
    # the rest are about the curated records of its works (data/bibliography/)
    assert {d.code for d in findings if d.file != BUNDLED.name} <= {
        "likely-duplicate-author",
        "date-after-year",
        "date-arxiv-mismatch",
    }
    assert all(d.file.endswith(".jsonl") for d in findings if d.file != BUNDLED.name)
    assert found == {
        (49, "malformed-link"),  # abs//2309.15025
        (98, "label-url-mismatch"),  # [arxiv 2303] -> 2302.12461
        (129, "malformed-link"),  # link nested in link target
        (185, "no-link"),  # In-context learning and induction heads
        (206, "label-url-mismatch"),  # [arxiv 2403] -> 2312.02073
        (234, "label-url-mismatch"),  # [github 2403] -> arxiv.org
        (243, "label-url-mismatch"),  # [arxiv 2024] -> 2402.03902
        (270, "label-url-mismatch"),  # [arxiv 2402] -> 2403.08081
        (330, "label-url-mismatch"),  # [arxiv 211]
    }


def test_lint_finds_unknown_venues_and_conflicting_titles(tmp_path: Path) -> None:
    src = write(
        tmp_path / "l.md",
        "# L\n## A\n* **One title** [[FooConf 2023]](https://openreview.net/forum?id=abc)\n"
        "## B\n* **Another title** [[ICLR 2024]](https://openreview.net/forum?id=abc)\n",
    )
    found = [(d.line, d.code) for d in lint_sources([src])]
    assert (3, "unknown-venue") in found
    assert (3, "conflicting-titles") in found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    parse_text(text, "fuzz.md")


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            "* ",
            "  * ",
            "- ",
            "1. ",
            "# ",
            "### ",
            "**",
            "[[",
            "]]",
            "](",
            "(",
            ")",
            "[",
            "]",
            "}",
            "\\*",
            "🌟",
            "ðŸŒŸ",
            "https://arxiv.org/abs/",
            "2401.00001",
            "#x",
            "![i](",
            "\n",
            "\r\n",
            " ",
            "`",
            "```",
            "<!--",
            "-->",
            "arXiv:",
            "title",
            "_",
        ]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(MARKDOWNISH)
def test_parser_never_raises_on_markdown_like_text(text: str) -> None:
    parsed = parse_text(text, "fuzz.md")
    # every unit ends as an entry, a note, or a diagnostic
    assert len(parsed.entries) + parsed.notes + sum(parsed.skipped.values()) == parsed.units
    assert parsed.bullets <= parsed.units
    assert all(d.line >= 1 for d in parsed.diagnostics)


def test_bundled_list_parses_without_error_diagnostics() -> None:
    from interp_kg.source.parse import parse_file

    assert not [d for d in parse_file(BUNDLED).diagnostics if d.severity == "error"]
