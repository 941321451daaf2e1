"""`interp-kg report coverage|venues|timeline`: figures on the bundled graph, flags on a small
synthetic list, the output formats and their byte stability."""

from __future__ import annotations

import csv
import doctest
import inspect
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interp_kg.cli import report as cli_report
from interp_kg.formats import COMMAND_FORMATS
from interp_kg.reports import common
from interp_kg.reports.coverage import (
    CSV_COLUMNS,
    DEFAULT_NO_TOOL_MIN,
    DEFAULT_STALE_BEFORE,
    DEFAULT_THIN,
    PATH_SEPARATOR,
    VIEW_COLUMNS,
    CoverageReport,
    CoverageRow,
    coverage_report,
    render_coverage,
)
from interp_kg.reports.timeline import TimelineReport, render_timeline, timeline_report
from interp_kg.reports.venues import VenuesReport, render_venues, venues_report
from interp_kg.sparql.query import LocalBackend
from interp_kg.store.build import build
from interp_kg.store.builds import open_store
from tests.conftest import ID, write

TOPIC = ID + "topic/"
GROKKING_PAPER = ID + "paper/openreview-9XFSbDPmdW"  # "Progress measures for grokking ..."
ARITHMETIC = TOPIC + "paper-blog/by-topic/task-solving-function-ability/arithmetic-ability"
PHASE_TRANSITION = TOPIC + "paper-blog/by-topic/learning-dynamics/phase-transition-grokking"
SPARSE_CODING = TOPIC + "paper-blog/by-topic/tools-techniques-methods/sparse-coding"

SYNTHETIC = """\
# A synthetic list

* **An orphan paper above every section** [[arxiv 2401]](https://arxiv.org/abs/2401.00001)

## Papers

### Thin

* **The only paper here** [[arxiv 2402]](https://arxiv.org/abs/2402.00002)

### Old

* **Old paper one** [[ICLR 2020]](https://openreview.net/forum?id=oldpaper01)
* **Old paper two** [[EMNLP 2019]](https://aclanthology.org/D19-1001)
* **Old paper three** [[arxiv 2103]](https://arxiv.org/abs/2103.00003)

### Current

* **New paper one** [[arxiv 2401]](https://arxiv.org/abs/2401.00004)
* **New paper two** [[ICLR 2024]](https://arxiv.org/abs/2310.00005)
* **New paper three** [[NeurIPS 2023]](https://openreview.net/forum?id=newpaper03)
* **A tool for it** [[github]](https://github.com/example/tool)

## Code

### Library

* **lib** [[github]](https://github.com/example/lib)
"""


HOSTILE = """\
# A list with markup in its names

## Q&A <script>alert(1)</script> costs $x$ | more

* **A paper <b>bold</b> & "quoted"** [[arxiv 2401]](https://arxiv.org/abs/2401.00001)
"""


@pytest.fixture(scope="module")
def backend(bundled_store_dir: Path) -> LocalBackend:
    return LocalBackend(open_store(bundled_store_dir))


@pytest.fixture(scope="module")
def coverage(backend: LocalBackend) -> CoverageReport:
    return coverage_report(backend)


@pytest.fixture(scope="module")
def venues(backend: LocalBackend) -> VenuesReport:
    return venues_report(backend)


@pytest.fixture(scope="module")
def timeline(backend: LocalBackend) -> TimelineReport:
    return timeline_report(backend)


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    source = write(root / "list.md", SYNTHETIC)
    build([source], root / "store")
    return root / "store"


@pytest.fixture(scope="module")
def synthetic(synthetic_store: Path) -> CoverageReport:
    return coverage_report(LocalBackend(open_store(synthetic_store)))


def row(report: CoverageReport, topic: str) -> CoverageRow:
    (found,) = [r for r in report.rows if r.topic == topic]
    return found


def labelled(report: CoverageReport, path: str) -> CoverageRow:
    """The row whose labels from the top, joined by '/', are ``path``."""
    (found,) = [r for r in report.rows if "/".join(r.path) == path]
    return found


# -- coverage on the bundled graph ------------------------------------------------------------


