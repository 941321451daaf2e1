"""Benchmark the commands that read lists rather than the store, ``interp-kg diff`` and ``interp-kg
lint``, against their floor: parsing the same list(s) alone.

Both parse and catalogue whole lists (``diff`` two of them), so they cost what the first half of
a build costs. Measured end to end (a subprocess each, stdout to a file), ``--repeat`` rounds, the
cases of a round run one after another (so drift in the machine's load hits them alike):

- **bundled**: ``diff tests/data/diff/old.md tests/data/diff/new.md`` (the test pair, a copy of
  the bundled list and an edited one) and ``lint`` of the bundled list;
- **large** (``--sizes``, default 100,000 entries): ``gen_list.py`` writes the list (seed 0; kept
  with its stats and reused) and :func:`edited` a second version of it (about 1% of entries
  removed, 1% retitled, 1% added, a heading renamed; deterministic); ``diff`` of the two and
  ``lint`` of the first, each beside its floor: a subprocess that imports the parser and runs
  ``parse_file`` on the same list(s) (both lists for ``diff``), nothing else.

``diff`` exits 1 when the lists differ, which counts as success here. Printed: the median wall
time, the ratio to the floor's median, and the peak RSS of each child (``os.wait4``), max over
the runs, against the 2 GiB cap of issue 20::

    python3 bench/bench_sources.py [--sizes 100000,1000000] [--repeat 3] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_list  # bench/ is not a package: imported from beside this file
from bench_build import Series, add_command_options, environment, measure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def edited(text: str, seed: int = 1) -> str:
    """Another version of a generated list: of its entries (``* **``), about 1% removed, 1%
    retitled and 1% followed by a new one; the first ``#####`` heading renamed."""
    rng = random.Random(seed)
    out: list[str] = []
    renamed = False
    for i, line in enumerate(text.split("\n")):
        if line.startswith("##### ") and not renamed:
            line, renamed = line + " (renamed)", True
        if line.startswith("* **"):
            draw = rng.random()
            if draw < 0.01:
                continue
            if draw < 0.02:
                line = line.replace("* **", "* **Revised: ", 1)
            out.append(line)
            if rng.random() < 0.01:
                out.append(f"* **A new paper {i}** [[arxiv]](https://arxiv.org/abs/2511.{i % 100_000:05d})")
            continue
        out.append(line)
    return "\n".join(out)


def success_codes(cmd: list[str]) -> set[int]:
    """The exit codes of a successful run: ``diff`` exits 1 when the lists differ."""
    return {0, 1} if cmd[1] == "diff" else {0}


