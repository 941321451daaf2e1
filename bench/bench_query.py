"""Benchmark the saved queries: end to end on the bundled list, in process on a large store, and remote.

Three measurements, reported side by side within one run (the machine is shared and noisy):

1. **Bundled list.** Built into a fresh store (not timed). Every saved query (``interp-kg queries
   --format json``), required parameters given representative values, is run as
   ``interp-kg query NAME [-p k=v] --store DIR -f csv`` (a subprocess, stdout to /dev/null),
   ``--repeat`` rounds, interleaved with the start-up floor: ``interp-kg --help`` and a bare
   ``python -c pass``. Per query: the median, the start-up share (``--help`` median / query median)
   and whether it is under :data:`TARGET_BUNDLED_S`; also its in-process time, for scale.
2. **Large store** (``--sizes``, default 100,000 entries): a synthetic list from
   ``bench/gen_list.py``, built once (not timed). Per saved query, the in-process time of
   ``LocalBackend(open_store(DIR)).execute(with_limit(text, 1000), bind(...), form, timeout)``
   (median of up to ``--repeat`` runs within ``--budget`` seconds; ``bind`` timed on its own),
   and the CLI time end to end for the queries fast enough to be worth it. Target: every saved
   query under :data:`TARGET_LARGE_S` median in process; the slow ones are printed with ``!!``.
3. **Remote.** An Oxigraph server (``tests/oxigraph_server.py``) on a fresh, empty location;
   the bundled graph pushed into it (``interp_kg.sparql.remote.push`` of the N-Triples export); then
   ``--remote-queries`` small queries (the ``featured-works`` query, and a ``SELECT ... LIMIT 10``)
   through ``RemoteBackend(url).execute`` one after the other, in blocks alternating with the same
   queries through ``LocalBackend`` in process: queries per second, and the ratio; ``--repeat``
   rounds of that, reported as medians.

The in-process runs happen in a child process (``--worker``), so that a query that overruns its
timeout (pyoxigraph cannot cancel it) is stopped by ending that child, not left running beside
the next measurements. Results are printed as tables and written to ``OUT/query.json``::

    python3 bench/bench_query.py [--sizes 100000] [--repeat 5] [--out bench/out]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # bench/ is not a package: imported from beside this file
import gen_list
from bench_build import (
    BenchError,
    Run,
    Series,
    add_command_options,
    checked,
    environment,
    fresh_dir,
    remove,
    source_digest,
)

if TYPE_CHECKING:
    from interp_kg.curation.saved_queries import Param
    from interp_kg.sparql.query import Backend

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: Targets printed beside the figures.
TARGET_BUNDLED_S = 0.3  # a saved query on the bundled list, end to end (CLI)
TARGET_LARGE_S = 1.0  # a saved query on a 100k-entry store, in process (median)
#: Row limit of the in-process runs: the CLI's default ``--limit``.
LIMIT = 1000
#: Start-up runs (``--help``, ``python -c pass``) are put before every this many query runs.
STARTUP_EVERY = 6
#: Remote and local queries alternate in blocks of this many (``--repeat`` rounds of
#: ``--remote-queries`` each).
REMOTE_BLOCK = 20
SMALL_SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

#: Representative parameter values, by parameter name first, then by parameter type.
VALUES_BY_NAME = {
    "topic": "Sparse Coding",
    "venue": "ICLR",
    "keyword": "circuit",
    "work": "paper:arxiv-2404.03592",
    "author": "Neel Nanda",
}
#: More cases of one saved query: values that make it work hardest (``the`` is in about a quarter
#: of the synthetic titles, ``e`` in nearly all of them).
EXTRA_CASES: dict[str, list[dict[str, str]]] = {"search-titles": [{"keyword": "the"}, {"keyword": "e"}]}
VALUES_BY_TYPE = {
    "topic": "Sparse Coding",
    "venue": "ICLR",
    "work": "paper:arxiv-2404.03592",
    "author": "Neel Nanda",
    "string": "circuit",
    "integer": "2023",
    "boolean": "true",
}

#: The CLI's environment: an ``INTERP_KG_ENDPOINT`` would send its queries elsewhere.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "INTERP_KG_ENDPOINT"}


# --------------------------------------------------------------------------------------------
# Subprocesses
# --------------------------------------------------------------------------------------------


def measure_quiet(cmd: Sequence[str], timeout: float) -> Run:
    """:func:`bench_build.measure`, but stdout goes to /dev/null (a query's rows are not kept,
    so writing them costs what writing to a pipe that nobody reads costs); stderr is kept."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=CLI_ENV
        )
        timer = threading.Timer(timeout, bench_build._kill, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return Run(
            wall_s=wall,
            peak_rss_mib=usage.ru_maxrss / 1024,
            returncode=proc.returncode,
            stderr=err.read().decode("utf-8", "replace"),
        )


def checked_quiet(cmd: Sequence[str], timeout: float, what: str) -> Run:
    """:func:`measure_quiet`, raising :class:`BenchError` with the command and its stderr on failure."""
    run = measure_quiet(cmd, timeout)
    if run.returncode != 0:
        raise BenchError(f"{what} failed (exit {run.returncode}): {' '.join(cmd)}: {tail(run.stderr)}")
    return run


def tail(text: str, lines: int = 5) -> str:
    """The last non-empty ``lines`` of ``text``, joined with `` | ``."""
    return " | ".join([s.strip() for s in text.strip().splitlines() if s.strip()][-lines:])


def load_catalogue_json(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The saved queries as ``interp-kg queries --format json`` lists them, with a digest of each
    query's text (the catalogue is being edited: the digest says which version was measured)."""
    from interp_kg.resources import queries_dir

    run = checked([args.interp_kg, "queries", "--format", "json"], args.timeout, "interp-kg queries")
    rows: list[dict[str, Any]] = json.loads(run.stdout)
    folder = queries_dir()
    for row in rows:
        path = folder / f"{row['name']}.rq"
        row["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.exists() else None
    return rows


def queries_digest() -> str:
    """SHA-256 (first 12 hex digits) of every saved query file."""
    from interp_kg.resources import queries_dir

    digest = hashlib.sha256()
    for path in sorted(queries_dir().glob("*.rq")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def build_store(args: argparse.Namespace, work: Path, prefix: str, source: Path | None) -> tuple[Path, float]:
    """Build ``source`` (None: the bundled list) into a fresh store; its directory and wall time."""
    store = fresh_dir(work, prefix)
    # the large store is built with --optimize (compacted): how a user would build a big list
    extra = ["--optimize"] if source else []
    cmd = [args.interp_kg, "build", *([str(source)] if source else []), *extra, "--store", str(store), "-q"]
    run = checked(cmd, args.timeout, f"build of {source or 'the bundled list'}")
    return store, run.wall_s


# --------------------------------------------------------------------------------------------
# Cases: a saved query with parameter values chosen for one store
# --------------------------------------------------------------------------------------------


def _exact_resolver(backend: Backend) -> Callable[[str, str], list[str]]:
    """Nodes of a class with exactly this ``rdfs:label`` (an index lookup, unlike the CLI's
    case-insensitive scan): used to choose values, not measured."""
    import pyoxigraph

    from interp_kg.rdf.prefixes import IKG, PREFIXES

    text = (
        f"PREFIX rdfs: <{PREFIXES['rdfs']}>\n"
        "SELECT ?node ?label ?class WHERE { ?node a ?class ; rdfs:label ?label }"
    )

    def resolve(cls: str, label: str) -> list[str]:
        bindings: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal] = {
            "label": pyoxigraph.Literal(label),
            "class": pyoxigraph.NamedNode(IKG + cls),
        }
        result = backend.execute(text, bindings, "select", 60)
        return sorted({str(row[0].value) for row in result.rows})

    return resolve


def _some_node(backend: Backend, cls: str) -> str | None:
    """A node of class ``ikg:cls`` (a work listed twice when there is one)."""
    from interp_kg.rdf.prefixes import IKG

    texts = [f"SELECT ?n WHERE {{ ?n a <{IKG}{cls}> }} LIMIT 1"]
    if cls == "Work":
        texts.insert(
            0,
            f"SELECT ?n WHERE {{ ?n a <{IKG}Work> ; <{IKG}listing> ?a, ?b . FILTER(?a != ?b) }} LIMIT 1",
        )
    for text in texts:
        rows = backend.execute(text, {}, "select", 60).rows
        if rows:
            return str(rows[0][0].value)
    return None


def choose_value(backend: Backend, param: Param) -> tuple[str | None, str]:
    """A representative value for ``param`` in this store, as a user would type it, and a note
    when the usual value does not fit (no such node, or several with that label)."""
    from interp_kg.curation.saved_queries import LABELLED
    from interp_kg.errors import QueryError
    from interp_kg.sparql.query import to_term

    value = VALUES_BY_NAME.get(param.name) or VALUES_BY_TYPE.get(param.type)
    if value is None:
        return None, f"no representative value for a parameter of type {param.type}"
    if param.type not in LABELLED:
        return value, ""
    from interp_kg.rdf.prefixes import IKG

    cls = LABELLED[param.type]
    found = _exact_resolver(backend)(cls, value)
    if len(found) == 1:
        return value, ""
    if len(found) > 1:
        return found[0], f"{len(found)} {param.type}s are labelled {value!r}: the first IRI"
    try:  # an IRI or a prefixed name: is it in this store?
        term = to_term(param, value, lambda _cls, _label: [])
        ask = f"ASK {{ <{term.value}> a <{IKG}{cls}> }}"
        if backend.execute(ask, {}, "ask", 60).boolean:
            return value, ""
    except QueryError:
        pass
    other = _some_node(backend, cls)
    if other is None:
        return None, f"no {param.type} in this store"
    return other, f"no {param.type} {value!r} in this store: another one"


def make_cases(store: Path, catalogue: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One case per saved query (its required parameters filled in), plus one more with its
    optional parameters filled in when it has some without a default; and the values chosen."""
    from interp_kg.curation.saved_queries import Param
    from interp_kg.sparql.query import LocalBackend
    from interp_kg.store.builds import open_store

    backend = LocalBackend(open_store(store))
    chosen: dict[str, dict[str, Any]] = {}

    def value(p: Param) -> str | None:
        key = f"{p.name}:{p.type}"
        if key not in chosen:
            v, note = choose_value(backend, p)
            chosen[key] = {"value": v, "note": note}
        return chosen[key]["value"]  # type: ignore[no-any-return]

    cases: list[dict[str, Any]] = []
    for q in catalogue:
        params = [Param(**p) for p in q["params"]]
        required = {p.name: value(p) for p in params if p.required}
        optional = {p.name: value(p) for p in params if not p.required and p.default is None}
        if any(v is None for v in required.values()):
            cases.append({"id": q["name"], "name": q["name"], "values": {}, "skip": "no value"})
            continue
        cases.append({"id": _case_id(q["name"], required), "name": q["name"], "values": required})
        optional = {k: v for k, v in optional.items() if v is not None}
        if optional:
            both = {**required, **optional}
            cases.append({"id": _case_id(q["name"], both), "name": q["name"], "values": both})
        for extra in EXTRA_CASES.get(q["name"], []):
            cases.append({"id": _case_id(q["name"], extra), "name": q["name"], "values": extra})
    return cases, chosen


def _case_id(name: str, values: dict[str, Any]) -> str:
    shown = " ".join(f"{k}={_short(str(v))}" for k, v in values.items())
    return f"{name} {shown}".strip()


def _short(value: str) -> str:
    """A parameter value as shown in tables: IRIs by their last path segment."""
    if value.startswith(("http://", "https://")):
        return "<.../" + value.rstrip("/").rsplit("/", 1)[-1] + ">"
    return value


def cli_command(args: argparse.Namespace, case: dict[str, Any], store: Path) -> list[str]:
    """``interp-kg query NAME -p k=v ... --store DIR -f csv``."""
    cmd = [args.interp_kg, "query", case["name"]]
    for k, v in case["values"].items():
        cmd += ["-p", f"{k}={v}"]
    return [*cmd, "--store", str(store), "-f", "csv"]


# --------------------------------------------------------------------------------------------
# In-process runs, in a child process
# --------------------------------------------------------------------------------------------


def worker() -> int:
    """``--worker``: read a JSON spec on stdin, run its cases in process on its store, print one
    JSON line per case. A query that overruns its timeout is reported, then this process exits
    (status 3) so that the query stops with it; the parent starts a new one for the rest."""
    from interp_kg.curation.saved_queries import load_catalogue
    from interp_kg.errors import InterpKgError, QueryTimeout
    from interp_kg.sparql.query import LocalBackend, bind, with_limit
    from interp_kg.store.builds import open_store

    spec = json.load(sys.stdin)
    timeout, repeat, budget = float(spec["timeout_s"]), int(spec["repeat"]), float(spec["budget_s"])

    def emit(message: dict[str, Any]) -> None:
        print(json.dumps(message), flush=True)

    start = time.perf_counter()
    backend = LocalBackend(open_store(Path(spec["store"])))
    emit({"event": "open", "open_s": round(time.perf_counter() - start, 4)})
    catalogue = load_catalogue()
    for case in spec["cases"]:
        out: dict[str, Any] = {"id": case["id"], "status": "ok", "bind_s": None, "runs_s": [], "rows": None}
        try:
            query = catalogue.get(case["name"])
            if query is None:
                raise InterpKgError(f"no saved query {case['name']!r} (the catalogue changed)")
            t = time.perf_counter()
            bindings = bind(query, case["values"], backend, timeout)
            out["bind_s"] = round(time.perf_counter() - t, 4)
            text = with_limit(query.text, LIMIT) if query.form == "select" else query.text
            while True:
                t = time.perf_counter()
                result = backend.execute(text, bindings, query.form, timeout)
                out["runs_s"].append(round(time.perf_counter() - t, 4))
                if len(out["runs_s"]) >= repeat or sum(out["runs_s"]) >= budget:
                    break
            out["rows"] = len(result.rows) if query.form == "select" else len(result.triples)
        except QueryTimeout as exc:
            out.update(status="timeout", error=str(exc))
            emit(out)
            os._exit(3)  # the query's thread cannot be stopped: end the process under it
        except InterpKgError as exc:
            out.update(status="error", error=str(exc))
        emit(out)
    return 0


def run_in_process(
    args: argparse.Namespace, store: Path, cases: list[dict[str, Any]], *, repeat: int, budget: float
) -> tuple[dict[str, dict[str, Any]], list[float]]:
    """Run ``cases`` in ``--worker`` children (a new one after a timeout or a crash); the result
    of each case by id, and the store opening times."""
    results: dict[str, dict[str, Any]] = {}
    opens: list[float] = []
    pending = [c for c in cases if "skip" not in c]
    silence = 2 * args.large_timeout + budget + 60  # the longest a case may take: bind, runs
    while pending:
        spec = {
            "store": str(store),
            "cases": pending,
            "repeat": repeat,
            "budget_s": budget,
            "timeout_s": args.large_timeout,
        }
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                [args.python, str(Path(__file__).resolve()), "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=CLI_ENV,
            )
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(json.dumps(spec))
            proc.stdin.close()
            watchdog = threading.Timer(silence, bench_build._kill, (proc.pid,))
            watchdog.start()
            try:
                for line in proc.stdout:
                    watchdog.cancel()
                    watchdog = threading.Timer(silence, bench_build._kill, (proc.pid,))
                    watchdog.start()
                    message = json.loads(line)
                    if message.get("event") == "open":
                        opens.append(message["open_s"])
                        continue
                    results[message["id"]] = message
                    print("   " + _progress(message), flush=True)
            finally:
                watchdog.cancel()
                proc.stdout.close()
                proc.wait()
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        before = len(pending)
        pending = [c for c in pending if c["id"] not in results]
        if pending and (proc.returncode != 3 or len(pending) == before):
            culprit = pending.pop(0)  # the case it was running when it died
            results[culprit["id"]] = {
                "id": culprit["id"],
                "status": "crashed",
                "error": f"worker exit {proc.returncode}: {tail(stderr)}",
                "runs_s": [],
                "bind_s": None,
                "rows": None,
            }
            print("   " + _progress(results[culprit["id"]]), flush=True)
    return results, opens


def _progress(r: dict[str, Any]) -> str:
    if r["status"] != "ok":
        return f"{r['id']:58} {r['status'].upper()}: {r.get('error', '')[:150]}"
    runs = r["runs_s"]
    return (
        f"{r['id']:58} bind {r['bind_s']:7.3f} s  in-proc {statistics.median(runs):8.3f} s "
        f"({len(runs)} run{'s' if len(runs) > 1 else ''})  rows {r['rows']}"
    )


# --------------------------------------------------------------------------------------------
# 1. The bundled list, end to end
# --------------------------------------------------------------------------------------------


def _interleaved(cases: list[dict[str, Any]], r: int) -> Iterator[str | dict[str, Any]]:
    """Round ``r``'s order: the cases forward or backward, ``help`` and ``pass`` (alternating
    which goes first) before every :data:`STARTUP_EVERY` of them."""
    order = cases if r % 2 == 0 else cases[::-1]
    for i, case in enumerate(order):
        if i % STARTUP_EVERY == 0:
            yield from ("help", "pass") if (r + i // STARTUP_EVERY) % 2 == 0 else ("pass", "help")
        yield case


def bench_bundled(
    args: argparse.Namespace, work: Path, catalogue: list[dict[str, Any]]
) -> tuple[dict[str, Any], Path]:
    """Section 1; returns the figures and the bundled store (kept for the remote section)."""
    store, build_s = build_store(args, work, "bundled-", None)
    cases, chosen = make_cases(store, catalogue)
    print(f"   built the bundled list in {build_s:.2f} s (not part of the figures); in process:", flush=True)
    inproc, opens = run_in_process(args, store, cases, repeat=args.repeat, budget=args.budget)
    runnable = [c for c in cases if "skip" not in c and inproc.get(c["id"], {}).get("status") == "ok"]
    if not runnable:
        raise BenchError("no saved query ran on the bundled list")
    series = {c["id"]: Series() for c in runnable}
    failed: dict[str, str] = {}
    cli_help, bare = Series(), Series()
    print(f"   CLI, {args.repeat} rounds of {len(runnable)} queries beside the start-up floor", flush=True)
    for r in range(args.repeat):
        for item in _interleaved([c for c in runnable if c["id"] not in failed], r):
            if item == "help":
                cli_help.add(checked_quiet([args.interp_kg, "--help"], args.timeout, "interp-kg --help"))
            elif item == "pass":
                bare.add(checked_quiet([args.python, "-c", "pass"], args.timeout, "python -c pass"))
            else:
                assert isinstance(item, dict)
                run = measure_quiet(cli_command(args, item, store), args.timeout)
                if run.returncode != 0:
                    failed[item["id"]] = f"exit {run.returncode}: {tail(run.stderr)}"
                    print(f"   !! {item['id']}: {failed[item['id']]}", flush=True)
                else:
                    series[item["id"]].add(run)
        print(f"   round {r + 1}: done", flush=True)
    help_median = statistics.median(cli_help.wall_s)
    rows: list[dict[str, Any]] = []
    for case in cases:
        row: dict[str, Any] = {"id": case["id"], "name": case["name"], "values": case["values"]}
        ip = inproc.get(case["id"])
        if "skip" in case:
            row.update(status="skipped", error=case["skip"])
        elif ip is None or ip["status"] != "ok":
            row.update(status=ip["status"] if ip else "missing", error=(ip or {}).get("error", ""))
        elif case["id"] in failed:
            row.update(status="cli-failed", error=failed[case["id"]])
        if ip is not None and ip.get("runs_s"):
            row.update(
                rows=ip["rows"],
                bind_s=ip["bind_s"],
                in_process_median_s=round(statistics.median(ip["runs_s"]), 5),
                in_process_runs_s=ip["runs_s"],
            )
        s = series.get(case["id"])
        if s is not None and s.wall_s and case["id"] not in failed:
            median = statistics.median(s.wall_s)
            row.update(
                status="ok",
                cli=s.summary() | {"runs_s": s.wall_s},
                startup_share=round(help_median / median, 3),
                other_s=round(median - help_median - statistics.median(ip["runs_s"]), 4) if ip else None,
                under_target=median < TARGET_BUNDLED_S,
            )
        rows.append(row)
    return {
        "store_build_s": round(build_s, 3),
        "store_open_s": opens,
        "values": chosen,
        "queries": rows,
        "startup": {
            "cli_help": cli_help.summary() | {"runs_s": cli_help.wall_s},
            "python_pass": bare.summary() | {"runs_s": bare.wall_s},
        },
    }, store


# --------------------------------------------------------------------------------------------
# 2. A large synthetic store
# --------------------------------------------------------------------------------------------


def bench_large(
    n: int, args: argparse.Namespace, work: Path, catalogue: list[dict[str, Any]]
) -> dict[str, Any]:
    """Section 2 for one size: in process for every case, the CLI for those fast enough."""
    lst = args.out / "lists" / f"list-{n}-seed{args.seed}.md"
    given: Path | None = args.large_store
    generated = None if given else gen_list.write_list(n, lst, args.seed)
    store, build_s = (given, None) if given else build_store(args, work, f"store-{n}-", lst)
    try:
        info = bench_build.read_build_info(store)
        made = f"using the store {store} (--large-store)" if given else f"built {lst.name} in {build_s:.1f} s"
        print(f"   {made} (not part of the figures): {info.get('triples')} triples; in process:", flush=True)
        cases, chosen = make_cases(store, catalogue)
        for key, v in chosen.items():
            if v["note"]:
                print(f"   -p {key.split(':')[0]}={v['value']} ({v['note']})", flush=True)
        inproc, opens = run_in_process(args, store, cases, repeat=args.repeat, budget=args.budget)

        def fast(c: dict[str, Any]) -> bool:
            r = inproc.get(c["id"], {})
            return r.get("status") == "ok" and statistics.median(r["runs_s"]) + r["bind_s"] <= args.cli_max

        cli_cases = [c for c in cases if fast(c)]
        print(
            f"   CLI, {args.large_cli_repeat} rounds of the {len(cli_cases)} queries under "
            f"{args.cli_max:g} s in process",
            flush=True,
        )
        series = {c["id"]: Series() for c in cli_cases}
        failed: dict[str, str] = {}
        for r in range(args.large_cli_repeat):
            for case in cli_cases if r % 2 == 0 else cli_cases[::-1]:
                if case["id"] in failed:
                    continue
                run = measure_quiet(cli_command(args, case, store), args.timeout)
                if run.returncode != 0:
                    failed[case["id"]] = f"exit {run.returncode}: {tail(run.stderr)}"
                    print(f"   !! {case['id']}: {failed[case['id']]}", flush=True)
                else:
                    series[case["id"]].add(run)
    finally:
        if not args.keep and not given:
            remove(store)
    rows: list[dict[str, Any]] = []
    for case in cases:
        row: dict[str, Any] = {"id": case["id"], "name": case["name"], "values": case["values"]}
        ip = inproc.get(case["id"])
        if "skip" in case:
            row.update(status="skipped", error=case["skip"])
        elif ip is None:
            row.update(status="missing")
        else:
            row.update(status=ip["status"], rows=ip["rows"], bind_s=ip["bind_s"])
            if ip.get("error"):
                row["error"] = ip["error"]
            if ip["runs_s"]:
                median = statistics.median(ip["runs_s"])
                row.update(
                    in_process_median_s=round(median, 4),
                    in_process_runs_s=ip["runs_s"],
                    under_target=ip["status"] == "ok" and median < TARGET_LARGE_S,
                )
            if ip["status"] == "timeout":
                row.update(in_process_median_s=args.large_timeout, under_target=False)
        s = series.get(case["id"])
        if case["id"] in failed:
            row["cli_error"] = failed[case["id"]]
        elif s is not None and s.wall_s:
            row["cli"] = s.summary() | {"runs_s": s.wall_s}
        rows.append(row)
    return {
        "size": n,
        "list": "" if given else str(lst),
        "store": str(given or ""),
        "store_build_s": None if build_s is None else round(build_s, 2),
        "entries": info.get("entries"),
        "works": info.get("works"),
        "triples": info.get("triples"),
        "generator_entries": generated.entries if generated else None,
        "store_open_s": opens,
        "values": chosen,
        "queries": rows,
    }


# --------------------------------------------------------------------------------------------
# 3. Remote
# --------------------------------------------------------------------------------------------


def _rows(result: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(str(t) for t in row) for row in result.rows)


def _remote_round(backends: dict[str, Backend], text: str, n: int) -> dict[str, list[float]]:
    """``n`` runs of ``text`` on each backend, one after the other, in blocks of
    :data:`REMOTE_BLOCK` alternating between the backends (and which goes first); the times."""
    times: dict[str, list[float]] = {which: [] for which in backends}
    for block in range(max(1, n // REMOTE_BLOCK)):
        for which in list(backends) if block % 2 == 0 else list(backends)[::-1]:
            backend = backends[which]
            for _ in range(REMOTE_BLOCK):
                t = time.perf_counter()
                backend.execute(text, {}, "select", 60)
                times[which].append(time.perf_counter() - t)
    return times


def _rate(times: list[float]) -> dict[str, float]:
    """Queries per second over ``times`` (run back to back), and the median latency."""
    return {
        "queries": len(times),
        "total_s": round(sum(times), 4),
        "per_second": round(len(times) / sum(times), 1),
        "median_ms": round(statistics.median(times) * 1000, 3),
    }


def bench_remote(args: argparse.Namespace, work: Path, store: Path) -> dict[str, Any]:
    """Section 3: push the bundled graph to a fresh Oxigraph server, then small queries through
    :class:`RemoteBackend` and :class:`LocalBackend` in alternating blocks."""
    sys.path.insert(0, str(ROOT))
    from interp_kg.curation.saved_queries import load_catalogue
    from interp_kg.rdf.export import export
    from interp_kg.sparql.query import LocalBackend, RemoteBackend, with_limit
    from interp_kg.sparql.remote import Endpoint, push
    from interp_kg.store.builds import open_store, read_info
    from tests.oxigraph_server import running_server

    data = export(open_store(store), "ntriples", read_info(store).base_iri)
    local = LocalBackend(open_store(store))
    queries = [("select-limit-10", SMALL_SELECT)]
    featured = load_catalogue().get("featured-works")
    if featured is not None:
        queries.insert(0, ("featured-works", with_limit(featured.text, LIMIT)))
    location = fresh_dir(work, "oxigraph-")
    out: dict[str, Any] = {"triples": data.count(b"\n"), "ntriples_bytes": len(data), "queries": []}
    try:
        with running_server(location) as url:
            t = time.perf_counter()
            push(Endpoint.from_url(url), data, graph=None, timeout=args.timeout)
            out["push_s"] = round(time.perf_counter() - t, 4)
            remote = RemoteBackend(url)
            counts = [
                int(b.execute(COUNT_TRIPLES, {}, "select", 60).rows[0][0].value) for b in (remote, local)
            ]
            out["triple_counts"] = {"remote": counts[0], "local": counts[1]}
            backends: dict[str, Backend] = {"remote": remote, "local": local}
            for name, text in queries:
                # warm-up, and the answers compared
                answers = {k: _rows(b.execute(text, {}, "select", 60)) for k, b in backends.items()}
                rounds: list[dict[str, Any]] = []
                for _ in range(args.repeat):
                    times = _remote_round(backends, text, args.remote_queries)
                    rounds.append({which: _rate(ts) for which, ts in times.items()})
                    rounds[-1]["local_over_remote"] = round(
                        rounds[-1]["local"]["per_second"] / rounds[-1]["remote"]["per_second"], 3
                    )
                medians = {
                    which: {
                        key: statistics.median(r[which][key] for r in rounds)
                        for key in ("per_second", "median_ms")
                    }
                    for which in ("remote", "local")
                }
                ratio = statistics.median(r["local_over_remote"] for r in rounds)
                out["queries"].append(
                    {
                        "name": name,
                        "rows": len(answers["local"]),
                        "same_rows": answers["remote"] == answers["local"],
                        "queries_per_round": args.remote_queries,
                        **medians,
                        "local_over_remote": round(ratio, 2),
                        "rounds": rounds,
                    }
                )
                print(
                    f"   {name}: remote {medians['remote']['per_second']:.0f} q/s, "
                    f"local {medians['local']['per_second']:.0f} q/s ({ratio:.1f}x; medians of "
                    f"{len(rounds)} rounds)",
                    flush=True,
                )
    finally:
        remove(location)
    return out


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def report(results: dict[str, Any]) -> str:
    """The figures as text tables, with the targets beside them."""
    env = results["environment"]
    lines = [
        f"measured {env['date']} on {env['cpus']} CPUs, Python {env['python']}, pyoxigraph "
        f"{env['pyoxigraph']}, git {env['git']}{' (dirty)' if env['git_dirty'] else ''}, source digest "
        f"{env['source_digest']}, queries digest {env['queries_digest']}, load average "
        f"{env['loadavg_start'][0]:.1f} -> {env['loadavg_end'][0]:.1f}"
    ]
    if env["source_digest_end"] != env["source_digest"] or env["queries_digest_end"] != env["queries_digest"]:
        lines.append(
            f"!! the project's code or queries changed during the run (source digest now "
            f"{env['source_digest_end']}, queries digest now {env['queries_digest_end']})"
        )
    lines += _report_bundled(results["bundled"])
    for large in results.get("large", []):
        lines += _report_large(large)
    if "remote" in results:
        lines += _report_remote(results["remote"])
    return "\n".join(lines)


def _report_bundled(b: dict[str, Any]) -> list[str]:
    st = b["startup"]
    help_s, pass_s = st["cli_help"]["median_s"], st["python_pass"]["median_s"]
    target = f"< {TARGET_BUNDLED_S:g} s"
    head = (
        f"{'query':58} {'rows':>5} {'CLI s':>7} {'in-proc ms':>10} {'other s':>7} {'start-up':>8} {target:>7}"
    )
    lines = [
        "",
        "1. Bundled list: `interp-kg query NAME ... -f csv` end to end (medians); start-up = "
        "`interp-kg --help` median / query median; other = CLI - `--help` - in process (imports, "
        "catalogue, store, output)",
        head,
        "-" * len(head),
    ]
    for q in b["queries"]:
        if "cli" not in q:
            lines.append(f"{q['id']:58} !! {q['status']}: {q.get('error', '')[:160]}")
            continue
        lines.append(
            f"{q['id']:58} {q['rows']:>5} {q['cli']['median_s']:>7.3f} "
            f"{q['in_process_median_s'] * 1000:>10.1f} {q['other_s']:>7.3f} {q['startup_share']:>8.0%} "
            f"{_verdict(q['under_target']):>7}"
        )
    timed = [q for q in b["queries"] if "cli" in q]
    passed = sum(q["under_target"] for q in timed)
    lines += [
        f"start-up floor: interp-kg --help {help_s:.3f} s, python -c pass {pass_s:.3f} s "
        f"(medians of {len(st['cli_help']['runs_s'])}); in process, the store opens in "
        f"{statistics.median(b['store_open_s']) * 1000:.1f} ms",
        f"target: every saved query < {TARGET_BUNDLED_S:g} s end to end: {passed}/{len(timed)} "
        f"{_verdict(passed == len(timed) == len(b['queries']))}",
    ]
    for key, v in b["values"].items():
        if v["note"]:
            lines.append(f"   -p {key.split(':')[0]}={v['value']} ({v['note']})")
    return lines


def _report_large(large: dict[str, Any]) -> list[str]:
    head = f"{'query':58} {'rows':>5} {'bind s':>7} {'in-proc s':>9} {'runs':>4} {'CLI s':>7} {'< 1 s':>5}"
    head = head.replace("< 1 s", f"< {TARGET_LARGE_S:g} s")
    lines = [
        "",
        f"2. {large['size']:,}-entry store ({large['triples']:,} triples): in process "
        f"(execute(with_limit(text, {LIMIT}), bind(...)); medians), CLI end to end",
        head,
        "-" * len(head),
    ]
    for q in large["queries"]:
        if "in_process_median_s" not in q:
            lines.append(f"{q['id']:58} !! {q['status']}: {q.get('error', '')[:160]}")
            continue
        cli = f"{q['cli']['median_s']:>7.2f}" if "cli" in q else f"{'-':>7}"
        over = ">" if q["status"] == "timeout" else ""
        rows = q["rows"] if q["rows"] is not None else "-"
        median = over + format(q["in_process_median_s"], ".3f")
        lines.append(
            f"{q['id']:58} {rows:>5} {q['bind_s'] or 0:>7.3f} {median:>9} "
            f"{len(q.get('in_process_runs_s', [])):>4} {cli} {_verdict(q['under_target']):>5}"
        )
    slow = sorted(
        (q for q in large["queries"] if q.get("under_target") is False),
        key=lambda q: -q["in_process_median_s"],
    )
    timed = [q for q in large["queries"] if "under_target" in q]
    lines.append(
        f"target: every saved query < {TARGET_LARGE_S:g} s in process: "
        f"{len(timed) - len(slow)}/{len(timed)} {_verdict(not slow and len(timed) == len(large['queries']))}"
    )
    if slow:
        lines.append(f"!! SLOW at {large['size']:,} entries (median in process, over {TARGET_LARGE_S:g} s):")
        for q in slow:
            what = "timed out after" if q["status"] == "timeout" else "median"
            lines.append(f"!!   {q['id']:56} {what} {q['in_process_median_s']:.2f} s")
    slow_bind = [q for q in large["queries"] if (q.get("bind_s") or 0) >= TARGET_LARGE_S]
    for q in slow_bind:
        lines.append(f"!! binding the parameters of {q['id']} (label lookup) took {q['bind_s']:.2f} s")
    for key, v in large["values"].items():
        if v["note"]:
            lines.append(f"   -p {key.split(':')[0]}={_short(str(v['value']))} ({v['note']})")
    return lines


def _report_remote(remote: dict[str, Any]) -> list[str]:
    counts = remote.get("triple_counts", {})
    lines = [
        "",
        f"3. Remote: the bundled graph ({remote['triples']:,} triples) pushed to a fresh Oxigraph server "
        f"in {remote.get('push_s', 0):.2f} s (triples there: {counts.get('remote')}, local "
        f"{counts.get('local')}); queries one after the other, medians of the rounds' figures",
        f"{'query':20} {'rows':>5} {'remote q/s':>10} {'local q/s':>10} {'local/remote':>12} "
        f"{'remote ms':>9} {'local ms':>9}",
    ]
    for q in remote["queries"]:
        r, loc = q["remote"], q["local"]
        lines.append(
            f"{q['name']:20} {q['rows']:>5} {r['per_second']:>10.0f} {loc['per_second']:>10.0f} "
            f"{q['local_over_remote']:>11.1f}x {r['median_ms']:>9.2f} {loc['median_ms']:>9.3f}"
            + ("" if q["same_rows"] else "  !! remote and local rows differ")
        )
    return lines


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="100000",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="comma-separated sizes of the synthetic lists, in entries (default: 100000; '' for none)",
    )
    ap.add_argument("--repeat", type=int, default=5, help="runs per query (default: 5)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="output directory (default: bench/out)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default: 0)")
    ap.add_argument(
        "--budget",
        type=float,
        default=5.0,
        help="in process, stop repeating a query once its runs took this many seconds (default: 5)",
    )
    ap.add_argument(
        "--large-timeout",
        type=float,
        default=60.0,
        help="seconds before an in-process query is given up (default: 60)",
    )
    ap.add_argument(
        "--cli-max",
        type=float,
        default=3.0,
        help="large store: run the CLI only for queries under this many seconds in process (default: 3)",
    )
    ap.add_argument(
        "--large-cli-repeat", type=int, default=3, help="large store: CLI runs per query (default: 3)"
    )
    ap.add_argument(
        "--remote-queries",
        type=int,
        default=200,
        help="queries per backend in the remote test (default: 200)",
    )
    ap.add_argument("--no-remote", action="store_true", help="skip the remote test")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a subprocess is killed")
    add_command_options(ap, "the project's Python")
    ap.add_argument("--keep", action="store_true", help="keep the large stores in OUT/work")
    ap.add_argument(
        "--large-store",
        type=Path,
        help="an existing store (built with --optimize) of the one --sizes list, to measure instead "
        "of generating and building one (read only)",
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker()
    if not args.interp_kg:
        ap.error("interp-kg not found: pass --interp-kg or run with the project's venv Python")
    if args.large_store and len(args.sizes) != 1:
        ap.error("--large-store needs exactly one --sizes value (the size of its list)")
    if args.repeat < 1 or args.large_cli_repeat < 1:
        ap.error("--repeat and --large-cli-repeat must be >= 1")
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    work.mkdir(exist_ok=True)
    results: dict[str, Any] = {"environment": environment(args)}
    results["environment"]["queries_digest"] = queries_digest()
    started = time.perf_counter()
    bundled_store: Path | None = None
    try:
        catalogue = load_catalogue_json(args)
        results["catalogue"] = catalogue
        print(f"== 1. the bundled list: {len(catalogue)} saved queries", flush=True)
        results["bundled"], bundled_store = bench_bundled(args, work, catalogue)
        if not args.no_remote:
            print("== 3. remote (run second: it uses the bundled store)", flush=True)
            results["remote"] = bench_remote(args, work, bundled_store)
        remove(bundled_store)
        bundled_store = None
        results["large"] = []
        for n in args.sizes:
            print(f"== 2. a {n:,}-entry store", flush=True)
            results["large"].append(bench_large(n, args, work, catalogue))
    except BenchError as exc:
        print(f"bench_query: {exc}", file=sys.stderr)
        return 1
    finally:
        if bundled_store is not None:
            remove(bundled_store)
        with contextlib.suppress(OSError):
            work.rmdir()  # empty unless --keep
    results["targets"] = {"bundled_cli_below_s": TARGET_BUNDLED_S, "large_in_process_below_s": TARGET_LARGE_S}
    env = results["environment"]
    env["loadavg_end"] = os.getloadavg()
    env["source_digest_end"] = source_digest(ROOT)
    env["queries_digest_end"] = queries_digest()
    env["total_s"] = round(time.perf_counter() - started, 1)
    text = report(results)
    print("\n" + text)
    path = args.out / "query.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} (total {env['total_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