def test_totals_count_every_work_once(coverage: CoverageReport) -> None:
    t = coverage.totals
    assert (t.works_total, t.papers, t.tools, t.tutorials, t.videos) == (209, 191, 9, 5, 4)
    assert t.featured == 13
    assert t.shared == 8, "works listed under two or more topics (the works-in-several-topics query)"
    assert t.peer_reviewed + t.preprint_or_blog + t.no_venue == 209
    # years from the list's link texts and identifiers, else from curated dates (data/bibliography/)
    assert t.works_dated == sum(t.works_per_year.values()) == 189
    assert (t.year_min, t.year_max) == (2020, 2024)
    assert sum(r.works_total for r in coverage.rows if r.depth == 0) == 209


def test_every_topic_is_one_row_in_tree_order(coverage: CoverageReport) -> None:
    assert len(coverage.rows) == 45
    assert [r.label for r in coverage.rows[:7]] == [
        "Tutorial",
        "Code",
        "Library",
        "Codebase",
        "Survey",
        "Video",
        "Paper & Blog",
    ], "top-level topics and siblings follow the list"
    seen: set[str] = set()
    for r in coverage.rows:
        assert r.parent is None or r.parent in seen, f"{r.label} comes before its parent"
        assert r.depth == (0 if r.parent is None else row(coverage, r.parent).depth + 1)
        seen.add(r.topic)


def test_sparse_coding_has_six_works(coverage: CoverageReport) -> None:
    r = row(coverage, SPARSE_CODING)
    assert (r.label, r.works, r.works_total, r.papers, r.tools) == ("Sparse Coding", 6, 6, 6, 0)
    assert r.path == ["Paper & Blog", "By Topic", "Tools/Techniques/Methods", "Sparse Coding"]
    assert r.flags == []  # 6 papers and no tool: below --no-tool-min-papers (20), not flagged


def test_five_topics_labelled_general_are_five_rows(coverage: CoverageReport) -> None:
    general = [r for r in coverage.rows if r.label == "General"]
    assert len(general) == 5
    assert len({r.topic for r in general}) == len({r.parent for r in general}) == 5
    assert [r.works for r in general] == [2, 1, 10, 4, 12]


def test_a_work_under_two_topics_counts_in_both_and_as_shared(
    coverage: CoverageReport, backend: LocalBackend
) -> None:
    listed = backend.execute(
        f"SELECT ?t WHERE {{ <{GROKKING_PAPER}> <https://w3id.org/interp-kg/ontology#topic> ?t }}",
        {},
        "select",
        10,
    )
    assert sorted(str(r[0].value) for r in listed.rows) == sorted([ARITHMETIC, PHASE_TRANSITION])
    arithmetic, phase = row(coverage, ARITHMETIC), row(coverage, PHASE_TRANSITION)
    assert (arithmetic.works, arithmetic.shared) == (8, 2)
    assert (phase.works, phase.shared) == (8, 2)
    assert PHASE_TRANSITION in {s.topic for s in arithmetic.shared_with}
    assert ARITHMETIC in {s.topic for s in phase.shared_with}
    by_topic = labelled(coverage, "Paper & Blog/By Topic")
    assert by_topic.shared == 0, "both topics are under By Topic: not shared outside it"
    assert by_topic.works_total == 185, "counted once in the sub-tree"


def test_figures_add_up_on_every_row(coverage: CoverageReport) -> None:
    for r in coverage.rows:
        assert r.peer_reviewed + r.preprint_or_blog + r.no_venue == r.works_total, r.label
        assert r.papers + r.tools + r.tutorials + r.videos == r.works_total, r.label
        assert sum(r.venue_kinds.values()) == r.works_total, r.label
        assert r.works_dated == sum(r.works_per_year.values()), r.label
        assert r.with_wikidata == 0 and r.share_wikidata == 0.0, "no Wikidata links yet"
        assert r.shared == 0 or r.shared_with, r.label
    code = labelled(coverage, "Code")
    assert (code.works, code.works_total, code.tools, code.with_code, code.share_code) == (0, 8, 8, 8, 1.0)


def test_a_section_of_sources_is_not_flagged_thin(coverage: CoverageReport) -> None:
    by_source = labelled(coverage, "Paper & Blog/By Source")
    assert (by_source.works_total, by_source.sources, by_source.flags) == (0, 5, [])


