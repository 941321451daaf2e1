"""The checks CI runs besides the tests, run as tests so that the README's one test command runs
them all: ruff (lint and format), mypy (strict), and the version the command line prints.
(The doctests in the docstrings run through pytest's ``--doctest-modules``, see pyproject.toml.)"""

from __future__ import annotations

import subprocess
import sys

from interp_kg import __version__
from tests.conftest import REPO

PATHS = ["src", "tests", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing() -> None:
    proc = _run("ruff", "check", "--no-cache", *PATHS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_changes_nothing() -> None:
    proc = _run("ruff", "format", "--check", "--no-cache", *PATHS)
    assert proc.returncode == 0, "run `ruff format src tests bench`:\n" + proc.stdout + proc.stderr


def test_mypy_strict_finds_nothing() -> None:
    proc = _run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_version_is_printed_from_one_source() -> None:
    proc = _run("interp_kg", "--version")
    assert proc.returncode == 0
    assert proc.stdout == f"interp-kg {__version__}\n"
    from importlib.metadata import version

    assert version("interp-kg") == __version__
