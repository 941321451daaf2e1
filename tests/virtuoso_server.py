"""A real Virtuoso 7 server for the tests (Debian's ``virtuoso-opensource``): a temporary database
under the test's directory, SQL and HTTP on 127.0.0.1 at free ports, ready when its log says it is
online and ``/sparql`` answers, always stopped afterwards.

Its endpoints: ``/sparql`` (queries, anonymous), ``/sparql-auth`` (queries and updates) and
``/sparql-graph-crud-auth`` (Graph Store Protocol), the last two behind HTTP Digest
authentication. The server starts with Virtuoso's default ``dba``/``dba`` account; the fixture
then creates a user with the ``SPARQL_UPDATE`` role (what ``push`` needs) and changes the
``dba`` password, both to random values, through ``isql-vt`` (statements on its stdin, so that
no password but the default one is on a command line).
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from interp_kg.sparql.remote import Endpoint
from tests.oxigraph_server import drain_output, free_port, start_until

SERVER = "virtuoso-t"
ISQL = "isql-vt"
MISSING = (
    "install Debian's virtuoso-opensource (apt-get install virtuoso-opensource) to run the Virtuoso tests"
)
ONLINE = "Server online at"
#: What Virtuoso logs when a port is taken (then it exits).
PORT_TAKEN = ("Failed HTTP listen", "Failed to start listening")
START_TIMEOUT = 90.0
"""Seconds the server may take to come online (a fresh database: ~3 s here) before it is killed."""
ATTEMPTS = 5
USER = "ikg_pusher"

INI = """\
; A throwaway Virtuoso for the tests: everything under {dir}, listening on 127.0.0.1 only.
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {dir}
VADInstallDir = {dir}/vad
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
ServerThreads = 10
EnabledGzipContent = 0

[SPARQL]
; Debian's virtuoso.ini cuts answers at 10,000 rows and queries at 60 s (partial answers):
; here neither (unless a test asks for a row limit), so that every answer is whole.
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


def server_binary() -> str | None:
    """Virtuoso's server on the PATH, if installed."""
    return shutil.which(SERVER)


@dataclass(frozen=True)
class Virtuoso:
    """A running test server: its HTTP base URL, the user that may write (with its password), and
    a way to run SQL as ``dba``."""

    url: str
    sql_port: int
    directory: Path
    user: str = field(repr=False)
    password: str = field(repr=False)
    dba_password: str = field(repr=False)

    @property
    def update_url(self) -> str:
        return f"{self.url}/sparql-auth"

    @property
    def store_url(self) -> str:
        return f"{self.url}/sparql-graph-crud-auth"

    def query_url(self, graph: str | None = None) -> str:
        """``/sparql``; with ``graph``, that graph as the default graph of every query (Virtuoso's
        own default graph is the union of all its graphs, its system graphs included)."""
        if graph is None:
            return f"{self.url}/sparql"
        return f"{self.url}/sparql?{urllib.parse.urlencode({'default-graph-uri': graph})}"

    def endpoint(self, graph: str | None = None) -> Endpoint:
        return Endpoint(query_url=self.query_url(graph), update_url=self.update_url, store_url=self.store_url)

    def sql(self, statements: str) -> str:
        """Run SQL statements as ``dba`` (given on stdin); their output, or RuntimeError."""
        return run_sql(self.sql_port, self.dba_password, statements)


def run_sql(port: int, dba_password: str, statements: str) -> str:
    isql = shutil.which(ISQL)
    if isql is None:
        raise RuntimeError(f"{ISQL} is not on the PATH ({MISSING})")
    proc = subprocess.run(
        [isql, f"127.0.0.1:{port}", "dba", dba_password],
        input=statements,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 or "*** Error" in out:  # isql exits 0 after a failed statement
        raise RuntimeError(f"isql failed (exit {proc.returncode}): {out.strip()}")
    return out


def _answers(url: str, deadline: float) -> None:
    """Poll ``/sparql`` with ``ASK {}`` until it answers 200, or RuntimeError at ``deadline``."""
    ask = f"{url}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    problem = "no answer"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(ask, timeout=5) as response:
                if response.status == 200:
                    return
                problem = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            problem = str(exc)
        threading.Event().wait(0.05)  # between polls, bounded by the deadline
    raise RuntimeError(f"Virtuoso at {url} did not answer within {START_TIMEOUT:g} s: {problem}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # SIGTERM: Virtuoso shuts down (a quick shutdown: the database is thrown away)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_virtuoso(directory: Path, *, max_rows: int = 1_000_000) -> Iterator[Virtuoso]:
    """Run Virtuoso on a new database in ``directory`` at 127.0.0.1 and free ports; yields it,
    with a user that may push, once ``/sparql`` answers. ``max_rows``: its ``ResultSetMaxRows``.
    The server is stopped (SIGTERM, then wait) on exit, whatever happened inside the block."""
    binary = server_binary()
    if binary is None:
        raise RuntimeError(MISSING)
    output: list[str] = []
    for attempt in range(ATTEMPTS):
        work = directory / f"db{attempt}"
        (work / "vsp").mkdir(parents=True)
        (work / "vad").mkdir()
        sql_port, http_port = free_port(), free_port()
        ini = work / "virtuoso.ini"
        settings = INI.format(dir=work, sql_port=sql_port, http_port=http_port, max_rows=max_rows)
        ini.write_text(settings, encoding="utf-8")
        process, output = start_until(
            [binary, "+foreground", "+configfile", str(ini)], lambda line: ONLINE in line, START_TIMEOUT, work
        )
        if output and any(taken in line for line in output for taken in PORT_TAKEN):
            continue  # someone took a port between free_port() and the server's bind
        if output:
            break
        assert process.stdout is not None
        drain = threading.Thread(target=drain_output, args=(process.stdout,), daemon=True)
        drain.start()
        try:
            url = f"http://127.0.0.1:{http_port}"
            _answers(url, time.monotonic() + START_TIMEOUT)
            server = Virtuoso(
                url=url,
                sql_port=sql_port,
                directory=work,
                user=USER,
                password=secrets.token_urlsafe(16),
                dba_password=secrets.token_urlsafe(16),
            )
            run_sql(
                sql_port,
                "dba",
                f"DB.DBA.USER_CREATE('{server.user}', '{server.password}');\n"
                f'GRANT SPARQL_UPDATE TO "{server.user}";\n'
                f"USER_SET_PASSWORD('dba', '{server.dba_password}');\n",
            )
            yield server
        finally:
            _stop(process)
            drain.join()
            process.stdout.close()
        return
    raise RuntimeError(f"Virtuoso did not start: {''.join(output[-20:]).strip()}")
