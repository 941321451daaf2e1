"""Time two or more versions of a saved query side by side, in one process, on one store.

The machine is shared, so a rewrite is judged by its ratio to the query it replaces, measured
in the same rounds: each round runs every version once, in an order that rotates from round to
round (no version always runs first). Each run is what ``interp-kg query NAME`` and
``bench_query.py`` run: ``LocalBackend(open_store(STORE)).execute(with_limit(text, LIMIT), bind(...))``.
The rows of each version are compared with the first version's: ``same`` (same rows, same order),
``same set`` (same rows, another order) or ``DIFFERENT``.

Versions: the saved query as committed at ``--rev`` (default ``main``), the working tree's
``queries/NAME.rq`` (when it differs), any ``--file``, and with ``--narrowed`` the working tree's
query as the CLI runs it now: ``run_saved`` of :mod:`interp_kg.sparql.narrow` on the store's
build, narrowed by its title index when the query is declared in ``NARROWED`` (the index is made
first if the build has none: ``--first-use`` reports what that cost, once, before the rounds)::

    python3 bench/compare_queries.py STORE topic-tree --repeat 9
    python3 bench/compare_queries.py STORE search-titles -p keyword=circuit --file v2.rq
    python3 bench/compare_queries.py STORE search-titles -p keyword=the --narrowed --cli --first-use

``--cli`` also times the command end to end, ``interp-kg query NAME -p ... --store STORE -f csv
--limit LIMIT --timeout 600`` in a fresh Python, the code at ``--rev`` (``git archive`` of its ``src/``,
``data/``, ``queries/`` and ``ontology/``, run with ``PYTHONPATH``) against the working tree's,
alternating, ``--repeat`` rounds: median wall
and CPU (user + system of the child, ``os.wait4``) seconds, their ratios, and whether the two print
the same bytes. ``--first-use`` (with ``--narrowed``) removes the build's title index and times
the first run that makes it: in process (``titles.load``), then, removed again, through the CLI.
The store's build folder must be writable for the index (copy a store you may not change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


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


def exported_src(rev: str, into: Path) -> Path:
    """``src/`` (with the data, queries and ontology it reads) as committed at ``rev``, written under
    ``into`` (``git archive``)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "data", "queries", "ontology"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev} src: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "src"


def cli_rounds(args: argparse.Namespace, params: list[str]) -> None:
    """The CLI end to end, the code at ``--rev`` against the working tree's, alternating."""
    from bench_build import measure

    cmd = [sys.executable, "-m", "interp_kg", "query", args.name, *params]
    cmd += ["--store", str(args.store), "-f", "csv", "--limit", str(args.limit), "--timeout", "600"]
    with tempfile.TemporaryDirectory(prefix="compare-queries-") as tmp:
        paths = {args.rev: exported_src(args.rev, Path(tmp)), "worktree": ROOT / "src"}
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label in paths}
        printed: dict[str, str] = {}
        for i in range(args.repeat):
            order = list(paths) if i % 2 == 0 else list(paths)[::-1]
            for label in order:
                env = {**os.environ, "PYTHONPATH": str(paths[label])}
                run = measure(cmd, 600, env=env)
                if run.returncode != 0:
                    raise SystemExit(f"{label}: exit {run.returncode}: {run.stderr.strip()}")
                runs[label].append((run.wall_s, run.cpu_s))
                printed[label] = run.stdout
    base_wall = statistics.median(w for w, _ in runs[args.rev])
    base_cpu = statistics.median(c for _, c in runs[args.rev])
    for label, measured in runs.items():
        wall = statistics.median(w for w, _ in measured)
        cpu = statistics.median(c for _, c in measured)
        each = " ".join(f"{w:.2f}/{c:.2f}" for w, c in measured)
        same = "same" if printed[label] == printed[args.rev] else "DIFFERENT"
        print(
            f"{args.name} cli {label:>8}: median wall {wall:.3f} s (ratio {wall / base_wall:.2f})  "
            f"cpu {cpu:.3f} s (ratio {cpu / base_cpu:.2f})  output {same}  runs wall/cpu {each}"
        )


