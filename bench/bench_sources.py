"""Benchmark the commands that read lists rather than the store: ``interp-kg diff`` and ``interp-kg lint``.

Both parse and catalogue whole lists (``diff`` two of them), so they cost what the first half of
a build costs. Measured end to end (a subprocess each, stdout to a file), ``--repeat`` runs:

- **bundled**: ``diff tests/data/diff/old.md tests/data/diff/new.md`` (the test pair, a copy of
  the bundled list and an edited one) and ``lint`` of the bundled list;
- **large** (``--size``, default 100,000 entries): ``gen_list.py`` writes the list (seed 0) and
  :func:`edited` a second version of it (about 1% of entries removed, 1% retitled, 1% added, a
  heading renamed; deterministic); ``diff`` of the two and ``lint`` of the first.

``diff`` exits 1 when the lists differ, which counts as success here. The figures have no target
in the issues (the reports' "under 5 s at 100k" is for the reports on a built store); they are
printed for scale, with the peak RSS::

    python3 bench/bench_sources.py [--size 100000] [--repeat 3] [--out bench/out]
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
            run = measure(cmd, args.timeout)
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


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="entries of the large list (default: 100000)")
    ap.add_argument("--no-large", action="store_true", help="measure the bundled list only")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (default: 3)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a run is killed (300)")
    add_command_options(ap, "the project's Python (for the versions)")
    args = ap.parse_args(argv)
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    args.sizes = [] if args.no_large else [args.size]  # for environment()
    lists = args.out / "lists"
    lists.mkdir(parents=True, exist_ok=True)
    ikg = args.interp_kg
    diff_data = ROOT / "tests" / "data" / "diff"
    cases = {
        "diff, bundled": [ikg, "diff", str(diff_data / "old.md"), str(diff_data / "new.md"), "-f", "json"],
        "lint, bundled": [ikg, "lint", str(ROOT / "data" / "awesome-llm-interpretability.md")],
    }
    if not args.no_large:
        first = lists / f"list-{args.size}-seed{args.seed}.md"
        gen_list.ensure_list(args.size, first, seed=args.seed)
        second = lists / f"list-{args.size}-seed{args.seed}-edited.md"
        second.write_text(edited(first.read_text(encoding="utf-8")), encoding="utf-8")
        cases[f"diff, {args.size:,}"] = [ikg, "diff", str(first), str(second), "-f", "json"]
        cases[f"lint, {args.size:,}"] = [ikg, "lint", str(first)]
    results: dict[str, Any] = {"environment": environment(args), "repeat": args.repeat}
    started = time.perf_counter()
    results["rows"] = run_cases(args, cases)
    results["environment"]["total_s"] = round(time.perf_counter() - started, 1)
    env = results["environment"]
    print(
        f"measured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, git {env['git']}"
        f"{' (dirty)' if env['git_dirty'] else ''}; median of {args.repeat}"
    )
    print(f"  {'case':<16} {'median s':>9} {'min s':>7} {'max s':>7} {'MiB':>6}  exit")
    for r in results["rows"]:
        codes = ",".join(map(str, r["exit_codes"])) + ("" if r["ok"] else "  !! failed")
        print(
            f"  {r['case']:<16} {r['median_s']:>9.2f} {r['min_s']:>7.2f} {r['max_s']:>7.2f} "
            f"{r['rss_max_mib']:>6.0f}  {codes}"
        )
    path = args.out / "sources.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {env['total_s']} s)")
    return 0 if all(r["ok"] for r in results["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