def test_flags_on_the_bundled_graph(coverage: CoverageReport) -> None:
    # MLP/FFN was stale (2021, 2022) until the curated date of openreview-nUGFpDCu3W gave it 2023
    assert ["/".join(r.path) for r in coverage.flagged("stale")] == []
    mlp = labelled(coverage, "Paper & Blog/By Topic/Component/MLP/FFN")
    assert mlp.works_per_year == {"2021": 1, "2022": 1, "2023": 1}
    assert [r.works_total for r in coverage.flagged("thin")] == [1, 2, 1, 2, 1]
    assert coverage.works_without_topic == []


# -- flags on a synthetic list ----------------------------------------------------------------


def test_thin_topic(synthetic: CoverageReport) -> None:
    assert labelled(synthetic, "Papers/Thin").flags == ["thin"]
    assert "thin" not in labelled(synthetic, "Papers/Current").flags


def test_stale_topic(synthetic: CoverageReport) -> None:
    old = labelled(synthetic, "Papers/Old")
    assert (old.year_max, old.flags) == (2021, ["stale"])
    assert "stale" not in labelled(synthetic, "Papers").flags, "a sub-topic has 2024 works"


def test_papers_but_no_tool(synthetic_store: Path) -> None:
    report = coverage_report(LocalBackend(open_store(synthetic_store)), no_tool_min=1)
    assert labelled(report, "Papers/Current").flags == [], "it lists a tool"
    assert "papers-no-tool" not in labelled(report, "Code/Library").flags, "no papers"
    assert labelled(report, "Papers/Old").flags == ["stale", "papers-no-tool"]


def test_papers_no_tool_is_rare_on_the_bundled_graph(coverage: CoverageReport) -> None:
    fired = coverage.flagged("papers-no-tool")
    assert all(r.papers >= DEFAULT_NO_TOOL_MIN for r in fired)
    assert len(fired) <= len(coverage.rows) // 5, "a flag on most topics is noise"


def test_a_work_under_no_topic(synthetic: CoverageReport) -> None:
    (orphan,) = synthetic.works_without_topic
    assert (orphan.title, orphan.kind) == ("An orphan paper above every section", "paper")
    assert synthetic.totals.works_total == 10
    assert sum(r.works_total for r in synthetic.rows if r.depth == 0) == 9


def test_thresholds_are_parameters(synthetic_store: Path) -> None:
    report = coverage_report(LocalBackend(open_store(synthetic_store)), thin=5, stale_before=2025)
    assert report.parameters.model_dump() == {"thin": 5, "stale_before": 2025, "no_tool_min_papers": 20}
    assert "thin" in labelled(report, "Papers/Current").flags
    assert "stale" in labelled(report, "Papers").flags


def test_month_comes_from_an_arxiv_id_of_the_same_year(synthetic_store: Path) -> None:
    grid = timeline_report(LocalBackend(open_store(synthetic_store))).grid(None)
    assert grid[2024] == {1: 2, 2: 1, None: 1}, "the ICLR 2024 paper's arXiv id is from 2023: no month"
    assert grid[2021] == {3: 1}
    assert grid[None] == {None: 2}, "the two tools have no year"


# -- output formats ---------------------------------------------------------------------------


def test_json_schema(coverage: CoverageReport) -> None:
    doc = json.loads(render_coverage(coverage, "json"))
    assert set(doc) == {"report", "parameters", "totals", "rows", "works_without_topic"}
    assert doc["report"] == "coverage"
    assert doc["parameters"] == {"thin": 3, "stale_before": 2023, "no_tool_min_papers": 20}
    assert len(doc["rows"]) == 45
    required = {"topic", "label", "parent", "works", "works_total"}
    for item in doc["rows"]:
        assert set(item) == set(CoverageRow.model_fields)
        assert required <= set(item)
        assert item["topic"].startswith(TOPIC)
        assert item["parent"] is None or item["parent"].startswith(TOPIC)
    first = doc["rows"][0]
    assert (first["label"], first["parent"], first["works"], first["works_total"]) == ("Tutorial", None, 5, 5)
    assert CoverageReport.model_validate(doc) == coverage, "the JSON reads back into the model"


