"""The mis-decoded bundled list and the same list in clean UTF-8 give the identical graph."""

from __future__ import annotations

from pathlib import Path

from interp_kg.rdf.export import export
from interp_kg.store.build import build
from interp_kg.store.builds import open_store
from tests.conftest import BUNDLED, write


def test_clean_utf8_gives_the_identical_graph(tmp_path: Path) -> None:
    raw = BUNDLED.read_text("utf-8")
    clean = raw.replace("ðŸŒŸ", "\N{GLOWING STAR}").replace("â€™", "\N{RIGHT SINGLE QUOTATION MARK}")
    assert clean != raw and "â€" not in clean and "ðŸ" not in clean
    a = write(tmp_path / "a" / BUNDLED.name, raw)
    b = write(tmp_path / "b" / BUNDLED.name, clean)
    build([a], tmp_path / "sa")
    build([b], tmp_path / "sb")
    nt_a = export(open_store(tmp_path / "sa"), "ntriples")
    assert nt_a == export(open_store(tmp_path / "sb"), "ntriples")
    assert "Don\u2019t Have To".encode() in nt_a or b"Don\\u2019t" in nt_a


def test_windows_1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    from interp_kg.source.parse import parse_file

    path = write(tmp_path / "cp.md", "# L\n* **Caf\u00e9 probing** [[x]](https://a.org/x)\n".encode("cp1252"))
    parsed = parse_file(path)
    assert parsed.entries[0].title == "Caf\u00e9 probing"
    assert parsed.diagnostics[0].code == "encoding"
