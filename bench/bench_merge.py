"""Benchmark several lists in one store against one list of as many entries (issue 18.3).

Three builds, each into a fresh store, as a subprocess (``interp-kg build ... --store DIR -q``):

- **one list**: ``gen_list.py`` writes one list of ``--entries`` entries (seed 0);
- **N lists**: ``--lists`` lists of ``entries / lists`` entries each (seeds 1..N), given in one
  command; nearly disjoint, as lists by different people with their own seeds are;
- **N lists, shared**: the same N lists, but in lists 2..N a share (``--overlap``, 10%) of the
  entry lines is replaced by entry lines of list 1 (the same titles and links): those works are
  merged into one node with a listing per list, as works several lists name are.

The three alternate in each of ``--repeat`` rounds (their order rotating), so that drift in the
machine's load hits them alike. Figures: the median wall time of each, the median of the
in-process time the build records (``build.json`` ``seconds``), the median CPU time (user and
system, steadier than wall time on a loaded machine), peak RSS, and the ratio of each N-list
build to the one-list build (wall time: per round and of the medians; CPU time: of the medians).
Target (issue 18): the N-list builds within 1.2x of the one-list build::

    python3 bench/bench_merge.py [--entries 50000] [--lists 5] [--repeat 3] [--out bench/out]

Output: a table on stdout, everything in ``OUT/merge.json``. Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
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
    environment,
    fresh_dir,
    measure,
    read_build_info,
    remove,
)

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 1.2


def shared(text: str, donor: str, share: float, seed: int) -> str:
    """``text`` with a ``share`` of its top-level entry lines (``* **``) replaced by entry lines of
    ``donor``: the same number of entries, some of them ``donor``'s works."""
    rng = random.Random(seed)
    given = [line for line in donor.split("\n") if line.startswith("* **")]
    out = []
    for line in text.split("\n"):
        if line.startswith("* **") and rng.random() < share:
            line = given[rng.randrange(len(given))]
        out.append(line)
    return "\n".join(out)


def make_lists(args: argparse.Namespace) -> dict[str, list[Path]]:
    """The lists of each case (generated once, kept in OUT/lists)."""
    folder = args.out / "lists"
    folder.mkdir(parents=True, exist_ok=True)
    one = folder / f"list-{args.entries}-seed0.md"
    if not one.exists():
        gen_list.write_list(args.entries, one, 0)
    each = args.entries // args.lists
    parts = []
    for seed in range(1, args.lists + 1):
        path = folder / f"list-{each}-seed{seed}.md"
        if not path.exists():
            gen_list.write_list(each, path, seed)
        parts.append(path)
    donor = parts[0].read_text(encoding="utf-8")
    overlapping = [parts[0]]
    for n, path in enumerate(parts[1:], 2):
        out = folder / f"list-{each}-seed{n}-shared.md"
        out.write_text(shared(path.read_text(encoding="utf-8"), donor, args.overlap, n), encoding="utf-8")
        overlapping.append(out)
    return {
        "one list": [one],
        f"{args.lists} lists": parts,
        f"{args.lists} lists, shared": overlapping,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=50_000, help="entries in all (default: 50000)")
    ap.add_argument("--lists", type=int, default=5, help="lists the entries are split into (default: 5)")
    ap.add_argument("--overlap", type=float, default=0.1, help="share of entries in common (default: 0.1)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (default: 3)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="output directory (default: bench/out)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed (1800)")
    add_command_options(ap, "the project's Python (for the versions)")
    args = ap.parse_args(argv)
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    args.sizes, args.seed = [args.entries], 0  # for environment()
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    cases = make_lists(args)
    series = {name: Series() for name in cases}
    in_process: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    infos: dict[str, dict[str, Any]] = {}
    ratios: dict[str, list[float]] = {name: [] for name in cases if name != "one list"}
    results: dict[str, Any] = {"environment": environment(args)}
    started = time.perf_counter()
    names = list(cases)
    try:
        for r in range(args.repeat):
            order = names[r % len(names) :] + names[: r % len(names)]
            walls = {}
            for name in order:
                store = fresh_dir(work, "store-")
                cmd = [args.interp_kg, "build", *map(str, cases[name]), "--store", str(store), "-q"]
                run = measure(cmd, args.timeout)
                if run.returncode != 0:
                    raise BenchError(f"{name}: exit {run.returncode}: {run.stderr.strip()[-800:]}")
                info = read_build_info(store)
                infos[name] = info
                series[name].add(run)
                in_process[name].append(info["seconds"])
                cpu[name].append(round(run.cpu_s, 3))
                walls[name] = run.wall_s
                remove(store)
                print(
                    f"  round {r + 1} {name:<22} {run.wall_s:7.2f} s (in process {info['seconds']:.2f} s, "
                    f"CPU {run.cpu_s:.2f} s)",
                    flush=True,
                )
            for name in ratios:
                ratios[name].append(round(walls[name] / walls["one list"], 3))
    except BenchError as exc:
        print(f"bench_merge: {exc}", file=sys.stderr)
        return 1
    one = statistics.median(series["one list"].wall_s)
    one_cpu = statistics.median(cpu["one list"])
    rows = []
    for name in names:
        info = infos[name]
        median = statistics.median(series[name].wall_s)
        rows.append(
            {
                "case": name,
                "lists": len(cases[name]),
                "entries": info["entries"],
                "works": sum(info["works"].values()),
                "triples": info["triples"],
                **series[name].summary(),
                "runs_s": series[name].wall_s,
                "in_process_median_s": round(statistics.median(in_process[name]), 3),
                "cpu_median_s": round(statistics.median(cpu[name]), 3),
                "cpu_runs_s": cpu[name],
                "cpu_ratio": round(statistics.median(cpu[name]) / one_cpu, 3),
                "ratio": round(median / one, 3),
                "paired_ratios": ratios.get(name, []),
            }
        )
    results["rows"] = rows
    results["target_ratio"] = TARGET_RATIO
    env = results["environment"]
    env["loadavg_end"] = os.getloadavg()
    env["total_s"] = round(time.perf_counter() - started, 1)
    print(
        f"\nmeasured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, git {env['git']}"
        f"{' (dirty)' if env['git_dirty'] else ''}; load {env['loadavg_start'][0]:.1f} -> "
        f"{env['loadavg_end'][0]:.1f}; median of {args.repeat}"
    )
    print(
        f"  {'case':<22} {'entries':>8} {'works':>7} {'triples':>9} {'build s':>8} {'(in-proc)':>9} "
        f"{'CPU s':>6} {'MiB':>6} {'ratio':>6} {'CPU':>6}  per round"
    )
    for row in rows:
        passed = row["ratio"] <= TARGET_RATIO
        verdict = "" if row["case"] == "one list" else ("  PASS" if passed else "  FAIL")
        print(
            f"  {row['case']:<22} {row['entries']:>8,} {row['works']:>7,} {row['triples']:>9,} "
            f"{row['median_s']:>8.2f} {row['in_process_median_s']:>9.2f} {row['cpu_median_s']:>6.2f} "
            f"{row['rss_max_mib']:>6.0f} {row['ratio']:>5.2f}x {row['cpu_ratio']:>5.2f}x  "
            f"{', '.join(f'{x:.2f}x' for x in row['paired_ratios'])}{verdict}"
        )
    path = args.out / "merge.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {env['total_s']} s)")
    with contextlib.suppress(OSError):
        work.rmdir()
    return 0 if all(r["ratio"] <= TARGET_RATIO for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
