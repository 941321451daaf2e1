"""Benchmark ``interp-kg build`` against the physical floor of loading the same graph into Oxigraph.

For each size N (``--sizes``) a synthetic list of N entries is generated once with
``bench/gen_list.py`` (not timed). Then, ``--repeat`` rounds side by side, in alternating order:

* **build**: ``interp-kg build LIST --store DIR -q`` in a subprocess, into a fresh DIR each run:
  wall time and the peak RSS of that one child (``os.wait4``).
* **floor**: a subprocess that bulk-loads the same graph's N-Triples into a fresh on-disk
  pyoxigraph store (``Store(dir).bulk_load(path=nt, format=RdfFormat.N_TRIPLES)``, then
  ``flush()``): Python start-up, the pyoxigraph import and the load, nothing else. The N-Triples
  file is the one the first build loaded (``graph.nt`` of the build, copied, not timed): the same
  triples in the same order.

Also measured: the build of the bundled list (``interp-kg build --store DIR -q``) and the CLI
start-up (``interp-kg --help``) beside a bare ``python -c pass``.

Results are printed as tables and written to ``OUT/build.json``. Run it with the project's venv::

    python3 bench/bench_build.py --sizes 1000,10000,100000 --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_list  # bench/ is not a package: imported from beside this file

#: Targets printed beside the figures.
TARGET_RATIO = 1.5  # every size builds in under 1.5x the floor's time (issue 20)...
TARGET_RSS_MIB = 2048.0  # ...with peak memory under 2 GiB (the cap is for 1M entries)
TARGET_BUNDLED_S = 0.5  # the bundled list builds in "well under a second": checked as < 0.5 s

FLOOR_SCRIPT = """\
import sys
import pyoxigraph

store = pyoxigraph.Store(sys.argv[1])
store.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.N_TRIPLES)
store.flush()
"""


@dataclass
class Run:
    """One measured subprocess."""

    wall_s: float
    peak_rss_mib: float
    returncode: int
    stdout: str = ""
    stderr: str = ""
    cpu_s: float = 0.0  # user + system time of the child (and its reaped children)


@dataclass
class Series:
    """Repeated runs of one command: the figures and their summary."""

    wall_s: list[float] = field(default_factory=list)
    peak_rss_mib: list[float] = field(default_factory=list)

    def add(self, run: Run) -> None:
        """Record one run."""
        self.wall_s.append(round(run.wall_s, 4))
        self.peak_rss_mib.append(round(run.peak_rss_mib, 1))

    def summary(self) -> dict[str, float]:
        """Median, min and max of the wall time; median and max of the peak RSS."""
        return {
            "median_s": round(statistics.median(self.wall_s), 4),
            "min_s": min(self.wall_s),
            "max_s": max(self.wall_s),
            "rss_median_mib": round(statistics.median(self.peak_rss_mib), 1),
            "rss_max_mib": max(self.peak_rss_mib),
        }


class BenchError(RuntimeError):
    """A measured command failed: the benchmark stops and says which and why."""


def measure(
    cmd: Sequence[str], timeout: float, env: dict[str, str] | None = None, kill_mib: float | None = None
) -> Run:
    """Run ``cmd`` and measure its wall time and its own peak RSS (``os.wait4`` on its pid).

    ``RUSAGE_CHILDREN`` would give the maximum over every child so far; ``wait4`` gives the
    rusage of this one child (and its own reaped children). The child is killed after ``timeout``,
    and when its RSS passes ``kill_mib`` (checked twice a second: the machine is shared).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, _kill, (proc.pid,))
        timer.start()
        done = threading.Event()
        if kill_mib is not None:
            threading.Thread(target=_guard, args=(proc.pid, kill_mib, done), daemon=True).start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall_s=wall,
            peak_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
            returncode=proc.returncode,
            cpu_s=usage.ru_utime + usage.ru_stime,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def _guard(pid: int, kill_mib: float, done: threading.Event) -> None:
    """Kill ``pid`` once its RSS passes ``kill_mib`` MiB (until ``done``)."""
    while not done.wait(0.5):
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                rss_kib = next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError):
            return
        if rss_kib / 1024 > kill_mib:
            _kill(pid)
            return


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def checked(cmd: Sequence[str], timeout: float, what: str) -> Run:
    """:func:`measure`, raising :class:`BenchError` with the command and its stderr on failure."""
    run = measure(cmd, timeout)
    if run.returncode != 0:
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit {run.returncode}): {' '.join(cmd)}\n{tail}")
    return run


