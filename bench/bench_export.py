"""Benchmark ``interp-kg export`` against its floors, side by side in one run (issue 20).

For each size (``--sizes``, synthetic lists from ``gen_list.py``, seed 0) the list is built once,
then, interleaved ``--repeat`` times, each measured as a subprocess (wall time, CPU time, its own
peak RSS):

- **ours**: ``interp-kg export -f FORMAT -o FILE`` for each of ``--formats`` (ntriples, turtle,
  jsonld, nquads, rdfxml): the first format once *cold* (the canonical sorted N-Triples of the
  build not made yet: the first export makes it, by an external merge sort; ``--cold-all``: each
  format), then each *warm*;
- **floor**: pyoxigraph streaming the build's canonical sorted N-Triples through its own
  serializer, ``serialize(parse(path=...), out, format=...)`` (N-Triples, Turtle with our prefixes,
  expanded JSON-LD, N-Quads, RDF/XML);
- **rdflib** (``--rdflib-max``, default 10,000 entries, as it needs minutes and gigabytes beyond):
  ``Graph().parse(...)`` then ``serialize`` in each format (not N-Quads: a ``Graph`` has no
  quads).

Targets (issue 20): N-Triples and Turtle within 1.5x of the floor, compact JSON-LD within 2x of
the floor's expanded JSON-LD, every export in bounded memory; the ratios are ours (warm) / floor::

    python3 bench/bench_export.py --sizes 10000,100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import Run, Series, add_command_options, checked, environment, measure

HERE = Path(__file__).resolve().parent
FORMATS = ("ntriples", "turtle", "jsonld", "nquads", "rdfxml")
FLOOR_FORMAT = {
    "ntriples": "N_TRIPLES",
    "turtle": "TURTLE",
    "jsonld": "JSON_LD",
    "nquads": "N_QUADS",
    "rdfxml": "RDF_XML",
}
RDFLIB_FORMAT = {"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}
#: The issue's targets (ours / floor); the other formats are measured without one.
TARGETS = {"ntriples": 1.5, "turtle": 1.5, "jsonld": 2.0}

FLOOR = """
import sys, pyoxigraph
from interp_kg.rdf.prefixes import PREFIXES
src, fmt, dst = sys.argv[1:4]
prefixes = {p: ns for p, ns in PREFIXES.items() if p != "id"}
with open(dst, "wb") as out:
    quads = pyoxigraph.parse(path=src, format=pyoxigraph.RdfFormat.N_TRIPLES)
    fmt = getattr(pyoxigraph.RdfFormat, fmt)
    pyoxigraph.serialize((q.triple for q in quads), out, format=fmt, prefixes=prefixes)