def test_csv_parses(coverage: CoverageReport) -> None:
    data = render_coverage(coverage, "csv")
    assert data.endswith(b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 45
    sparse = next(r for r in rows if r["topic"] == SPARSE_CODING)
    assert (sparse["works"], sparse["works_total"], sparse["flags"]) == ("6", "6", "")
    path = ["Paper & Blog", "By Topic", "Tools/Techniques/Methods", "Sparse Coding"]
    assert sparse["path"] == PATH_SEPARATOR.join(path)
    assert rows[0]["parent"] == ""
    arithmetic = next(r for r in rows if r["topic"] == ARITHMETIC)
    assert arithmetic["shared_with"] == f"{PHASE_TRANSITION}=2", "both grokking papers"


def _md_cells(line: str) -> list[str]:
    """Cells of a Markdown table line, honouring backslash-escaped pipes."""
    cells, cell, escaped = [], "", False
    for ch in line.strip()[1:-1]:
        if ch == "|" and not escaped:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += ch
        escaped = ch == "\\" and not escaped
    return [*cells, cell.strip()]


def test_markdown_table_shape(coverage: CoverageReport) -> None:
    text = render_coverage(coverage, "md").decode("utf-8")
    assert text.startswith("# Topic coverage\n")
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 45
    widths = {len(_md_cells(line)) for line in table}
    assert widths == {15}, "every line of the table has the same number of cells"
    assert set(table[1]) <= set("|-:")
    assert _md_cells(table[2])[:3] == ["Tutorial", "5", "5"]
    assert any(_md_cells(line)[0] == "&emsp;&emsp;&emsp;Sparse Coding" for line in table)
    assert "## Stale topics (dated works, none from 2023 or later)" in text
    assert _md_cells(table[0])[10] == "Authors"


def test_terminal_table_draws_the_tree(coverage: CoverageReport) -> None:
    text = render_coverage(coverage, "table", width=220).decode("utf-8")
    assert "\x1b[" not in text, "no colour unless asked"
    assert "├─ Library" in text and "└─ Codebase" in text
    assert "│  ├─ Sparse Coding" in text


@pytest.mark.parametrize("color", [False, True])
def test_narrow_terminal_gets_blocks_of_whole_columns(coverage: CoverageReport, color: bool) -> None:
    """On a terminal narrower than the table, the figures are not cut: blocks of columns, one
    under the other, each starting with the topic tree and no wider than the terminal."""
    text = render_coverage(coverage, "table", width=100, color=color).decode("utf-8")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    lines = plain.splitlines()
    headers = [line for line in lines if line.startswith("Topic ")]
    assert len(headers) >= 2, "split into blocks"
    assert "…" not in plain
    assert all(len(line.rstrip()) <= 100 for line in lines)
    for header, _ in VIEW_COLUMNS[1:]:  # each figure in exactly one block
        found = [h for h in headers if re.search(rf"(^|\s){re.escape(header)}(\s|$)", h)]
        assert len(found) == 1, header
    # every block lists every topic, with its tree guide
    assert plain.count("│  ├─ Sparse Coding") == len(headers)
    sparse = next(r for r in coverage.rows if r.label == "Sparse Coding")
    assert f"{sparse.year_min}\u2013{sparse.year_max}" in plain
    # wide enough: one table, as before
    wide = render_coverage(coverage, "table", width=220).decode("utf-8")
    assert sum(line.startswith("Topic ") for line in wide.splitlines()) == 1


def test_narrow_terminal_venues_table_keeps_venue_and_year_in_every_block(backend: LocalBackend) -> None:
    report = venues_report(backend)
    text = render_venues(report, "table", width=80).decode("utf-8")
    lines = text.splitlines()
    headers = [line for line in lines if line.startswith("Venue ")]
    assert len(headers) >= 2 and all(h.split()[:2] == ["Venue", "Year"] for h in headers)
    assert "…" not in text and all(len(line.rstrip()) <= 80 for line in lines)
    shown = {word for h in headers for word in h.split()}
    assert {"Works", "Kind", "Peer-reviewed", "oral", "spotlight", "findings"} <= shown
    assert "ICLR" in text and "2024" in text


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "table"])
def test_byte_identical_across_runs(backend: LocalBackend, fmt: common.ReportFormat) -> None:
    first = render_coverage(coverage_report(backend), fmt, width=200)
    second = render_coverage(coverage_report(backend), fmt, width=200)
    assert first == second
    assert render_venues(venues_report(backend), fmt, width=200) == render_venues(
        venues_report(backend), fmt, width=200
    )
    assert render_timeline(timeline_report(backend), fmt, width=200) == render_timeline(
        timeline_report(backend), fmt, width=200
    )


