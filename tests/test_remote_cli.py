"""`interp-kg query --endpoint` when the endpoint fails, as a script sees it: each failure gives
one line on stderr, no traceback, and exit status 5 (a remote error) or 6 (the query's own fault).

The library-level messages are tested in ``test_remote.py``; these run the command itself, in a
subprocess, against the recording HTTP server of that module and the real Oxigraph server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from interp_kg.rdf.prefixes import sparql_header
from tests.local_http import Answer, Recorder
from tests.oxigraph_server import free_port, running_server

COUNT_WORKS = sparql_header() + "SELECT (COUNT(?w) AS ?n) WHERE { ?w a ikg:Work }"


def query(endpoint: str, *extra: str, text: str = COUNT_WORKS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", "query", "--sparql", text, "--endpoint", endpoint, *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("INTERP_KG_")},  # no credentials
    )


def one_line_error(proc: subprocess.CompletedProcess[str], status: int) -> str:
    assert proc.returncode == status, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interp-kg: error: "), proc.stderr
    return lines[0].removeprefix("interp-kg: error: ")


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("remote")) as url:
        yield url


def test_endpoint_down() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert one_line_error(query(url), 5) == f"cannot reach {url}/query: connection refused"


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999", "ftp://127.0.0.1/sparql"])
def test_malformed_url(url: str) -> None:
    assert "endpoint URL" in one_line_error(query(url), 5)


def test_wrong_url_is_http_404(empty_server: str) -> None:
    url = f"{empty_server}/nope"
    assert one_line_error(query(url), 5).startswith(f"no SPARQL endpoint at {url} (HTTP 404")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, "failed (HTTP 500: boom)"),
        (503, "failed (HTTP 503: boom)"),
        (403, "forbids this (HTTP 403: boom)"),
    ],
)
def test_http_errors(recorder: Recorder, status: int, expected: str) -> None:
    recorder.answers["/query"] = Answer(status=status, content_type="text/plain", body=b"boom\nmore\n")
    assert one_line_error(query(recorder.url), 5) == f"{recorder.url}/query {expected}"


def test_timeout(recorder: Recorder) -> None:
    recorder.answers["/query"] = Answer(hold=True)
    message = one_line_error(query(recorder.url, "--timeout", "0.3"), 5)
    recorder.release.set()
    assert message == f"no answer from {recorder.url}/query within 0.3 s"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(content_type="text/html", body=b"<html>Login</html>"), "did not answer with SPARQL results"),
        (Answer(body=b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":'), "unreadable SPARQL results"),
        (Answer(hang_up=True), "closed the connection without answering"),
    ],
)
def test_answers_that_are_not_sparql_results(recorder: Recorder, answer: Answer, expected: str) -> None:
    recorder.answers["/query"] = answer
    assert expected in one_line_error(query(recorder.url), 5)


def test_syntax_error_is_placed_in_the_query_as_written(empty_server: str) -> None:
    """The server parses the text sent (with the added LIMIT); the error names the user's line."""
    proc = query(empty_server, text="SELECT * WHERE {\n ?s ?p ?o")
    assert proc.returncode == 6 and proc.stdout == "" and "Traceback" not in proc.stderr
    message, line, caret = proc.stderr.splitlines()  # the error, the line as written, a caret
    assert message.startswith("interp-kg: error: syntax error at line 2, column 10"), message
    assert line == "  2 |  ?s ?p ?o" and caret.index("^") == len("  2 | ") + 9


TWO_ROWS = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"a"}},' + (
    b'{"n":{"type":"literal","value":"b"}}]}}'
)


@pytest.mark.parametrize(("cap", "noted"), [("2", True), ("3", False), ("none", False)])
def test_an_answer_cut_by_the_server_is_noted(recorder: Recorder, cap: str, noted: bool) -> None:
    """Virtuoso marks an answer its ResultSetMaxRows stopped with X-SPARQL-MaxRows: the rows are
    printed, and stderr says they may be cut (exit 0: an answer of exactly that many rows is
    marked too)."""
    headers = {} if cap == "none" else {"X-SPARQL-MaxRows": cap}
    recorder.answers["/query"] = Answer(body=TWO_ROWS, headers=headers)
    proc = query(recorder.url, "-f", "csv")
    assert (proc.returncode, proc.stdout.splitlines()) == (0, ["n", "a", "b"]), proc.stderr
    note = (
        "(the endpoint stops answers at 2 rows: this one may be cut; on Virtuoso, raise "
        "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)\n"
    )
    assert proc.stderr == (note if noted else "")