def read_build_info(store: Path) -> dict[str, Any]:
    """The ``build.json`` of the store's current build."""
    data: dict[str, Any] = json.loads((store / "current" / "build.json").read_text(encoding="utf-8"))
    return data


def fresh_dir(work: Path, prefix: str) -> Path:
    """A new, not yet existing directory path under ``work`` (the command creates it)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=work)) / "d"


def remove(path: Path) -> None:
    """Delete a run's directory (its parent was made by :func:`fresh_dir`)."""
    shutil.rmtree(path.parent, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# The measurements
# --------------------------------------------------------------------------------------------


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Generate a list of ``n`` entries, then time build and floor side by side."""
    lists = args.out / "lists"
    lst = lists / f"list-{n}-seed{args.seed}.md"
    stats = gen_list.ensure_list(n, lst, args.seed)
    nt = work / f"graph-{n}.nt"
    build, floor = Series(), Series()
    in_process: list[float] = []
    info: dict[str, Any] = {}
    ratios: list[float] = []
    print(f"\n== {n} entries: {lst} ({lst.stat().st_size / 2**20:.1f} MiB)", flush=True)
    for r in range(args.repeat):
        order = ("build", "floor") if r % 2 == 0 else ("floor", "build")
        pair: dict[str, float] = {}
        for what in order:
            target = fresh_dir(work, f"{what}-{n}-")
            try:
                if what == "build":
                    cmd = [args.interp_kg, "build", str(lst), "--store", str(target), "-q"]
                    run = checked(cmd, args.timeout, f"build of {n} entries")
                    build.add(run)
                    info = read_build_info(target)
                    in_process.append(float(info["seconds"]))
                    if not nt.exists():  # the floor's input: what this first build loaded
                        shutil.copyfile(target / "current" / "graph.nt", nt)
                else:
                    cmd = [args.python, "-c", FLOOR_SCRIPT, str(target), str(nt)]
                    run = checked(cmd, args.timeout, f"floor load of {n} entries")
                    floor.add(run)
            finally:
                remove(target)
            pair[what] = run.wall_s
            print(f"   round {r + 1}: {what:5} {run.wall_s:8.2f} s  {run.peak_rss_mib:7.0f} MiB", flush=True)
        ratios.append(round(pair["build"] / pair["floor"], 3))
    checks = {
        "entries": [info.get("entries"), stats.entries],
        "works": [sum(info.get("works", {}).values()), stats.expected_works],
        "works_by_kind": [info.get("works"), stats.works],
    }
    mismatches = [k for k, (got, want) in checks.items() if got != want]
    b, f = build.summary(), floor.summary()
    result: dict[str, Any] = {
        "size": n,
        "list": str(lst),
        "list_bytes": lst.stat().st_size,
        "ntriples_bytes": nt.stat().st_size,
        "entries": info.get("entries"),
        "bullets": info.get("bullets"),
        "works": info.get("works"),
        "topics": info.get("topics"),
        "triples": info.get("triples"),
        "build": {
            **b,
            "runs_s": build.wall_s,
            "rss_runs_mib": build.peak_rss_mib,
            "in_process_median_s": round(statistics.median(in_process), 3),
            "in_process_runs_s": in_process,
        },
        "floor": {**f, "runs_s": floor.wall_s, "rss_runs_mib": floor.peak_rss_mib},
        "ratio": round(b["median_s"] / f["median_s"], 3),
        "paired_ratios": ratios,
        "generator": {**asdict(stats), "expected_works": stats.expected_works},
        "count_checks": checks,
        "count_mismatches": mismatches,
    }
    if not args.keep:
        nt.unlink(missing_ok=True)
    return result


def bench_bundled(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The bundled list's build, ``args.bundled_runs`` times."""
    series = Series()
    in_process: list[float] = []
    info: dict[str, Any] = {}
    for _ in range(args.bundled_runs):
        target = fresh_dir(work, "bundled-")
        try:
            series.add(
                checked(
                    [args.interp_kg, "build", "--store", str(target), "-q"],
                    args.timeout,
                    "build of the bundled list",
                )
            )
            info = read_build_info(target)
            in_process.append(float(info["seconds"]))
        finally:
            remove(target)
    return {
        **series.summary(),
        "runs_s": series.wall_s,
        "rss_runs_mib": series.peak_rss_mib,
        "in_process_median_s": round(statistics.median(in_process), 3),
        "entries": info.get("entries"),
        "triples": info.get("triples"),
    }


def bench_startup(args: argparse.Namespace) -> dict[str, Any]:
    """``interp-kg --help`` beside ``python -c pass``, alternating, ``args.startup_runs`` rounds."""
    cli, bare = Series(), Series()
    for r in range(args.startup_runs):
        steps = [(cli, [args.interp_kg, "--help"]), (bare, [args.python, "-c", "pass"])]
        for series, cmd in steps if r % 2 == 0 else steps[::-1]:
            series.add(checked(cmd, args.timeout, "start-up"))
    c, p = cli.summary(), bare.summary()
    return {
        "cli_help": {**c, "runs_s": cli.wall_s},
        "python_pass": {**p, "runs_s": bare.wall_s},
        "overhead_s": round(c["median_s"] - p["median_s"], 4),
    }


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict[str, Any]) -> str:
    """The figures as text tables, with the targets beside them."""
    env = results["environment"]
    lines: list[str] = [
        f"measured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, "
        f"pyoxigraph {env['pyoxigraph']}, "
        f"git {env['git']}{' (dirty)' if env['git_dirty'] else ''}, source digest {env['source_digest']}, "
        f"load average {env['loadavg_start'][0]:.1f} -> {env['loadavg_end'][0]:.1f}"
    ]
    if env["source_digest_end"] != env["source_digest"]:
        lines.append(f"!! the project's code changed during the run (digest now {env['source_digest_end']})")
    sizes: list[dict[str, Any]] = results["sizes"]
    head = (
        f"{'entries':>8} {'works':>7} {'triples':>9} {'build s':>8} {'(in-proc)':>9} {'floor s':>8} "
        f"{'build/floor':>11} {'build MiB':>9} {'floor MiB':>9}"
    )
    lines += [
        "",
        "Build vs floor (medians; MiB = peak RSS of the child, max over runs)",
        head,
        "-" * len(head),
    ]
    for s in sizes:
        b = s["build"]
        f = s["floor"]
        works = sum(s["works"].values())
        lines.append(
            f"{s['entries']:>8} {works:>7} {s['triples']:>9} {b['median_s']:>8.2f} "
            f"{b['in_process_median_s']:>9.2f} {f['median_s']:>8.2f} {s['ratio']:>10.2f}x "
            f"{b['rss_max_mib']:>9.0f} {f['rss_max_mib']:>9.0f}"
        )
        if s["count_mismatches"]:
            lines.append(f"   !! counts differ from the generator's: {s['count_checks']}")
    lines.append("")
    for s in sizes:
        ratio, rss = float(s["ratio"]), float(s["build"]["rss_max_mib"])
        lines.append(
            f"target: {s['size']:,} entries build < {TARGET_RATIO:g}x floor: {ratio:.2f}x  "
            f"{_verdict(ratio < TARGET_RATIO)}; peak RSS < {TARGET_RSS_MIB:.0f} MiB: {rss:.0f} MiB  "
            f"{_verdict(rss < TARGET_RSS_MIB)} (floor {s['floor']['rss_max_mib']:.0f} MiB)"
        )
    bundled = results["bundled"]
    lines.append(
        f"target: bundled list ({bundled['entries']} entries, {bundled['triples']} triples) builds "
        f"< {TARGET_BUNDLED_S:g} s: {bundled['median_s']:.3f} s median "
        f"(in-process {bundled['in_process_median_s']:.3f} s, {bundled['rss_max_mib']:.0f} MiB)  "
        f"{_verdict(bundled['median_s'] < TARGET_BUNDLED_S)}"
    )
    st = results["startup"]
    lines.append(
        f"start-up: interp-kg --help {st['cli_help']['median_s']:.3f} s median, python -c pass "
        f"{st['python_pass']['median_s']:.3f} s (overhead {st['overhead_s']:.3f} s)"
    )
    return "\n".join(lines)