"""
RDFLIB = """
import sys, rdflib
src, fmt, dst = sys.argv[1:4]
g = rdflib.Graph()
g.parse(src, format="nt")
g.serialize(dst, format=fmt)
"""


def bench_size(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    folder = work / f"n{n}"
    folder.mkdir()
    store = args.store if args.store is not None else folder / "store"
    if args.store is None:  # not timed
        listing = args.list if args.list is not None else folder / "list.md"
        if args.list is None:
            gen = [args.python, str(HERE / "gen_list.py"), str(n), "-o", str(listing), "--seed", "0"]
            checked(gen, 3600, "gen_list")
        checked([args.interp_kg, "build", str(listing), "--store", str(store), "-q"], 7200, "build")
    build = store / "current"
    canonical = build / "graph.sorted.nt"
    out = folder / "out"
    formats = args.formats

    def export(fmt: str) -> Run:
        cmd = [args.interp_kg, "export", "-f", fmt, "-o", str(out), "--store", str(store)]
        return measure(cmd, args.timeout)

    def script(code: str, fmt: str) -> Run:
        return measure([args.python, "-c", code, str(canonical), fmt, str(out)], args.timeout)

    cold = {}
    for fmt in [] if args.no_cold else formats if args.cold_all else formats[:1]:
        canonical.unlink(missing_ok=True)  # the first export of a build makes it
        cold[fmt] = export(fmt)
    if not canonical.exists():  # --no-cold on a store never exported: made here, not timed
        checked(
            [args.interp_kg, "export", "-f", "ntriples", "-o", str(out), "--store", str(store)], 7200, "sort"
        )
    ours = {fmt: Series() for fmt in formats}
    floor = {fmt: Series() for fmt in formats}
    with_rdflib = [f for f in formats if f in RDFLIB_FORMAT] if n <= args.rdflib_max else []
    rdflib = {fmt: Series() for fmt in with_rdflib}
    for _ in range(args.repeat):
        for fmt in formats:
            ours[fmt].add(export(fmt))
            floor[fmt].add(script(FLOOR, FLOOR_FORMAT[fmt]))
            if fmt in rdflib:
                rdflib[fmt].add(script(RDFLIB, RDFLIB_FORMAT[fmt]))
    rows = []
    for fmt in formats:
        o, f = ours[fmt].summary(), floor[fmt].summary()
        row: dict[str, Any] = {
            "format": fmt,
            "ours": o,
            "ours_cold": {
                "wall_s": round(cold[fmt].wall_s, 3),
                "peak_rss_mib": round(cold[fmt].peak_rss_mib, 1),
            }
            if fmt in cold
            else None,
            "floor": f,
            "ratio": round(o["median_s"] / f["median_s"], 2),
            "target": TARGETS.get(fmt),
        }
        row["met"] = row["ratio"] <= row["target"] if row["target"] is not None else None
        if fmt in rdflib:
            r = rdflib[fmt].summary()
            row["rdflib"] = r
            row["rdflib_over_ours"] = round(r["median_s"] / o["median_s"], 1)
        rows.append(row)
    info = json.loads((build / "build.json").read_text())
    return {"entries": n, "triples": info["triples"], "formats": rows}


def report(results: dict[str, Any]) -> str:
    lines = []
    for size in results["sizes"]:
        lines.append(f"\n{size['entries']:,} entries, {size['triples']:,} triples")
        head = ("format", "ours s", "cold s", "floor s", "ratio", "target", "RSS MiB ours/floor", "rdflib s")
        lines.append("{:<9} {:>8} {:>8} {:>8} {:>6} {:>6}  {:>18} {:>9}  rdflib/ours".format(*head))
        for r in size["formats"]:
            o, f = r["ours"], r["floor"]
            rss = f"{o['rss_max_mib']:.0f}/{f['rss_max_mib']:.0f}"
            rdflib_s = f"{r['rdflib']['median_s']:.2f}" if "rdflib" in r else "-"
            extra = f"{r['rdflib_over_ours']}x" if "rdflib_over_ours" in r else "-"
            cold = f"{r['ours_cold']['wall_s']:.2f}" if r["ours_cold"] else "-"
            target = "-" if r["target"] is None else r["target"]
            verdict = "" if r["met"] is None else "met" if r["met"] else "MISSED"
            lines.append(
                f"{r['format']:<9} {o['median_s']:>8.2f} {cold:>8} {f['median_s']:>8.2f} "
                f"{r['ratio']:>6.2f} {target:>6}  {rss:>18} {rdflib_s:>9}  {extra:<11}  {verdict}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="entries per synthetic list, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--formats",
        default=",".join(FORMATS),
        type=lambda t: [f for f in t.split(",") if f],
        help=f"export formats, comma-separated (default: {','.join(FORMATS)})",
    )
    ap.add_argument("--list", type=Path, help="this list instead of a generated one (one size)")
    ap.add_argument(
        "--store",
        type=Path,
        help="an existing store of the size's list instead of a build (one size; its canonical "
        "N-Triples file is removed and made again by the cold exports)",
    )
    ap.add_argument(
        "--cold-all",
        action="store_true",
        help="measure every format cold (default: the first only; the sort is the same for all)",
    )
    ap.add_argument(
        "--no-cold", action="store_true", help="no cold export (the canonical file, if missing, made untimed)"
    )
    ap.add_argument("--rdflib-max", type=int, default=10_000, help="largest size rdflib is measured at")
    ap.add_argument("--timeout", type=float, default=3600.0)
    ap.add_argument("--out", type=Path, default=HERE / "out")
    add_command_options(ap, "the Python of pyoxigraph and rdflib (default: this one)")
    args = ap.parse_args(argv)
    args.seed = 0
    if set(args.formats) - set(FORMATS):
        ap.error(f"unknown formats: {', '.join(sorted(set(args.formats) - set(FORMATS)))}")
    if (args.list or args.store) and len([x for x in args.sizes.split(",") if x]) != 1:
        ap.error("--list and --store go with one size")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        sizes = [bench_size(int(s), args, Path(tmp)) for s in args.sizes.split(",") if s]
    results = {"environment": environment(args), "sizes": sizes}
    (args.out / "export.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
