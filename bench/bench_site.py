"""Benchmark ``interp-kg site build`` against its floor: writing the same bytes.

For each case (the bundled list, synthetic lists of N entries) a store is built once (not timed;
synthetic lists from ``bench/gen_list.py``; ``--store N=DIR`` reuses a store built before). Then
``--repeat`` rounds, each running side by side, their order alternating (site-floor, floor-site,
...):

- **site**: ``interp-kg site build -o DIR --store STORE --jobs J`` as a subprocess, into a fresh DIR;
- **floor**: a subprocess writing the same files with the same contents with plain Python
  (``open(path, "wb").write(data)``, folders made once each) in J spawned processes, each a
  contiguous slice of the sorted file list, as the site's workers share its pages. Its bytes come
  from one file packing every file of the first site run (made once per case, not timed, read
  through a memory map), so the floor pays for creating and writing the files, nothing else.

Each run: wall time, CPU time (user + system of the child and its reaped processes), the load
average before it, peak RSS (``os.wait4``: the maximum of the parent and each worker) and the
files and bytes written (the floor's are checked equal to the site's). Printed: medians, the
ratio of the medians and each round's ratio. The runs' folders are deleted when every case has
run (not timed), not after each run: on ext4 without a journal, creating files right after hundreds of
thousands were deleted costs the kernel many times more (its inode allocator skips inodes freed in
the last minutes one by one: 68,000 files of 6 kB took 2.3 s after a quiet minute and 26 s right
after a deletion), which would charge one run for the deletion of the one before. A 100k case
needs about 4 GB a run (16 GB with ``--repeat 2``); ``--remove-each`` deletes each run's folder
right after it instead.
Targets: the bundled list under 2 s, 100,000 entries under 30 s, and linear: the time at 100k
within about 10x that at 10k (printed when both sizes run).

    python3 bench/bench_site.py --sizes 10000,100000 --repeat 3

Results: a table on stdout, every run in ``OUT/site.json``. Reuses ``bench_build.py``'s helpers.
"""

from __future__ import annotations

import argparse
import json
import mmap
import multiprocessing
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

TARGETS = {"bundled": 2.0, 100_000: 30.0}


def site_files(root: Path) -> list[tuple[str, int]]:
    """(relative path, size) of every file under ``root``, sorted by path."""
    out = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            out.append((os.path.relpath(path, root), os.path.getsize(path)))
    out.sort()
    return out


def pack(root: Path, blob: Path) -> Path:
    """Every file under ``root`` into ``blob`` (contents back to back) and ``blob.json`` (their
    paths, offsets and sizes): what the floor writes."""
    files = []
    offset = 0
    with blob.open("wb") as out:
        for rel, size in site_files(root):
            out.write((root / rel).read_bytes())
            files.append((rel, offset, size))
            offset += size
    listing = blob.with_suffix(".json")
    listing.write_text(json.dumps(files))
    return listing