def test_html_is_byte_identical_in_another_process(bundled_store_dir: Path, coverage: CoverageReport) -> None:
    here = render_coverage(coverage, "html")
    assert here == render_coverage(coverage, "html")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from interp_kg.sparql.query import LocalBackend\n"
        "from interp_kg.reports.coverage import coverage_report, render_coverage\n"
        "from interp_kg.store.builds import open_store\n"
        "report = coverage_report(LocalBackend(open_store(Path(sys.argv[1]))))\n"
        "sys.stdout.buffer.write(render_coverage(report, 'html'))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script, str(bundled_store_dir)], capture_output=True, check=True, env=env
    )
    assert other.stdout == here


def test_html_is_self_contained_and_escaped(coverage: CoverageReport) -> None:
    page = render_coverage(coverage, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>\n")
    assert page.count("<svg") == 3
    assert "Paper &amp; Blog" in page and "Paper & Blog" not in page
    assert "<script" not in page and "<?xml" not in page
    for forbidden in ("http://", "https://"):
        leftovers = {
            chunk.split('"')[0]
            for chunk in page.split(forbidden)[1:]
            if not chunk.startswith(("www.w3.org/", "w3id.org/interp-kg/"))
        }
        assert not leftovers, f"only namespace IRIs may appear, not {sorted(leftovers)[:3]}"
    assert "Content-Security-Policy" in page


SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_charts_are_inline_svg_without_script_or_url(
    coverage: CoverageReport, venues: VenuesReport, timeline: TimelineReport
) -> None:
    pages = [
        render_coverage(coverage, "html"),
        render_venues(venues, "html"),
        render_timeline(timeline, "html"),
    ]
    names = [["topic-years", "venue-mix", "identifiers"], ["venues"], ["years", "months"]]
    for page, ids in zip(pages, names, strict=True):
        text = page.decode("utf-8")
        svgs = re.findall(r"<svg\b.*?</svg>", text, re.DOTALL)
        assert [re.search(r'\bid="chart-([^"]+)"', svg).group(1) for svg in svgs] == ids  # type: ignore[union-attr]
        for svg in svgs:
            assert set(re.findall(r"https?://[^\s\"'<>)]*", svg)) <= SVG_NAMESPACES
            assert "pygal.js" not in svg and "<script" not in svg and "<!--" not in svg
            assert "<?xml" not in svg and "<desc" not in svg
            assert "<title>" in svg, "marks have native tooltips"
            ET.fromstring(svg)  # well-formed XML


def test_labels_are_escaped_everywhere(tmp_path: Path) -> None:
    build([write(tmp_path / "list.md", HOSTILE)], tmp_path / "store")
    report = coverage_report(LocalBackend(open_store(tmp_path / "store")))
    label = "Q&A <script>alert(1)</script> costs $x$ | more"
    assert report.rows[0].label == label
    page = render_coverage(report, "html").decode("utf-8")
    assert "<script" not in page
    assert "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt; costs $x$ | more" in page
    charts = "".join(re.findall(r"<svg\b.*?</svg>", page, re.DOTALL))
    assert "Q&amp;A &lt;script&gt;alert(1)&lt;/script&gt; costs $x$ | more" in charts, "in the charts too"
    md = render_coverage(report, "md").decode("utf-8")
    assert "| Q&A &lt;script>alert(1)&lt;/script> costs $x$ \\| more | 1 |" in md


def test_html_pages_of_venues_and_timeline(venues: VenuesReport, timeline: TimelineReport) -> None:
    assert render_venues(venues, "html").count(b"<svg") == 1
    assert render_timeline(timeline, "html").count(b"<svg") == 2


# -- venues and timeline ----------------------------------------------------------------------


def test_venues_add_up_to_the_works(venues: VenuesReport) -> None:
    assert venues.works_total == 209
    assert sum(r.works for r in venues.rows) == 209, "every work has at most one venue"
    assert venues.rows[0].label == "arXiv", "the venue with the most works first"
    assert (venues.rows[-1].venue, venues.rows[-1].label, venues.rows[-1].works) == (None, "(no venue)", 14)


def test_venue_years_with_presentation_kinds(venues: VenuesReport) -> None:
    iclr_2024 = next(r for r in venues.rows if r.label == "ICLR" and r.year == 2024)
    assert (iclr_2024.works, iclr_2024.kind, iclr_2024.peer_reviewed) == (20, "conference", True)
    assert iclr_2024.presentations == {
        "oral": 2,
        "spotlight": 3,
        "poster": 0,
        "findings": 0,
        "workshop": 0,
        "tutorial": 0,
        "demo": 0,
    }
    findings = {
        (r.label, r.year): r.presentations["findings"] for r in venues.rows if r.presentations["findings"]
    }
    assert findings == {("EMNLP", 2023): 2, ("ACL", 2023): 2}
    blackbox = [r for r in venues.rows if r.label == "BlackboxNLP Workshop"]
    assert [(r.year, r.works) for r in blackbox] == [(None, 0)], "a venue with no work keeps one row"


def test_venues_csv(venues: VenuesReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render_venues(venues, "csv").decode("utf-8"), newline="")))
    assert len(rows) == len(venues.rows)
    iclr = next(r for r in rows if r["label"] == "ICLR" and r["year"] == "2024")
    assert (iclr["presentation_oral"], iclr["presentation_spotlight"], iclr["peer_reviewed"]) == (
        "2",
        "3",
        "true",
    )


