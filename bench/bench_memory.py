"""Peak memory of every ``interp-kg`` command on a large list, for the whole process tree (issue 20).

For each size (``--sizes``; a synthetic list from ``gen_list.py``, seed 0, or ``--list FILE``)
each command runs as a subprocess while this process samples, every ``--interval`` seconds, the
``VmRSS`` of that process and of all its descendants (``/proc/<pid>/status``; the tree found from
the parent pid in ``/proc/<pid>/stat``), summed per sample. A command's peak is the largest sum,
or the largest ``VmHWM`` (the kernel's own peak) of any one process of the tree when that is
larger: the kernel's figure catches a spike of one process between two samples, the sum catches
processes that are large at the same time.

Why not a cgroup's ``memory.peak``: this machine's cgroup v2 hierarchy has no memory controller
(only the v1 one, whose ``max_usage_in_bytes`` also charges the page cache of the files a command
writes: gigabytes for an export), and the cgroups belong to whatever runs the machine.

The commands (``--commands``, default all):

- ``build``: ``interp-kg build LIST --store DIR -q`` into a fresh DIR; beside it ``floor``:
  ``pyoxigraph.Store(dir).bulk_load(path=graph.nt)`` of the same build's N-Triples;
- ``export``: ``interp-kg export -f F -o FILE`` for every RDF format, the first (``ntriples
  cold``) with the build's canonical sorted N-Triples removed so that it pays the sort, and
  ``jsonld wikidata`` (``--profile wikidata``);
- ``report``: every report (``bench_reports.report_names``, or those of ``--reports``) in one format
  (``--report-format``), with ``--timeout`` of ``--report-timeout`` when given;
- ``diff``: the list against an edited copy (``bench_sources.edited``), ``-f json``;
- ``lint``: the list, ``-f json``;
- ``site``: ``interp-kg site build -o DIR`` into a fresh DIR (``--site-options``: more options,
  e.g. ``"--only work --formats html --gzip-dumps"`` for the partitioned site of a large graph);
  its row also gives the files and bytes written.

The store the commands read is the first measured build's, or ``--store DIR`` (built from the same
list; then the build is measured into a fresh folder and deleted). Every command runs ``--repeat``
times, the rounds one after the other; the table shows the median and the largest peak, the cap
(``--cap-mib``, 2 GiB) and PASS/FAIL (the largest peak against the cap)::

    python3 bench/bench_memory.py --sizes 100000
    python3 bench/bench_memory.py --sizes 1000000 --list bench/out/list-1m.md --commands export
    python3 bench/bench_memory.py --sizes 1000000 --list LIST_1M --store STORE_1M --commands site \\
        --site-options "--only work --formats html --gzip-dumps"

Every row also gives the command's CPU time (user + system of it and the processes it waited for).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_list  # bench/ is not a package: imported from beside this file
from bench_build import FLOOR_SCRIPT, add_command_options, environment
from bench_reports import report_names
from bench_sources import edited

HERE = Path(__file__).resolve().parent
COMMANDS = ("build", "export", "report", "diff", "lint", "site")
EXPORTS = ("ntriples", "turtle", "jsonld", "nquads", "rdfxml")
SUFFIX = {"ntriples": "nt", "turtle": "ttl", "jsonld": "jsonld", "nquads": "nq", "rdfxml": "rdf"}
CANONICAL = "graph.sorted.nt"


@dataclass
class Tree:
    """What the samples of one command's process tree saw."""

    peak_sum_kib: int = 0  # the largest sum of VmRSS over the tree in one sample
    peak_hwm_kib: int = 0  # the largest VmHWM of one process of the tree
    at_peak: dict[str, int] = field(default_factory=dict)  # RssAnon/RssFile/RssShmem summed, at peak
    processes: set[tuple[int, int]] = field(default_factory=set)  # (pid, start time) seen
    samples: int = 0

    @property
    def peak_mib(self) -> float:
        return max(self.peak_sum_kib, self.peak_hwm_kib) / 1024


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of ``pid``, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()  # after the command name, which may hold spaces
    return int(fields[1]), int(fields[19])


