"""Benchmark ``interp-kg site build``: the bundled list and synthetic lists of N entries.

For each case a store is built once (not timed; synthetic lists from ``bench/gen_list.py``), then
``--repeat`` runs of ``interp-kg site build -o DIR --store STORE`` as a subprocess, each into a
fresh DIR: wall time (median), CPU time, the load average before it, and peak RSS (``os.wait4`` on the
child, which counts its reaped worker processes too: the maximum of the parent and each worker).
The DIRs are deleted after the last case, not timed and not between runs (the file creation
right after deleting many files is slower here). Targets: the bundled list under 2 s, 100,000
entries under 60 s, memory flat (the peak RSS at 100k close to that at 10k, not ten times it).

    python3 bench/bench_site.py --sizes 10000,100000 --repeat 3

Results: a table on stdout, every run in ``OUT/site.json``. Reuses ``bench_build.py``'s helpers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_list  # bench/ is not a package: imported from beside this file
from bench_build import add_command_options, checked, environment, fresh_dir, read_build_info, remove

TARGETS = {"bundled": 2.0, 100_000: 60.0}


def bench_case(
    name: str, store: Path, args: argparse.Namespace, work: Path, done: list[Path]
) -> dict[str, Any]:
    """``--repeat`` builds of the site of ``store``; their folders go to ``done``, deleted after
    every case has run (deleting many files here slows the file creation that follows)."""
    runs = []
    for _ in range(args.repeat):
        out = fresh_dir(work, "site-")
        load = os.getloadavg()[0]
        cmd = [
            args.interp_kg,
            "site",
            "build",
            "-o",
            str(out),
            "--store",
            str(store),
            "--jobs",
            str(args.jobs),
        ]
        run = checked(cmd, args.timeout, f"site build ({name})")
        files = sum(1 for p in out.rglob("*") if p.is_file())
        runs.append(
            {
                "wall_s": run.wall_s,
                "cpu_s": run.cpu_s,
                "peak_rss_mib": run.peak_rss_mib,
                "files": files,
                "loadavg_1min_before": load,
                "stdout": run.stdout,
            }
        )
        done.append(out)
    info = read_build_info(store)
    return {
        "case": name,
        "entries": info["entries"],
        "works": sum(info["works"].values()),
        "triples": info["triples"],
        "runs": runs,
        "median_s": statistics.median(r["wall_s"] for r in runs),
        "max_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "files": runs[0]["files"],
    }


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes", default="10000,100000", type=lambda s: [int(x) for x in s.split(",") if x.strip()]
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (default: 3)")
    ap.add_argument("--jobs", type=int, default=0, help="--jobs of site build (default: 0, the CPUs up to 2)")
    ap.add_argument("--out", type=Path, default=here / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a run is killed (default: 1800)"
    )
    add_command_options(ap, "the project's Python")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "site-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    env = environment(args)
    started = time.perf_counter()
    results = []
    stores: list[tuple[str, Path]] = []
    bundled = work / "store-bundled"
    checked([args.interp_kg, "build", "--store", str(bundled), "-q"], args.timeout, "build (bundled)")
    stores.append(("bundled", bundled))
    for n in args.sizes:
        lists = args.out / "lists"
        lists.mkdir(exist_ok=True)
        source = lists / f"list-{n}-seed{args.seed}.md"
        if not source.exists():
            gen_list.write_list(n, source, seed=args.seed)
        store = work / f"store-{n}"
        checked(
            [args.interp_kg, "build", str(source), "--store", str(store), "-q"], args.timeout, f"build ({n})"
        )
        stores.append((str(n), store))
    done: list[Path] = []
    for name, store in stores:
        result = bench_case(name, store, args, work, done)
        results.append(result)
        walls = ", ".join(
            f"{r['wall_s']:.2f} (cpu {r['cpu_s']:.1f}, load {r['loadavg_1min_before']:.1f})"
            for r in result["runs"]
        )
        print(
            f"{name:>8}: {result['entries']:>7,} entries, {result['triples']:>9,} triples, "
            f"{result['files']:>7,} files: site build {result['median_s']:.2f} s (median of "
            f"{args.repeat}; runs {walls}), peak RSS {result['max_rss_mib']:.0f} MiB",
            flush=True,
        )
    env["loadavg_end"] = os.getloadavg()
    env["total_s"] = round(time.perf_counter() - started, 1)
    (args.out / "site.json").write_text(json.dumps({"environment": env, "results": results}, indent=2) + "\n")
    for result in results:
        key: Any = "bundled" if result["case"] == "bundled" else int(result["case"])
        if key in TARGETS:
            ok = result["median_s"] < TARGETS[key]
            print(
                f"target {result['case']} < {TARGETS[key]:.0f} s: {'PASS' if ok else 'FAIL'} "
                f"({result['median_s']:.2f} s)"
            )
    print(
        f"load average {env['loadavg_start']} -> {env['loadavg_end']}; git {env['git']}; "
        f"total {env['total_s']} s"
    )
    for out in done:
        remove(out)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