def test_timeline_counts_every_work_once_per_scope(
    timeline: TimelineReport, coverage: CoverageReport
) -> None:
    scopes = timeline.scopes()
    assert scopes[0] == (None, "All works")
    assert [label for _, label in scopes[1:]] == ["Tutorial", "Code", "Survey", "Video", "Paper & Blog"]
    assert sum(r.works for r in timeline.rows if r.topic is None) == 209
    for topic, _ in scopes[1:]:
        assert (
            sum(r.works for r in timeline.rows if r.topic == topic) == row(coverage, str(topic)).works_total
        )
    grid = timeline.grid(None)
    assert grid[2024][2] == 37  # 35 by the list's arXiv ids, 2 more by the ids their records hold
    assert {str(y): sum(months.values()) for y, months in grid.items() if y} == coverage.totals.works_per_year
    assert grid[None] == {None: 20}  # no year in the list, no curated date


def test_timeline_json_and_markdown(timeline: TimelineReport) -> None:
    doc = json.loads(render_timeline(timeline, "json"))
    assert set(doc) == {"report", "rows"}
    assert set(doc["rows"][0]) == {"topic", "label", "year", "month", "works"}
    md = render_timeline(timeline, "md").decode("utf-8")
    assert md.count("\n## ") == 6
    total = next(line for line in md.splitlines() if line.startswith("| Total |"))
    assert len(_md_cells(total)) == 15 and total.endswith("| 209 |"), "all works first"


# -- the command line -------------------------------------------------------------------------