def _write_slice(blob: str, files: list[tuple[str, int, int]], out: str) -> int:
    """The floor's worker: write ``files`` (path, offset, size in ``blob``) under ``out``."""
    made: set[str] = set()
    with open(blob, "rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(f.fileno()).st_size else b""
        view = memoryview(data)
        for rel, offset, size in files:
            parent = os.path.dirname(rel)
            if parent not in made:
                os.makedirs(os.path.join(out, parent), exist_ok=True)
                made.add(parent)
            with open(os.path.join(out, rel), "wb") as target:
                target.write(view[offset : offset + size])
        view.release()
    return len(files)


def floor_main(blob: str, listing: str, out: str, jobs: int) -> int:
    """``--floor``: write the packed files under ``out`` in ``jobs`` spawned processes."""
    files = [tuple(x) for x in json.loads(Path(listing).read_text())]
    os.makedirs(out)
    slices = [files[k * len(files) // jobs : (k + 1) * len(files) // jobs] for k in range(jobs)]
    if jobs == 1:
        _write_slice(blob, slices[0], out)  # type: ignore[arg-type]
        return 0
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.starmap(_write_slice, [(blob, part, out) for part in slices])
    return 0


def _record(run: Any, out: Path, load: float) -> dict[str, Any]:
    files = site_files(out)
    return {
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "peak_rss_mib": run.peak_rss_mib,
        "files": len(files),
        "bytes": sum(size for _, size in files),
        "loadavg_1min_before": load,
    }


def bench_case(
    name: str, store: Path, args: argparse.Namespace, work: Path, kept: list[Path]
) -> dict[str, Any]:
    """``--repeat`` rounds of the site of ``store`` and its floor, alternating; the runs' folders
    are added to ``kept`` (deleted by the caller), unless ``--remove-each``."""
    jobs = args.jobs or min(2, os.cpu_count() or 1)
    site_runs: list[dict[str, Any]] = []
    floor_runs: list[dict[str, Any]] = []
    ratios: list[float] = []
    blob = work / f"floor-{name}.bin"
    listing: Path | None = None
    for r in range(args.repeat):
        order = ("site", "floor") if r % 2 == 0 else ("floor", "site")
        pair: dict[str, float] = {}
        for what in order:
            out = fresh_dir(work, f"{what}-")
            load = os.getloadavg()[0]
            if what == "site":
                cmd = [
                    args.interp_kg,
                    "site",
                    "build",
                    "-o",
                    str(out),
                    "--store",
                    str(store),
                    "--jobs",
                    str(jobs),
                ]
                run = checked(cmd, args.timeout, f"site build ({name})")
                record = _record(run, out, load)
                record["stdout"] = run.stdout
                site_runs.append(record)
                if listing is None:
                    listing = pack(out, blob)  # not timed
            else:
                assert listing is not None
                cmd = [args.python, __file__, "--floor", str(blob), str(listing), str(out), str(jobs)]
                run = checked(cmd, args.timeout, f"floor ({name})")
                record = _record(run, out, load)
                floor_runs.append(record)
            pair[what] = record["wall_s"]
            if args.remove_each:
                remove(out)  # not timed
            else:
                kept.append(out)
        ratios.append(pair["site"] / pair["floor"])
    blob.unlink(missing_ok=True)
    if listing is not None:
        listing.unlink(missing_ok=True)
    info = read_build_info(store)
    site_median = statistics.median(r["wall_s"] for r in site_runs)
    floor_median = statistics.median(r["wall_s"] for r in floor_runs)
    same = all((f["files"], f["bytes"]) == (site_runs[0]["files"], site_runs[0]["bytes"]) for f in floor_runs)
    return {
        "case": name,
        "entries": info["entries"],
        "works": sum(info["works"].values()),
        "triples": info["triples"],
        "jobs": jobs,
        "site_runs": site_runs,
        "floor_runs": floor_runs,
        "median_s": site_median,
        "cpu_median_s": statistics.median(r["cpu_s"] for r in site_runs),
        "floor_median_s": floor_median,
        "floor_cpu_median_s": statistics.median(r["cpu_s"] for r in floor_runs),
        "ratio": site_median / floor_median,
        "paired_ratios": [round(x, 3) for x in ratios],
        "max_rss_mib": max(r["peak_rss_mib"] for r in site_runs),
        "floor_max_rss_mib": max(r["peak_rss_mib"] for r in floor_runs),
        "files": site_runs[0]["files"],
        "bytes": site_runs[0]["bytes"],
        "floor_same_bytes": same,
    }


def _runs(runs: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{r['wall_s']:.2f} (cpu {r['cpu_s']:.1f}, load {r['loadavg_1min_before']:.1f})" for r in runs
    )


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--floor":  # the floor's subprocess
        blob, listing, out, jobs = sys.argv[2:6]
        return floor_main(blob, listing, out, int(jobs))
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="10000,100000",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="synthetic list sizes in entries, comma-separated (default: 10000,100000)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="rounds of site and floor per case (default: 3)")
    ap.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="--jobs of site build and the floor's processes (default: 0, the CPUs up to 2)",
    )
    ap.add_argument("--out", type=Path, default=here / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument(
        "--store",
        action="append",
        default=[],
        metavar="N=DIR",
        help="use this store (built from `gen_list.py N`) for size N instead of building one; repeatable",
    )
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled list's case")
    ap.add_argument(
        "--remove-each",
        action="store_true",
        help="delete each run's folder right after it (default: when every case has run; see above)",
    )
    ap.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a run is killed (default: 1800)"
    )
    add_command_options(ap, "the project's Python")
    args = ap.parse_args(argv)
    given = {int(k): Path(v) for k, v in (item.split("=", 1) for item in args.store)}
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "site-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    env = environment(args)
    started = time.perf_counter()
    results = []
    stores: list[tuple[str, Path]] = []
    if not args.no_bundled:
        bundled = work / "store-bundled"
        checked([args.interp_kg, "build", "--store", str(bundled), "-q"], args.timeout, "build (bundled)")
        stores.append(("bundled", bundled))
    for n in args.sizes:
        if n in given:
            stores.append((str(n), given[n]))
            continue
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
    kept: list[Path] = []
    for name, store in stores:
        result = bench_case(name, store, args, work, kept)
        results.append(result)

        print(
            f"{name:>8}: {result['entries']:>7,} entries, {result['triples']:>9,} triples, "
            f"{result['files']:>7,} files, {result['bytes'] / 2**20:,.0f} MiB\n"
            f"          site  {result['median_s']:7.2f} s median (runs {_runs(result['site_runs'])}), "
            f"peak RSS {result['max_rss_mib']:.0f} MiB\n"
            f"          floor {result['floor_median_s']:7.2f} s median (runs {_runs(result['floor_runs'])}), "
            f"peak RSS {result['floor_max_rss_mib']:.0f} MiB, "
            f"same files and bytes: {result['floor_same_bytes']}\n"
            f"          site/floor {result['ratio']:.2f}x (per round "
            f"{', '.join(f'{x:.2f}x' for x in result['paired_ratios'])}); CPU site/floor "
            f"{result['cpu_median_s']:.1f}/{result['floor_cpu_median_s']:.1f} s",
            flush=True,
        )
    for out in kept:
        remove(out)
    env["loadavg_end"] = os.getloadavg()
    env["total_s"] = round(time.perf_counter() - started, 1)
    (args.out / "site.json").write_text(json.dumps({"environment": env, "results": results}, indent=2) + "\n")
    by_case = {r["case"]: r for r in results}
    for result in results:
        key: Any = "bundled" if result["case"] == "bundled" else int(result["case"])
        if key in TARGETS:
            ok = result["median_s"] < TARGETS[key]
            print(
                f"target {result['case']} < {TARGETS[key]:.0f} s: {'PASS' if ok else 'FAIL'} "
                f"({result['median_s']:.2f} s)"
            )
    if "10000" in by_case and "100000" in by_case:
        small, large = by_case["10000"], by_case["100000"]
        print(
            f"10k -> 100k: site {large['median_s'] / small['median_s']:.1f}x, floor "
            f"{large['floor_median_s'] / small['floor_median_s']:.1f}x, "
            f"files {large['files'] / small['files']:.1f}x "
            f"(linear: about 10x)"
        )
    print(
        f"load average {env['loadavg_start']} -> {env['loadavg_end']}; git {env['git']}; "
        f"total {env['total_s']} s"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