def _status(pid: int) -> dict[str, int]:
    """The memory lines of ``/proc/<pid>/status`` in KiB (empty once it is gone or a zombie)."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith((b"VmRSS", b"VmHWM", b"RssAnon", b"RssFile", b"RssShmem")):
                    key, value = line.split(b":", 1)
                    out[key.decode()] = int(value.split()[0])
    except OSError:
        pass
    return out


def descendants(root: int) -> list[tuple[int, int]]:
    """``root`` and every process below it, as (pid, start time): one pass over ``/proc``."""
    parents: dict[int, list[tuple[int, int]]] = {}
    own = _stat(root)
    if own is None:
        return []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None:
                parents.setdefault(st[0], []).append((int(name), st[1]))
    found, todo = [(root, own[1])], [root]
    while todo:
        for child in parents.get(todo.pop(), ()):
            found.append(child)
            todo.append(child[0])
    return found


def sample(root: int, tree: Tree) -> None:
    """One sample of the tree under ``root``, folded into ``tree``."""
    total = 0
    parts: dict[str, int] = {"RssAnon": 0, "RssFile": 0, "RssShmem": 0}
    for pid, start in descendants(root):
        status = _status(pid)
        if not status:
            continue
        tree.processes.add((pid, start))
        total += status.get("VmRSS", 0)
        tree.peak_hwm_kib = max(tree.peak_hwm_kib, status.get("VmHWM", 0))
        for key in parts:
            parts[key] += status.get(key, 0)
    tree.samples += 1
    if total > tree.peak_sum_kib:
        tree.peak_sum_kib, tree.at_peak = total, parts


@dataclass
class Run:
    """One measured command."""

    wall_s: float
    peak_mib: float
    peak_sum_mib: float
    peak_hwm_mib: float
    processes: int
    samples: int
    returncode: int
    at_peak_mib: dict[str, float]
    stderr: str = ""
    timed_out: bool = False
    killed_over_mib: float = 0.0  # killed once its tree held more than this
    cpu_s: float = 0.0  # user + system time of the command and the children it waited for
    files: int = 0  # a site: the files it wrote
    bytes: int = 0  # a site: their bytes


def measure(
    cmd: Sequence[str], timeout: float, interval: float, kill_mib: float = 0.0, cwd: Path | None = None
) -> Run:
    """Run ``cmd`` (its own process group: killed whole after ``timeout``, or once its tree holds
    more than ``kill_mib`` when that is set) and sample its tree."""
    tree = Tree()
    with tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=cwd,
            start_new_session=True,
        )
        done = threading.Event()
        over = threading.Event()

        def watch() -> None:
            while not done.is_set():
                sample(proc.pid, tree)
                if kill_mib and tree.peak_mib > kill_mib and not over.is_set():
                    over.set()
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                done.wait(interval)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        timed_out = False
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            done.set()
            watcher.join()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-15:]
    return Run(
        wall_s=round(wall, 3),
        peak_mib=round(tree.peak_mib, 1),
        peak_sum_mib=round(tree.peak_sum_kib / 1024, 1),
        peak_hwm_mib=round(tree.peak_hwm_kib / 1024, 1),
        processes=len(tree.processes),
        samples=tree.samples,
        returncode=proc.returncode,
        at_peak_mib={k: round(v / 1024, 1) for k, v in tree.at_peak.items()},
        stderr="\n".join(tail),
        timed_out=timed_out,
        killed_over_mib=kill_mib if over.is_set() else 0.0,
        cpu_s=round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
    )


def tree_size(root: Path) -> tuple[int, int]:
    """(files, bytes) under ``root``."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(folder, name)).st_size
    return files, size