def test_cli_formats(bundled_store_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(bundled_store_dir)
    piped = runner.invoke(cli_report.report_app, ["coverage", "--store", store])
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.startswith(",".join(CSV_COLUMNS)), "csv when stdout is not a terminal"
    out = tmp_path / "coverage.md"
    written = runner.invoke(
        cli_report.report_app, ["coverage", "--store", store, "-o", str(out), "--thin", "7"]
    )
    assert written.exit_code == 0, written.output
    assert out.read_text("utf-8").startswith("# Topic coverage"), "the suffix picks Markdown"
    assert "1 to 6 works" in out.read_text("utf-8")
    assert "Built from awesome-llm-interpretability.md (list version 2024-04" in out.read_text("utf-8")
    for command in ("venues", "timeline"):
        result = runner.invoke(cli_report.report_app, [command, "--store", store, "-f", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["report"] == command


def test_cli_notes_works_without_topic_on_csv(synthetic_store: Path) -> None:
    result = CliRunner().invoke(
        cli_report.report_app, ["coverage", "--store", str(synthetic_store), "-f", "csv"]
    )
    assert result.exit_code == 0
    assert "1 work(s) listed under no topic" in result.stderr


def test_cli_without_a_store(tmp_path: Path) -> None:
    from interp_kg.errors import StoreError

    result = CliRunner().invoke(cli_report.report_app, ["coverage", "--store", str(tmp_path / "none")])
    assert isinstance(result.exception, StoreError)
    assert result.exception.exit_code == 3


def test_cli_choices_and_defaults_are_the_library_ones() -> None:
    assert COMMAND_FORMATS["report"] == common.REPORT_FORMATS
    options = inspect.signature(cli_report.coverage).parameters
    assert (options["thin"].default, options["stale_before"].default) == (DEFAULT_THIN, DEFAULT_STALE_BEFORE)
    assert options["no_tool_min_papers"].default == DEFAULT_NO_TOOL_MIN


def test_report_queries_stay_out_of_the_catalogue() -> None:
    from interp_kg.curation.saved_queries import load_catalogue

    names = set(load_catalogue(common.reports_queries_dir()))
    assert {"coverage-tree", "coverage-facts", "timeline", "venue-years"} <= names
    assert not names & set(load_catalogue())


def test_docstring_examples() -> None:
    assert doctest.testmod(common).failed == 0


def test_the_html_page_links_rows_and_defines_every_flag_and_colour(coverage: CoverageReport) -> None:
    from typing import get_args

    from interp_kg.reports.coverage import Flag

    html = render_coverage(coverage, "html").decode("utf-8")
    assert f'<a href="{SPARSE_CODING}">Sparse Coding</a>' in html
    for flag in get_args(Flag):
        assert f"<dt>{flag}</dt>" in html, flag
    for term in ("Flags column", "Works per year (chart)", "Identifier shares (chart)"):
        assert f"<dt>{term}</dt>" in html
    assert "General</a>" in html and " \u203a General</a>" in html  # repeated labels with their parent


def test_the_timeout_of_every_report_is_the_library_one() -> None:
    for command in (cli_report.coverage, cli_report.venues, cli_report.timeline, cli_report.authors):
        assert inspect.signature(command).parameters["timeout"].default == common.QUERY_TIMEOUT
    assert inspect.signature(cli_report.wikidata).parameters["timeout"].default == common.QUERY_TIMEOUT


@pytest.mark.parametrize(
    "name", ["coverage-facts", "coverage-tree", "papers-missing-facts", "wikidata-unlinked"]
)
def test_a_folded_query_reads_the_rows_one_at_a_time_and_all_of_them(
    backend: LocalBackend, name: str
) -> None:
    seen: dict[str, object] = {}

    def fold(variables: object, rows: object) -> list[tuple[object, ...]]:
        seen["rows"] = type(rows)  # not the rows: they belong to the thread that reads them
        return [tuple(None if t is None else t.value for t in row) for row in rows]  # type: ignore[attr-defined]

    folded = common.fold_report_query(backend, name, fold)
    whole = common.report_result(backend, name)
    assert not issubclass(seen["rows"], (list, tuple))  # type: ignore[arg-type]  # read as they come
    assert sorted(folded, key=repr) == sorted(
        (tuple(None if t is None else t.value for t in row) for row in whole.rows), key=repr
    )


def test_a_fold_that_outlasts_the_timeout_raises(backend: LocalBackend) -> None:
    import threading

    from interp_kg.errors import QueryTimeout

    release = threading.Event()

    def fold(variables: object, rows: object) -> None:
        release.wait()  # held until the caller has given up

    try:
        with pytest.raises(QueryTimeout, match=r"0\.2 s"):
            common.fold_report_query(backend, "work-count", fold, timeout=0.2)
    finally:
        release.set()


def test_a_query_error_in_a_fold_is_a_query_error(
    backend: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from interp_kg.errors import QueryError

    broken = dataclasses.replace(common.report_query("work-count"), text="SELECT ?x {")
    monkeypatch.setattr(common, "report_query", lambda name: broken)
    with pytest.raises(QueryError, match="syntax error"):
        common.fold_report_query(backend, "work-count", lambda variables, rows: list(rows))


def test_cli_timeout_is_given_to_the_queries(bundled_store_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli_report.report_app,
        [
            "coverage",
            "--store",
            str(bundled_store_dir),
            "-f",
            "json",
            "-o",
            str(tmp_path / "c.json"),
            "--timeout",
            "120",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["report"] == "coverage"
    refused = CliRunner().invoke(
        cli_report.report_app, ["venues", "--store", str(bundled_store_dir), "--timeout", "0"]
    )
    assert refused.exit_code == 2
