"""A large list's listings stream to the loader while it is parsed: the graph is the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from interp_kg import parse
from interp_kg.build import build
from interp_kg.export import export, open_graph
from interp_kg.prefixes import sparql_header
from interp_kg.store import open_store
from tests.conftest import write


def big_list(entries: int) -> str:
    lines = ["# Big list", ""]
    for i in range(entries):
        if i % 150 == 0:
            lines += ["", f"## Section {i // 1500}", "", f"### General {i // 150}", ""]
        lines.append(f"* **Paper {i} on circuits** [[arxiv 2402]](https://arxiv.org/abs/2402.{i:05d})")
        if i % 97 == 0:
            lines.append("  * a note on it")
    return "\n".join(lines) + "\n"


def test_streamed_build_equals_unstreamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "big.md", big_list(5000))
    build([src], tmp_path / "streamed")
    monkeypatch.setattr(parse, "FINAL_BATCH", 10**9)  # one batch at the end: nothing streamed early
    build([src], tmp_path / "whole")
    streamed = export(open_graph(tmp_path / "streamed"), "ntriples")
    assert streamed == export(open_graph(tmp_path / "whole"), "ntriples")
    count = (
        sparql_header()
        + "SELECT (COUNT(?l) AS ?n) WHERE { ?w ikg:listing ?l . ?l ikg:line ?line ; ikg:topic ?t }"
    )
    assert [r["n"].value for r in open_store(tmp_path / "streamed").query(count)] == ["5000"]  # type: ignore[index,union-attr]
