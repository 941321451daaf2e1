"""The fast paths of the reports: plain tables written as rich writes them, and counts summed up
the topic tree per key (each work once per topic)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rich.text import Text

from interp_kg.reports.common import LARGE_TABLE_ROWS, PlainTable, console_text
from interp_kg.reports.coverage import MAX_CHART_ROWS, _shallow
from interp_kg.reports.topics import KeyedCounts, ancestors, direct_works

HEADERS = ("Name", "Works", "Years")
RIGHT = (False, True, True)


def _rich(table: PlainTable, width: int | None = 200, color: bool = False) -> str:
    return console_text([table.rich_table()], width, color)


@pytest.mark.parametrize(
    ("rows", "title"),
    [
        ([["Neel Nanda", "21", "2021\u20132024"], ["Mor Geva", "9", "2024"]], None),
        ([["Neel Nanda", "21", "2021"], ["A", "1", ""]], "Linked share per class"),
        ([["x", "1", "2"]], "A title wider than the table it is over"),
        ([], "Empty"),
        ([["\u65e5\u672c\u8a9e\u306e\u540d\u524d", "3", "2023"], ["e\u0301t\u00e9", "10", ""]], "Wide"),
        ([["Towards: a [bold]title[/bold]", "1", "2020"]], None),
        ([["a :smile: face", "1", "2020"]], None),
        ([["tab\there", "1", "2020"]], None),
        ([["w" * 150, "1", "2020"], ["v " * 60, "22", "2021"]], "Wider than the width"),
    ],
)
def test_plain_table_is_what_rich_writes(rows: list[list[str]], title: str | None) -> None:
    table = PlainTable(HEADERS, RIGHT, rows, title=title)
    assert console_text([table], 120, False) == _rich(table, 120)


def test_plain_table_writes_the_tables_it_can_by_itself() -> None:
    table = PlainTable(HEADERS, RIGHT, [["Neel Nanda", "21", "2021"]], title="People")
    assert table.plain(200, False) == _rich(table)
    assert table.plain(200, True) is None  # colour: rich writes it
    assert table.plain(10, False) is None  # too wide: rich wraps it
    assert PlainTable(HEADERS, RIGHT, [["[b]x[/b]", "1", ""]]).plain(200, False) is None  # markup


def test_plain_table_takes_styled_cells_as_their_text() -> None:
    rows = [
        [
            Text("\u251c\u2500 ", style="dim") + Text("Circuits", style="bold"),
            "3",
            Text("thin", style="yellow"),
        ]
    ]
    table = PlainTable(("Topic", "Works", "Flags"), (False, True, False), rows, no_wrap=(True, False, False))
    assert console_text([table], 200, False) == _rich(table)


def test_a_large_table_keeps_every_cell_whole_on_one_line() -> None:
    long_title = "A title " * 40
    rows = [[f"work {i}", str(i), long_title.strip()] for i in range(LARGE_TABLE_ROWS + 1)]
    text = console_text([PlainTable(("Work", "N", "Title"), (False, True, False), rows)], 80, True)
    lines = text.splitlines()
    assert len(lines) == LARGE_TABLE_ROWS + 2
    assert lines[1].startswith("work 0") and lines[1].endswith(long_title.strip())
    assert "\x1b" not in text


def test_a_large_table_measures_wide_characters_as_rich_does() -> None:
    from rich.cells import cell_len

    rows = [
        [("\u65e5\u672c" if i % 7 == 0 else "ab") * (i % 3 + 1), "x", str(i)]
        for i in range(LARGE_TABLE_ROWS + 5)
    ]
    lines = console_text([PlainTable(("Name", "K", "N"), (False, False, True), rows)], 80, False).splitlines()
    assert len({cell_len(line) for line in lines}) == 1  # every line as wide: the columns line up
    assert lines[1] == "\u65e5\u672c" + " " * 8 + "  x  " + "   0"  # two cells a character, padded to 12


def test_large_trees_are_charted_down_to_the_deepest_level_that_fits() -> None:
    @dataclass
    class Row:
        depth: int

    small = [Row(0), Row(1)]
    assert _shallow(small) == (small, "")  # type: ignore[arg-type]
    rows = [Row(0)] * 5 + [Row(1)] * 20 + [Row(2)] * 70 + [Row(3)] * 900
    kept, caption = _shallow(rows)  # type: ignore[arg-type]
    assert len(kept) == 95 <= MAX_CHART_ROWS
    assert {row.depth for row in kept} == {0, 1, 2}
    assert caption == " Shown down to level 3 of the tree: 95 of 995 topics (the table lists them all)."
    top_heavy = [Row(0)] * (MAX_CHART_ROWS + 1) + [Row(1)]
    assert len(_shallow(top_heavy)[0]) == MAX_CHART_ROWS + 1  # type: ignore[arg-type]  # the top level at least


def test_ancestors_follow_every_parent_and_stop_at_cycles() -> None:
    closure = ancestors({"c": ["b", "x"], "b": ["a"], "a": ["c"]}, ["a", "b", "c", "x"])
    assert closure["c"] == {"a", "b", "c", "x"}
    assert closure["x"] == {"x"}
    assert closure["a"] == {"a", "b", "c", "x"}


def test_keyed_counts_count_a_work_once_per_topic_above_it() -> None:
    # root > left, root > right; work w is listed under left and right, the others under one topic.
    closure = ancestors({"left": ["root"], "right": ["root"]}, ["root", "left", "right"])
    multi = {"w": ["left", "right"]}
    keyed = KeyedCounts(closure, multi)
    keyed.add("left", "paper", 2)  # two works under left only
    keyed.add("w", "paper", 1)  # the work under both
    keyed.add(None, "paper", 4)  # four works under no topic
    assert keyed.up["root"]["paper"] == 3
    assert keyed.up["left"]["paper"] == 3
    assert keyed.up["right"]["paper"] == 1
    assert keyed.total["paper"] == 7
    assert direct_works(closure, {"left": 2, "w": 1, None: 4}, multi) == {"left": 3, "right": 1}


def test_one_report_imports_neither_the_others_nor_the_heavy_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, interp_kg.reports.venues as v, interp_kg.reports as r; r.REPORT_FORMATS; "
        "print(sorted(m for m in sys.modules if m in {'interp_kg.reports.coverage', "
        "'interp_kg.reports.authors', 'interp_kg.reports.wikidata', 'interp_kg.identifiers.venues', 'pygal', "
        "'rdflib', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