def source_digest(root: Path) -> str:
    """SHA-256 (first 12 hex digits) of the project's code and data: which code was measured,
    even when the working tree has uncommitted changes."""
    digest = hashlib.sha256()
    for path in sorted([*(root / "src").rglob("*.py"), *(root / "data").glob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def environment(args: argparse.Namespace) -> dict[str, Any]:
    """Where and with what the figures were measured."""

    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(
                cmd, capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": out([args.python, "-c", "import sys; print(sys.version.split()[0])"]),
        "pyoxigraph": out([args.python, "-c", "import pyoxigraph; print(pyoxigraph.__version__)"]),
        "interp_kg": args.interp_kg,
        "git": out(["git", "rev-parse", "--short", "HEAD"]),
        "git_dirty": bool(out(["git", "status", "--porcelain", "--untracked-files=no"])),
        "source_digest": source_digest(Path(__file__).resolve().parent.parent),
        "loadavg_start": os.getloadavg(),
        "sizes": args.sizes,
        "repeat": args.repeat,
        "seed": args.seed,
    }


def add_command_options(ap: argparse.ArgumentParser, python_help: str) -> None:
    """``--interp-kg`` (default: the command next to the running Python, else on PATH) and
    ``--python`` (default: the running Python), shared by the benchmarks."""
    venv_cli = Path(sys.executable).parent / "interp-kg"
    ap.add_argument(
        "--interp-kg",
        default=str(venv_cli) if venv_cli.exists() else shutil.which("interp-kg"),
        help="the interp-kg command (default: next to this Python, else on PATH)",
    )
    ap.add_argument("--python", default=sys.executable, help=python_help)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="1000,10000,100000",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="comma-separated list sizes in entries (default: 1000,10000,100000)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="rounds of build and floor per size (default: 3)")
    ap.add_argument("--out", type=Path, default=here / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument("--bundled-runs", type=int, default=5, help="builds of the bundled list (default: 5)")
    ap.add_argument("--startup-runs", type=int, default=10, help="start-up rounds (default: 10)")
    ap.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a run is killed (default: 1800)"
    )
    add_command_options(ap, "Python with pyoxigraph, for the floor")
    ap.add_argument("--keep", action="store_true", help="keep the floor's N-Triples files in OUT/work")
    args = ap.parse_args(argv)
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    if args.repeat < 1 or not args.sizes:
        ap.error("--repeat must be >= 1 and --sizes non-empty")
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    results: dict[str, Any] = {"environment": environment(args)}
    started = time.perf_counter()
    try:
        print("== start-up and the bundled list", flush=True)
        results["startup"] = bench_startup(args)
        results["bundled"] = bench_bundled(args, work)
        results["sizes"] = [bench_size(n, args, work) for n in args.sizes]
    except BenchError as exc:
        print(f"bench_build: {exc}", file=sys.stderr)
        return 1
    finally:
        with contextlib.suppress(OSError):
            work.rmdir()  # empty unless --keep
    results["targets"] = {
        "ratio_below": TARGET_RATIO,
        "rss_below_mib": TARGET_RSS_MIB,
        "at_sizes": "every size measured",
        "bundled_below_s": TARGET_BUNDLED_S,
    }
    results["environment"]["loadavg_end"] = os.getloadavg()
    results["environment"]["source_digest_end"] = source_digest(here.parent)
    results["environment"]["total_s"] = round(time.perf_counter() - started, 1)
    text = report(results)
    print(text)
    path = args.out / "build.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {results['environment']['total_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