def first_use(args: argparse.Namespace, params: list[str]) -> None:
    """The cost of making the title index: in process, then through the CLI (index removed first)."""
    from bench_build import measure

    from interp_kg.store import titles
    from interp_kg.store.builds import current_build

    build = current_build(args.store)
    (build / titles.INDEX_FILE).unlink(missing_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    index = titles.load(build)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if index is None:
        raise SystemExit(f"no title index could be made in {build}")
    size = (build / titles.INDEX_FILE).stat().st_size / 2**20
    print(
        f"title index made in process: {wall:.3f} s wall, {cpu:.3f} s CPU; {len(index)} works, {size:.1f} MiB"
    )
    (build / titles.INDEX_FILE).unlink()
    cmd = [sys.executable, "-m", "interp_kg", "query", args.name, *params]
    run = measure(
        [*cmd, "--store", str(args.store), "-f", "csv"],
        600,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    print(
        f"first CLI run (makes the index): {run.wall_s:.3f} s wall, {run.cpu_s:.3f} s CPU, "
        f"{run.peak_rss_mib:.0f} MiB"
    )


def main(argv: list[str] | None = None) -> int:
    from interp_kg.curation.saved_queries import parse_saved
    from interp_kg.sparql.narrow import run_saved
    from interp_kg.sparql.query import LocalBackend, bind, with_limit
    from interp_kg.store.builds import open_build

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
    ap.add_argument("--narrowed", action="store_true", help="also the query as the CLI runs it (run_saved)")
    ap.add_argument("--cli", action="store_true", help="also end to end through the CLI, --rev vs worktree")
    ap.add_argument("--first-use", action="store_true", help="time making the title index first")
    args = ap.parse_args(argv)
    params = [arg for item in args.param for arg in ("-p", item)]
    if args.first_use:
        first_use(args, params)

    versions = {f"{args.rev}": committed_text(args.rev, args.name)}
    worktree = (ROOT / "queries" / f"{args.name}.rq").read_text(encoding="utf-8")
    if worktree != versions[args.rev]:  # the same text would be timed twice
        versions["worktree"] = worktree
    for path in args.file:
        versions[path.name] = path.read_text(encoding="utf-8")
    values = dict(item.split("=", 1) for item in args.param)
    store, build = open_build(args.store)
    backend = LocalBackend(store, build=build)
    limit = args.limit or None
    runs = {}
    for label, text in versions.items():
        query = parse_saved(args.name, text)
        bindings = bind(query, values, backend, 120)
        limited = with_limit(query.text, limit)
        runs[label] = lambda t=limited, b=bindings: backend.execute(t, b, "select", 120)
    if args.narrowed:
        query = parse_saved(args.name, worktree)
        bindings = bind(query, values, backend, 120)
        runs["narrowed"] = lambda q=query, b=bindings: run_saved(backend, q, b, limit, 120)

    labels = list(runs)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in labels}
    rows: dict[str, list[tuple[str | None, ...]]] = {}
    for i in range(args.repeat):
        shift = i % len(labels)
        for label in labels[shift:] + labels[:shift]:
            start, cpu = time.perf_counter(), time.process_time()
            result = runs[label]()
            times[label].append((time.perf_counter() - start, time.process_time() - cpu))
            rows[label] = [tuple(None if t is None else str(t) for t in row) for row in result.rows]
    base = statistics.median(w for w, _ in times[labels[0]])
    base_cpu = statistics.median(c for _, c in times[labels[0]])
    for label in labels:
        median = statistics.median(w for w, _ in times[label])
        cpu = statistics.median(c for _, c in times[label])
        each = " ".join(f"{w:.2f}" for w, _ in times[label])
        print(
            f"{args.name} {label:>12}: median {median:.3f} s  ratio {median / base:.2f}  "
            f"cpu {cpu:.3f} s (ratio {cpu / base_cpu:.2f})  "
            f"rows {len(rows[label])}  {verdict(rows[label], rows[labels[0]])}  runs {each}"
        )
    if args.cli:
        cli_rounds(args, params)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
