"""Time two or more versions of a saved query side by side, in one process, on one store.

The machine is shared, so a rewrite is judged by its ratio to the query it replaces, measured
in the same rounds: each round runs every version once, in an order that rotates from round to
round (no version always runs first). Each run is what ``interp-kg query NAME`` and
``bench_query.py`` run: ``LocalBackend(open_store(STORE)).execute(with_limit(text, LIMIT), bind(...))``.
The rows of each version are compared with the first version's: ``same`` (same rows, same order),
``same set`` (same rows, another order) or ``DIFFERENT``.

Versions: the saved query as committed at ``--rev`` (default ``main``), the working tree's
``queries/NAME.rq``, and any ``--file``::

    python3 bench/compare_queries.py STORE topic-tree --repeat 9
    python3 bench/compare_queries.py STORE search-titles -p keyword=circuit --file v2.rq
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def committed_text(rev: str, name: str) -> str:
    """``queries/NAME.rq`` as committed at ``rev``."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:queries/{name}.rq"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"git show {rev}:queries/{name}.rq: {out.stderr.strip()}")
    return out.stdout


def verdict(rows: list[tuple[str | None, ...]], base: list[tuple[str | None, ...]]) -> str:
    if rows == base:
        return "same"
    if sorted(rows, key=repr) == sorted(base, key=repr):
        return "same set"
    return "DIFFERENT"


def main(argv: list[str] | None = None) -> int:
    from interp_kg.curation.saved_queries import parse_saved
    from interp_kg.sparql.query import LocalBackend, bind, with_limit
    from interp_kg.store.builds import open_store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path, help="a store built by `interp-kg build` (opened read-only)")
    ap.add_argument("name", help="the saved query, e.g. topic-tree")
    ap.add_argument("--rev", default="main", help="git revision of the baseline (default: main)")
    ap.add_argument("--file", type=Path, action="append", default=[], help="another version; repeatable")
    ap.add_argument("-p", "--param", action="append", default=[], help="NAME=VALUE; repeatable")
    ap.add_argument("--repeat", type=int, default=5, help="rounds (default: 5)")
    ap.add_argument(
        "--limit", type=int, default=1000, help="row limit, 0 for none (default: 1000, the CLI's)"
    )
    args = ap.parse_args(argv)

    versions = {f"{args.rev}": committed_text(args.rev, args.name)}
    versions["worktree"] = (ROOT / "queries" / f"{args.name}.rq").read_text(encoding="utf-8")
    for path in args.file:
        versions[path.name] = path.read_text(encoding="utf-8")
    values = dict(item.split("=", 1) for item in args.param)
    backend = LocalBackend(open_store(args.store))
    runs = {}
    for label, text in versions.items():
        query = parse_saved(args.name, text)
        runs[label] = (with_limit(query.text, args.limit or None), bind(query, values, backend, 120))

    labels = list(runs)
    times: dict[str, list[float]] = {label: [] for label in labels}
    rows: dict[str, list[tuple[str | None, ...]]] = {}
    for i in range(args.repeat):
        shift = i % len(labels)
        for label in labels[shift:] + labels[:shift]:
            text, bindings = runs[label]
            start = time.perf_counter()
            result = backend.execute(text, bindings, "select", 120)
            times[label].append(time.perf_counter() - start)
            rows[label] = [tuple(None if t is None else str(t) for t in row) for row in result.rows]
    base = statistics.median(times[labels[0]])
    for label in labels:
        median = statistics.median(times[label])
        each = " ".join(f"{t:.2f}" for t in times[label])
        print(
            f"{args.name} {label:>12}: median {median:.3f} s  ratio {median / base:.2f}  "
            f"rows {len(rows[label])}  {verdict(rows[label], rows[labels[0]])}  runs {each}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
