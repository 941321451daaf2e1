"""Benchmark the reports: every ``interp-kg report`` in every ``--format``, end to end.

Two measurements, reported side by side within one run (the machine is shared and noisy):

1. **Bundled list.** Built into a fresh store (not timed). Every report (the commands of
   ``interp-kg report``, read off the CLI) in every format (:data:`REPORT_FORMATS`) is run as
   ``interp-kg report NAME --store DIR -f FORMAT -o FILE`` (a subprocess), ``--repeat`` rounds;
   each round also runs the start-up floor, ``interp-kg --help`` and a bare ``python -c pass``,
   their order alternating. Per report and format: the median, the start-up share (``--help``
   median / report median) and PASS/FAIL against :data:`TARGET_BUNDLED_S`.
2. **Large store** (``--size``, default 100,000 entries): a synthetic list from
   ``bench/gen_list.py``, built once (not timed). The same commands, ``--large-repeat`` rounds
   each (a run is killed after ``--timeout`` seconds and counted as a failure), against
   :data:`TARGET_LARGE_S`.

The issue's targets: every report on the bundled store "in well under a second", checked as
< 0.5 s; on a 100k-entry store under 5 s. Results are printed as tables and written to
``OUT/reports.json``::

    python3 bench/bench_reports.py [--size 100000] [--repeat 5] [--out bench/out]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_list  # bench/ is not a package: imported from beside this file
from bench_build import (
    BenchError,
    Series,
    add_command_options,
    checked,
    environment,
    fresh_dir,
    measure,
    remove,
    source_digest,
)

HERE = Path(__file__).resolve().parent

#: Targets printed beside the figures.
TARGET_BUNDLED_S = 0.5  # "well under a second" on the bundled list, end to end
TARGET_LARGE_S = 5.0  # on a 100k-entry store, end to end
#: Reports measured a second time with an option that changes what they list.
VARIANTS = [("authors", "--missing")]
SUFFIXES = {"table": "txt", "md": "md", "csv": "csv", "json": "json", "html": "html"}


def report_names() -> list[str]:
    """The reports: the commands registered on ``interp-kg report``."""
    from interp_kg.cli.report import report_app

    commands = report_app.registered_commands
    names = sorted(c.name or (c.callback.__name__ if c.callback else "") for c in commands)
    return sorted(names + [f"{name} {option}" for name, option in VARIANTS if name in names])


def report_formats() -> list[str]:
    """Every ``--format`` of the reports."""
    from interp_kg.reports.common import REPORT_FORMATS

    return list(REPORT_FORMATS)


def command(args: argparse.Namespace, name: str, fmt: str, store: Path, out: Path) -> list[str]:
    """The measured command: one report in one format into a file."""
    target = out / f"{name.replace(' --', '-')}.{SUFFIXES.get(fmt, fmt)}"
    return [args.interp_kg, "report", *name.split(), "--store", str(store), "-f", fmt, "-o", str(target)]


def build_store(args: argparse.Namespace, work: Path, prefix: str, source: Path | None) -> Path:
    """A store of ``source`` (the bundled list when None), built once, not timed."""
    store = fresh_dir(work, prefix)
    # the large store is built with --optimize (compacted): how a user would build a big list
    extra = ["--optimize"] if source else []
    cmd = [args.interp_kg, "build", *([str(source)] if source else []), *extra, "--store", str(store), "-q"]
    checked(cmd, 3600, f"build of {source or 'the bundled list'}")
    return store


def bench_bundled(args: argparse.Namespace, work: Path, cases: list[tuple[str, str]]) -> dict[str, Any]:
    """Every case ``args.repeat`` times on the bundled store, beside the start-up floor."""
    store = build_store(args, work, "bundled-", None)
    out = fresh_dir(work, "out-")
    out.mkdir()
    series = {case: Series() for case in cases}
    cli, bare = Series(), Series()
    try:
        for r in range(args.repeat):
            floor = [(cli, [args.interp_kg, "--help"]), (bare, [args.python, "-c", "pass"])]
            for s, cmd in floor if r % 2 == 0 else floor[::-1]:
                s.add(checked(cmd, args.timeout, "start-up"))
            order = cases if r % 2 == 0 else cases[::-1]
            for name, fmt in order:
                s = series[(name, fmt)]
                s.add(checked(command(args, name, fmt, store, out), args.timeout, f"report {name} -f {fmt}"))
            print(f"  bundled round {r + 1}/{args.repeat} done", flush=True)
    finally:
        remove(store)
        remove(out)
    help_s = statistics.median(cli.wall_s)
    rows = []
    for (name, fmt), s in series.items():
        median = statistics.median(s.wall_s)
        rows.append(
            {
                "report": name,
                "format": fmt,
                **s.summary(),
                "runs_s": s.wall_s,
                "startup_share": round(help_s / median, 3),
                "pass": median < TARGET_BUNDLED_S,
            }
        )
    return {
        "rows": rows,
        "cli_help": {**cli.summary(), "runs_s": cli.wall_s},
        "python_pass": {**bare.summary(), "runs_s": bare.wall_s},
    }


def bench_large(args: argparse.Namespace, work: Path, cases: list[tuple[str, str]]) -> dict[str, Any]:
    """Every case ``args.large_repeat`` times on a store of a synthetic list of ``args.size``."""
    lists = args.out / "lists"
    lists.mkdir(parents=True, exist_ok=True)
    source = lists / f"list-{args.size}-seed{args.seed}.md"
    if not source.exists():
        gen_list.write_list(args.size, source, seed=args.seed)
    started = time.perf_counter()
    if args.large_store:
        store, build_s = args.large_store, None
        print(f"  using the store {store} (read only; --large-store)", flush=True)
    else:
        print(f"  building a store of {source.name} (not timed)", flush=True)
        store = build_store(args, work, "large-", source)
        build_s = round(time.perf_counter() - started, 1)
    out = fresh_dir(work, "out-")
    out.mkdir()
    rows = []
    try:
        for name, fmt in cases:
            s, failures, cpu = Series(), [], []
            for _ in range(args.large_repeat):
                run = measure(command(args, name, fmt, store, out), args.timeout)
                s.add(run)
                cpu.append(round(run.cpu_s, 2))
                if run.returncode != 0:
                    failures.append(f"exit {run.returncode}: {run.stderr.strip()[-200:]}")
            summary = s.summary()
            rows.append(
                {
                    "report": name,
                    "format": fmt,
                    **summary,
                    "runs_s": s.wall_s,
                    "cpu_median_s": statistics.median(cpu),
                    "cpu_runs_s": cpu,
                    "failures": failures,
                    "pass": not failures and summary["median_s"] < TARGET_LARGE_S,
                }
            )
            failed = " (failed)" if failures else ""
            print(f"  {name} -f {fmt}: {summary['median_s']:.2f} s{failed}", flush=True)
    finally:
        if not args.large_store:
            remove(store)
        remove(out)
    return {"size": args.size, "store": str(args.large_store or ""), "build_s": build_s, "rows": rows}


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict[str, Any]) -> str:
    """The figures as text tables, with the targets beside them."""
    env = results["environment"]
    b = results["bundled"]
    lines = [
        f"measured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, "
        f"pyoxigraph {env['pyoxigraph']}, git {env['git']}{' (dirty)' if env['git_dirty'] else ''}, "
        f"load average {env['loadavg_start'][0]:.1f} -> {env['loadavg_end'][0]:.1f}",
        "",
        f"bundled list, median of {results['repeat']} "
        f"(target < {TARGET_BUNDLED_S} s, 'well under a second'):",
        f"  start-up: interp-kg --help {b['cli_help']['median_s']:.3f} s, "
        f"python -c pass {b['python_pass']['median_s']:.3f} s",
        f"  {'report':<18} {'format':<6} {'median s':>9} {'min s':>7} {'max s':>7} {'start-up':>9}  target",
    ]
    for r in b["rows"]:
        lines.append(
            f"  {r['report']:<18} {r['format']:<6} {r['median_s']:>9.3f} {r['min_s']:>7.3f} "
            f"{r['max_s']:>7.3f} {r['startup_share']:>8.0%}  {_verdict(r['pass'])}"
        )
    if "large" in results:
        g = results["large"]
        built = f"the store {g['store']}" if g["store"] else f"built in {g['build_s']} s, not timed"
        lines += [
            "",
            f"{g['size']:,}-entry synthetic store ({built}), "
            f"median of {results['large_repeat']} (target < {TARGET_LARGE_S} s; cpu: user + system):",
            f"  {'report':<18} {'format':<6} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>6} "
            f"{'MiB':>6}  target",
        ]
        for r in g["rows"]:
            note = f"  ({len(r['failures'])} failed: {r['failures'][0]})" if r["failures"] else ""
            lines.append(
                f"  {r['report']:<18} {r['format']:<6} {r['median_s']:>9.2f} {r['min_s']:>7.2f} "
                f"{r['max_s']:>7.2f} {r['cpu_median_s']:>6.2f} {r['rss_max_mib']:>6.0f}  "
                f"{_verdict(r['pass'])}{note}"
            )
    if env["source_digest"] != env.get("source_digest_end"):
        lines.append("!! the code changed while the benchmark ran: the figures mix two versions")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="entries of the large list (default: 100000)")
    ap.add_argument("--no-large", action="store_true", help="measure the bundled list only")
    ap.add_argument("--repeat", type=int, default=5, help="rounds on the bundled list (default: 5)")
    ap.add_argument(
        "--large-repeat", type=int, default=3, help="runs per case on the large store (default: 3)"
    )
    ap.add_argument("--out", type=Path, default=HERE / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument(
        "--timeout", type=float, default=120, help="seconds before a run is killed (default: 120)"
    )
    add_command_options(ap, "Python for the bare start-up floor")
    ap.add_argument(
        "--large-store",
        type=Path,
        help="an existing store of the --size list to measure instead of building one (read only; "
        "default: build one)",
    )
    args = ap.parse_args(argv)
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    if args.repeat < 1 or args.large_repeat < 1:
        ap.error("--repeat and --large-repeat must be >= 1")
    args.sizes = [] if args.no_large else [args.size]  # for environment()
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    cases = [(name, fmt) for name in report_names() for fmt in report_formats()]
    results: dict[str, Any] = {
        "environment": environment(args),
        "repeat": args.repeat,
        "large_repeat": args.large_repeat,
        "pythonpath": os.environ.get("PYTHONPATH", ""),
    }
    started = time.perf_counter()
    try:
        print(f"== bundled list: {len(cases)} report/format cases x {args.repeat}", flush=True)
        results["bundled"] = bench_bundled(args, work, cases)
        if not args.no_large:
            print(f"== {args.size:,}-entry list", flush=True)
            results["large"] = bench_large(args, work, cases)
    except BenchError as exc:
        print(f"bench_reports: {exc}", file=sys.stderr)
        return 1
    finally:
        with contextlib.suppress(OSError):
            work.rmdir()
    results["targets"] = {"bundled_below_s": TARGET_BUNDLED_S, "large_below_s": TARGET_LARGE_S}
    results["environment"]["loadavg_end"] = os.getloadavg()
    results["environment"]["source_digest_end"] = source_digest(HERE.parent)
    results["environment"]["total_s"] = round(time.perf_counter() - started, 1)
    text = report(results)
    print(text)
    path = args.out / "reports.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {results['environment']['total_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
