"""``lint`` and ``diff`` read each list batch by batch as it is parsed, keeping entries slim: the
same findings and the same changes as when the whole list comes in one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from interp_kg.catalog.works import CatalogBuilder, build_catalog
from interp_kg.checks.lint import lint_report
from interp_kg.curation.bibliography import Bibliography
from interp_kg.diff.changes import diff_files, diff_texts, render
from interp_kg.source import parse
from interp_kg.source.parse import iter_parse_file, parse_file
from tests.conftest import BUNDLED, write
from tests.test_streaming_build import big_list

REPO = Path(__file__).resolve().parent.parent
OLD, NEW = REPO / "tests/data/diff/old.md", REPO / "tests/data/diff/new.md"
TRICKY = REPO / "tests/golden/tricky.md"


def test_a_parser_that_keeps_nothing_yields_every_entry_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "FINAL_BATCH", 1)  # a batch at every heading
    parser = iter_parse_file(BUNDLED, keep=False)
    batches = []
    while True:
        try:
            batches.append(next(parser)[0])
        except StopIteration as done:
            rest = done.value
            break
    assert len(batches) > 10
    assert [e for b in batches for e in b] + list(rest.entries) == list(parse_file(BUNDLED).entries)


def test_a_catalog_read_batch_by_batch_has_the_works_of_one_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = build_catalog([parse_file(BUNDLED)])
    monkeypatch.setattr(parse, "FINAL_BATCH", 1)
    builder = CatalogBuilder()
    parsed, count = builder.read(BUNDLED.name, iter_parse_file(BUNDLED, keep=False))
    read = builder.catalog()
    assert count == len(parse_file(BUNDLED).entries) > len(parsed.entries)
    # the same works, but slim: listings without their text (a build writes the listing nodes as
    # the entries are parsed); the notes are kept (the graph has them)
    slim = [
        w.model_copy(update={"listings": tuple(x.model_copy(update={"text": ""}) for x in w.listings)})
        for w in whole.works
    ]
    assert any(w.notes for w in slim)
    assert list(read.works) == slim
    assert (read.topics, read.venues, read.authors, read.findings) == (
        whole.topics,
        whole.venues,
        whole.authors,
        whole.findings,
    )


@pytest.mark.parametrize("lists", [[BUNDLED], [TRICKY], [TRICKY, BUNDLED]])
def test_lint_in_batches_finds_what_it_finds_in_one(
    lists: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = lint_report(lists, Bibliography())
    monkeypatch.setattr(parse, "FINAL_BATCH", 1)
    assert lint_report(lists, Bibliography()) == whole
    assert whole.findings and whole.summaries


def test_diff_in_batches_reports_the_same_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = write(tmp_path / "old.md", big_list(600))
    new = write(
        tmp_path / "new.md", big_list(600).replace("Paper 7 ", "Paper seven ").replace("General 2", "G2")
    )
    wholes = [diff_files(OLD, NEW), diff_files(old, new)]
    monkeypatch.setattr(parse, "FINAL_BATCH", 1)
    for whole, again in zip(wholes, [diff_files(OLD, NEW), diff_files(old, new)], strict=True):
        assert whole.changed
        for fmt in ("json", "text", "turtle"):
            assert render(again, fmt) == render(whole, fmt)
    assert wholes[1].summary.works.renamed == 1 and wholes[1].summary.topics.renamed == 1


def test_diff_of_texts_equals_diff_of_files() -> None:
    d = diff_texts(
        OLD.read_text(encoding="utf-8"), NEW.read_text(encoding="utf-8"), old_name=str(OLD), new_name=str(NEW)
    )
    assert render(d, "json") == render(diff_files(OLD, NEW), "json")