def fresh(work: Path, prefix: str) -> Path:
    """A path under a new folder of ``work`` (the command creates it)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=work)) / "d"


def cases(args: argparse.Namespace, lst: Path, store: Path, work: Path) -> list[tuple[str, str, list[str]]]:
    """(group, name, command) for every measured command but the build and its floor."""
    ikg = args.interp_kg
    out = work / "out"
    chosen = set(args.commands)
    found: list[tuple[str, str, list[str]]] = []
    if "export" in chosen:
        for i, fmt in enumerate(f for f in (*EXPORTS, "wikidata") if f in args.exports):
            name = f"{fmt} cold" if i == 0 else "jsonld wikidata" if fmt == "wikidata" else fmt
            profile = ["--profile", "wikidata", "-f", "jsonld"] if fmt == "wikidata" else ["-f", fmt]
            file = f"{out}.{SUFFIX.get(fmt, 'jsonld')}"
            found.append(("export", name, [ikg, "export", *profile, "-o", file, "--store", str(store)]))
    if "report" in chosen:
        for name in report_names():
            if args.reports and name not in args.reports:
                continue
            target = ["-o", f"{out}.{args.report_format}", "-f", args.report_format]
            where = [str(lst)] if name == "sources" else ["--store", str(store)]
            if name != "sources" and args.report_timeout:
                where += ["--timeout", f"{args.report_timeout:g}"]
            found.append(("report", name, [ikg, "report", *name.split(), *where, *target]))
    if "diff" in chosen:
        copy = work / "edited.md"
        copy.write_text(edited(lst.read_text(encoding="utf-8")), encoding="utf-8")
        found.append(
            ("diff", "list vs edited", [ikg, "diff", str(lst), str(copy), "-f", "json", "-o", f"{out}.json"])
        )
    if "lint" in chosen:
        found.append(("lint", "list", [ikg, "lint", str(lst), "-f", "json"]))  # no -o: stdout is discarded
    return found


def ok_codes(group: str) -> set[int]:
    """``diff`` exits 1 when the lists differ, ``lint`` 1 or 3 on findings: still a full run."""
    return {0, 1} if group == "diff" else {0, 1, 3} if group == "lint" else {0}


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every chosen command on the list of ``n`` entries, ``--repeat`` rounds."""
    if args.list is not None:
        lst = args.list
    else:
        lst = args.out / "lists" / f"list-{n}-seed{args.seed}.md"
        if not lst.exists():  # deterministic for a seed: made once, kept
            gen_list.write_list(n, lst, args.seed)
    print(f"\n== {n:,} entries: {lst} ({lst.stat().st_size / 2**20:.1f} MiB)", flush=True)
    runs: dict[tuple[str, str], list[Run]] = {}
    store: Path | None = args.store

    def record(group: str, name: str, cmd: list[str], cwd: Path | None = None) -> Run:
        run = measure(cmd, args.timeout, args.interval, args.kill_mib, cwd)
        runs.setdefault((group, name), []).append(run)
        state = "" if run.returncode in ok_codes(group) else f"  exit {run.returncode}: {run.stderr[-300:]}"
        print(f"  {group:<7} {name:<22} {run.wall_s:>9.2f} s {run.peak_mib:>9.0f} MiB{state}", flush=True)
        return run

    for _ in range(args.repeat):
        if "build" in args.commands:
            # a --store not built yet is built here, measured, and kept
            target = store if store is not None and not store.exists() else fresh(work, "build-")
            record("build", "build", [args.interp_kg, "build", str(lst), "--store", str(target), "-q"])
            nt = target / "current" / "graph.nt"
            floor = fresh(work, "floor-")
            record("build", "floor (bulk_load)", [args.python, "-c", FLOOR_SCRIPT, str(floor), str(nt)])
            shutil.rmtree(floor.parent, ignore_errors=True)
            if store is None:
                store = target
            elif store != target:
                shutil.rmtree(target.parent, ignore_errors=True)
            if not (store / "current").exists():
                raise SystemExit(f"the build failed: no store at {store}")
        if store is None:
            raise SystemExit("no store: measure the build too, or give --store")
        for group, name, cmd in cases(args, lst, store, work):
            if name.endswith(" cold"):  # the first export of a build makes the canonical file
                (store / "current" / CANONICAL).unlink(missing_ok=True)
            record(group, name, cmd)
            for leftover in work.glob("out.*"):
                leftover.unlink()
        if "site" in args.commands:
            site = fresh(work, "site-")
            extra = shlex.split(args.site_options)
            run = record(
                "site",
                "site build" + (f" {' '.join(extra)}" if extra else ""),
                [args.interp_kg, "site", "build", "-o", str(site), "--store", str(store), *extra],
            )
            run.files, run.bytes = tree_size(site)
            print(
                f"  site    {run.files:,} files, {run.bytes / 2**20:,.0f} MiB, CPU {run.cpu_s:.1f} s",
                flush=True,
            )
            # deleted with the rest at the end (see discard)
    assert store is not None
    info = json.loads((store / "current" / "build.json").read_text(encoding="utf-8"))
    rows = []
    for (group, name), series in runs.items():
        peaks = [r.peak_mib for r in series]
        ok = all(r.returncode in ok_codes(group) for r in series)
        rows.append(
            {
                "group": group,
                "command": name,
                "peak_median_mib": round(statistics.median(peaks), 1),
                "peak_max_mib": max(peaks),
                "wall_median_s": round(statistics.median(r.wall_s for r in series), 2),
                "ok": ok,
                "under_cap": max(peaks) <= args.cap_mib,
                "runs": [vars(r) for r in series],
            }
        )
    return {"entries": n, "list": str(lst), "triples": info["triples"], "rows": rows}


def args_kill(row: dict[str, Any]) -> str:
    """The threshold a run of ``row`` was killed above."""
    return f"{max(x['killed_over_mib'] for x in row['runs']):.0f}"