def run_cases(args: argparse.Namespace, cases: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each case ``args.repeat`` times, the cases interleaved; medians and peak RSS."""
    series = {name: Series() for name in cases}
    codes: dict[str, set[int]] = {name: set() for name in cases}
    for _ in range(args.repeat):
        for name, cmd in cases.items():
            run = measure(cmd, args.timeout, kill_mib=args.kill_mib)
            series[name].add(run)
            codes[name].add(run.returncode)
    return [
        {
            "case": name,
            **series[name].summary(),
            "runs_s": series[name].wall_s,
            "exit_codes": sorted(codes[name]),
            "ok": codes[name] <= success_codes(cmd),
        }
        for name, cmd in cases.items()
    ]


#: What parsing alone costs: the floor of lint (one list) and diff (two lists).
PARSE_SCRIPT = """\
import sys
from pathlib import Path

from interp_kg.source.parse import parse_file

for name in sys.argv[1:]:
    parse_file(Path(name))
"""
#: Peak RSS a command may reach on a list of a million entries (issue 20).
CAP_MIB = 2048.0


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="100000",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="comma-separated sizes of the large lists, in entries (default: 100000)",
    )
    ap.add_argument("--size", type=int, help="one size (the same as --sizes N)")
    ap.add_argument("--no-large", action="store_true", help="measure the bundled list only")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (default: 3)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed (1800)")
    ap.add_argument(
        "--kill-mib",
        type=float,
        default=12288,
        help="RSS (MiB) at which a run is killed, as failed (default: 12288; the machine is shared)",
    )
    add_command_options(ap, "the project's Python (for the floor and the versions)")
    args = ap.parse_args(argv)
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    if args.size:
        args.sizes = [args.size]
    if args.no_large:
        args.sizes = []
    lists = args.out / "lists"
    lists.mkdir(parents=True, exist_ok=True)
    ikg = args.interp_kg
    diff_data = ROOT / "tests" / "data" / "diff"
    bundled = ROOT / "data" / "awesome-llm-interpretability.md"
    cases = {
        "diff, bundled": [ikg, "diff", str(diff_data / "old.md"), str(diff_data / "new.md"), "-f", "json"],
        "parse x2, bundled": [
            args.python,
            "-c",
            PARSE_SCRIPT,
            str(diff_data / "old.md"),
            str(diff_data / "new.md"),
        ],
        "lint, bundled": [ikg, "lint", str(bundled)],
        "parse, bundled": [args.python, "-c", PARSE_SCRIPT, str(bundled)],
    }
    #: each command's floor
    floors = {"diff, bundled": "parse x2, bundled", "lint, bundled": "parse, bundled"}
    for size in args.sizes:
        first = lists / f"list-{size}-seed{args.seed}.md"
        gen_list.ensure_list(size, first, seed=args.seed)
        second = lists / f"list-{size}-seed{args.seed}-edited.md"
        second.write_text(edited(first.read_text(encoding="utf-8")), encoding="utf-8")
        n = f"{size:,}"
        cases[f"diff, {n}"] = [ikg, "diff", str(first), str(second), "-f", "json"]
        cases[f"parse x2, {n}"] = [args.python, "-c", PARSE_SCRIPT, str(first), str(second)]
        cases[f"lint, {n}"] = [ikg, "lint", str(first)]
        cases[f"parse, {n}"] = [args.python, "-c", PARSE_SCRIPT, str(first)]
        floors[f"diff, {n}"] = f"parse x2, {n}"
        floors[f"lint, {n}"] = f"parse, {n}"
    results: dict[str, Any] = {"environment": environment(args), "repeat": args.repeat}
    started = time.perf_counter()
    rows = run_cases(args, cases)
    by_case = {r["case"]: r for r in rows}
    for r in rows:
        floor = by_case.get(floors.get(r["case"], ""))
        r["floor"] = floor["case"] if floor else None
        r["ratio"] = round(r["median_s"] / floor["median_s"], 3) if floor else None
    results["rows"] = rows
    results["cap_mib"] = CAP_MIB
    results["environment"]["total_s"] = round(time.perf_counter() - started, 1)
    env = results["environment"]
    print(
        f"measured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, git {env['git']}"
        f"{' (dirty)' if env['git_dirty'] else ''}; median of {args.repeat}, "
        f"load average {env['loadavg_start'][0]:.1f}"
    )
    print(f"  {'case':<22} {'median s':>9} {'min s':>7} {'max s':>7} {'vs parse':>9} {'MiB':>6}  exit")
    for r in rows:
        codes = ",".join(map(str, r["exit_codes"])) + ("" if r["ok"] else "  !! failed")
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else ""
        print(
            f"  {r['case']:<22} {r['median_s']:>9.2f} {r['min_s']:>7.2f} {r['max_s']:>7.2f} {ratio:>9} "
            f"{r['rss_max_mib']:>6.0f}  {codes}"
        )
    for r in rows:
        if r["case"].startswith(("diff, 1,000,000", "lint, 1,000,000")):
            ok = r["rss_max_mib"] < CAP_MIB
            print(
                f"target: {r['case']} peak RSS < {CAP_MIB:.0f} MiB: {r['rss_max_mib']:.0f} MiB  "
                f"{'PASS' if ok else 'FAIL'}"
            )
    path = args.out / "sources.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {env['total_s']} s)")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
