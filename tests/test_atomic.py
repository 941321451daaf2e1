"""The one writer of kept files (:mod:`interp_kg.atomic`): whole files only, permissions and links
kept, an edit made since the read refused, and failures leave the old file and no litter.
(A kill at every step of a write, in a real process, is in tests/test_curated_writes.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interp_kg import atomic


def litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_write_replaces_the_whole_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old and longer\n")
    target.chmod(0o640)
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert litter(tmp_path) == []


def test_a_new_file_gets_the_usual_permissions_and_its_folder(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic.write_bytes(tmp_path / "a" / "b" / "f.bin", b"\x00\x01")
    finally:
        os.umask(umask)
    assert (tmp_path / "a" / "b" / "f.bin").stat().st_mode & 0o777 == 0o644


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic.write_text(link, '{"a": 1}')
    assert link.is_symlink() and real.read_text() == '{"a": 1}'


def test_an_edit_since_the_read_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "mapping.json"
    target.write_text("read\n")
    _, seen = atomic.read(target)
    target.write_text("a person's edit\n")
    with pytest.raises(
        atomic.FileChanged, match=r"mapping\.json changed since it was read: not written; do X"
    ):
        atomic.write_text(target, "ours\n", expect=seen, hint="do X")
    assert target.read_text() == "a person's edit\n"
    assert litter(tmp_path) == []


def test_a_file_created_since_it_was_found_absent_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "proposals.jsonl"
    data, seen = atomic.read(target)
    assert data is None and seen.sha256 is None
    target.write_text("someone's\n")
    with pytest.raises(atomic.FileChanged):
        atomic.write_text(target, "ours\n", expect=seen)


def test_an_unchanged_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_text("same\n")
    _, seen = atomic.read(target)
    atomic.write_text(target, "next\n", expect=seen)
    assert target.read_text() == "next\n"


def test_a_failed_write_is_one_line_and_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f"
    target.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(atomic.WriteError, match=rf"^cannot write {target}: No space left on device$"):
        atomic.write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert litter(tmp_path) == []


def test_a_folder_that_cannot_hold_the_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(atomic.WriteError, match="cannot write"):
        atomic.write_text(blocker / "x.json", "{}")


def test_a_directory_is_replaced_whole(tmp_path: Path) -> None:
    site, new = tmp_path / "site", tmp_path / ".site.partial"
    (site / "old").mkdir(parents=True)
    (new / "fresh").mkdir(parents=True)
    atomic.replace_directory(new, site)
    assert [p.name for p in site.iterdir()] == ["fresh"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    newer = tmp_path / ".site.partial"
    (newer / "newest").mkdir(parents=True)
    atomic.replace_directory(newer, tmp_path / "absent")
    assert (tmp_path / "absent" / "newest").is_dir()