def report(results: dict[str, Any]) -> str:
    """The table: per command, the median and largest peak, the wall time, the cap, PASS/FAIL."""
    cap = results["cap_mib"]
    lines = []
    for size in results["sizes"]:
        lines.append(f"\n{size['entries']:,} entries, {size['triples']:,} triples; cap {cap:,.0f} MiB")
        lines.append(
            f"{'command':<30} {'peak MiB':>9} {'max MiB':>9} {'procs':>5} {'wall s':>9} {'CPU s':>9}  verdict"
        )
        floor = next((r for r in size["rows"] if r["command"].startswith("floor")), None)
        for r in size["rows"]:
            procs = max(run["processes"] for run in r["runs"])
            verdict = "(the floor)" if r is floor else "PASS" if r["under_cap"] else "FAIL"
            if any(x["killed_over_mib"] for x in r["runs"]):
                verdict += f" (killed above {args_kill(r)} MiB: the peak up to then)"
            elif any(x["timed_out"] for x in r["runs"]):
                verdict += " (killed at the timeout: the peak up to then)"
            elif not r["ok"]:
                verdict += " (failed: exit " + ",".join(str(x["returncode"]) for x in r["runs"]) + ")"
            if r["command"] == "build" and floor is not None:
                verdict += f"  ({r['peak_median_mib'] / floor['peak_median_mib']:.2f}x the floor's peak)"
            name = f"{r['group']} {r['command']}"
            cpu = statistics.median(run["cpu_s"] for run in r["runs"])
            lines.append(
                f"{name:<30} {r['peak_median_mib']:>9.0f} {r['peak_max_mib']:>9.0f} "
                f"{procs:>5} {r['wall_median_s']:>9.2f} {cpu:>9.1f}  {verdict}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000", help="entries per synthetic list, comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of every command (default: 1)")
    ap.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        type=lambda s: [c for c in s.split(",") if c],
        help=f"which to measure, comma-separated (default: {','.join(COMMANDS)})",
    )
    ap.add_argument(
        "--exports",
        default=",".join((*EXPORTS, "wikidata")),
        type=lambda s: [c for c in s.split(",") if c],
        help=f"the exports measured, comma-separated (default: {','.join((*EXPORTS, 'wikidata'))}; "
        "wikidata: --profile wikidata as JSON-LD); the first is measured cold",
    )
    ap.add_argument("--list", type=Path, help="this list instead of a generated one (one size)")
    ap.add_argument(
        "--store",
        type=Path,
        help="the store of the list that the commands read (one size): used as it is when it exists "
        "(a measured build then goes to a fresh folder); else the measured build makes it, and it is kept",
    )
    ap.add_argument("--report-format", default="json", help="the reports' format (default: json)")
    ap.add_argument(
        "--reports",
        type=lambda s: [name.strip() for name in s.split(",") if name.strip()],
        default=[],
        help="which reports, comma-separated, as the table names them (e.g. 'coverage,authors --missing'; "
        "default: all)",
    )
    ap.add_argument(
        "--report-timeout",
        type=float,
        default=0.0,
        help="the reports' --timeout, seconds per query (default: theirs, 30; a million works needs ~300)",
    )
    ap.add_argument(
        "--site-options",
        default="",
        help='more options of `site build`, e.g. "--only work --formats html --gzip-dumps" (default: none)',
    )
    ap.add_argument("--interval", type=float, default=0.05, help="seconds between samples (default: 0.05)")
    ap.add_argument("--cap-mib", type=float, default=2048.0, help="the cap (default: 2048 MiB)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per command (default: 1800)")
    ap.add_argument(
        "--kill-mib",
        type=float,
        default=8192.0,
        help="kill a command once its tree holds more than this (a shared machine; 0: never; default: 8192)",
    )
    ap.add_argument("--work", type=Path, help="folder for stores and outputs (default: a temporary one)")
    ap.add_argument(
        "--out", type=Path, default=HERE / "out", help="where memory.json goes (default: bench/out)"
    )
    add_command_options(ap, "the Python of the floor (default: this one)")
    args = ap.parse_args(argv)
    args.seed = 0
    unknown = set(args.commands) - set(COMMANDS)
    if unknown:
        ap.error(f"unknown commands: {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if (args.list or args.store) and len(sizes) != 1:
        ap.error("--list and --store go with one size")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-memory-", dir=args.work))
    try:
        measured = [bench_size(n, args, tmp) for n in sizes]
        results = {"environment": environment(args), "cap_mib": args.cap_mib, "sizes": measured}
        results["environment"]["loadavg_end"] = os.getloadavg()
        (args.out / "memory.json").write_text(json.dumps(results, indent=2) + "\n")
        print(report(results), flush=True)
    finally:
        discard(tmp)
    return 0


def discard(folder: Path) -> None:
    """Delete ``folder`` in a detached process at idle I/O priority: a site holds hundreds of
    thousands of files, which take minutes to delete, and the bench need not wait (nor hold the
    lock it may run under)."""
    rm = ["rm", "-rf", "--", str(folder)]
    ionice = shutil.which("ionice")
    cmd = [ionice, "-c3", *rm] if ionice else rm
    subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    raise SystemExit(main())
