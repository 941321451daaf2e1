"""``interp-kg diff`` keeps each version's work facts on disk (:mod:`interp_kg.diff.facts`), in
buckets by IRI path, and compares them a bucket at a time: the same changes as comparing them whole,
and the temporary folder gone afterwards, whatever happens."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from interp_kg.diff import changes, facts
from interp_kg.diff.changes import ListDiff, diff_files, diff_texts, render
from interp_kg.diff.facts import BUCKETS, FactsFile, WorkFacts, bucket_of, join_by_slug
from interp_kg.errors import SourceError
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "diff"
OLD, NEW = DATA / "old.md", DATA / "new.md"


def _work(slug: str, title: str = "T") -> WorkFacts:
    return WorkFacts(
        slug, "paper", title, (("arxiv", "2401.00001"),), ("https://x.org/" + slug,), ("topic/a",)
    )


def _files(folder: Path, old: list[WorkFacts], new: list[WorkFacts]) -> tuple[FactsFile, FactsFile]:
    out = []
    for name, works in (("old", old), ("new", new)):
        f = FactsFile(folder / name)
        for w in works:
            f.add(w)
        f.close()
        out.append(f)
    return out[0], out[1]


def test_every_work_is_read_back_once_paired_by_slug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "FLUSH_RECORDS", 7)  # many chunks per bucket
    old = [_work(f"paper/w{i}", f"old {i}") for i in range(0, 900)]
    new = [_work(f"paper/w{i}", f"new {i}") for i in range(300, 1200)]
    old_file, new_file = _files(tmp_path, old, new)
    assert (old_file.count, new_file.count) == (900, 900)
    joined = list(join_by_slug(old_file, new_file))
    pairs = {(o.slug if o else None, n.slug if n else None) for o, n in joined}
    assert len(joined) == len(pairs) == 1200
    assert pairs == {
        (f"paper/w{i}" if i < 900 else None, f"paper/w{i}" if i >= 300 else None) for i in range(1200)
    }
    back = {o.slug: o for o, _ in joined if o is not None}
    assert [back[w.slug] for w in old] == old  # the facts as they were written, as plain tuples
    assert len({bucket_of(w.slug) for w in old}) == BUCKETS


def test_bucket_of_is_stable() -> None:
    # the same bucket in every process: CRC-32 of the UTF-8 path, not Python's salted hash()
    assert bucket_of("paper/arxiv-2302.12461") == 798469935 % BUCKETS


def test_a_version_with_no_works(tmp_path: Path) -> None:
    old_file, new_file = _files(tmp_path, [], [_work("paper/a")])
    assert [(o, n.slug if n else None) for o, n in join_by_slug(old_file, new_file)] == [(None, "paper/a")]
    d = diff_texts("# L\n## A\nno works here\n", "# L\n## A\n* **A** [[blog]](https://t.pub/a)\n")
    assert [w.slug for w in d.works.added] == ["paper/a"] and d.summary.works.old == 0


def _temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_temporary_folder_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _temp_root(tmp_path, monkeypatch)
    seen: list[list[str]] = []
    real = changes.diff_versions

    def spy(*args: Any, **kwargs: Any) -> ListDiff:
        seen.append(sorted(p.name for p in root.glob("interp-kg-diff-*/*")))
        return real(*args, **kwargs)

    monkeypatch.setattr(changes, "diff_versions", spy)
    assert diff_files(OLD, NEW).changed
    assert seen == [["new.facts", "old.facts"]]
    assert list(root.iterdir()) == []


def test_the_temporary_folder_is_removed_when_a_version_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _temp_root(tmp_path, monkeypatch)
    with pytest.raises(SourceError):
        diff_files(OLD, tmp_path / "missing.md")
    empty = write(tmp_path / "empty.md", "")
    with pytest.raises(SourceError):
        diff_files(OLD, empty)
    assert list(root.iterdir()) == []


def test_bucket_size_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = diff_files(OLD, NEW)
    monkeypatch.setattr(facts, "FLUSH_RECORDS", 1)
    monkeypatch.setattr(facts, "BUCKETS", 1)
    one = diff_files(OLD, NEW)
    monkeypatch.setattr(facts, "BUCKETS", 3)
    three = diff_files(OLD, NEW)
    for fmt in ("json", "text", "ntriples"):
        assert render(one, fmt) == render(whole, fmt) == render(three, fmt)


def test_headings_renamed_without_their_iris_are_matched_by_their_works() -> None:
    # two top-level headings renamed at once keep no IRI (the registry cannot tell which is which):
    # the diff matches them by the works under them and their sub-topics, the only works it keeps
    # in memory for that
    old = (
        "# L\n## Interp\n### Circuits\n"
        + "".join(f"* **C{i}** [[arxiv]](https://arxiv.org/abs/2401.{i:05d})\n" for i in range(6))
        + "## Other\n* **O** [[blog]](https://t.pub/o)\n"
    )
    new = old.replace("## Interp", "## Interpretability").replace("## Other", "## Elsewhere\n### Sub")
    d = diff_texts(old, new)
    renamed = sorted((t.old_label, t.label, t.old_iri != t.iri) for t in d.topics.renamed)
    assert renamed == [("Interp", "Interpretability", True), ("Other", "Elsewhere", True)]
    assert [t.path for t in d.topics.added] == ["Elsewhere > Sub"]
    (moved,) = d.works.moved
    assert (moved.slug, [t.path for t in moved.from_topics], [t.path for t in moved.to_topics]) == (
        "paper/o",
        ["Other"],
        ["Elsewhere > Sub"],
    )
    assert d.summary.works.unchanged == 6
