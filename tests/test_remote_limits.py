"""The limits of remote calls as a user meets them, each command in a subprocess against the
recording server of :mod:`tests.local_http` (127.0.0.1): a 1 GiB answer stops at the size cap with
bounded memory (exit 5), a redirect to another host is refused, `push` ends within its --timeout
against a hanging or flooding server, the User-Agent carries the contact, and `--help` loads no
HTTP library."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interp_kg import __version__
from interp_kg.rdf.prefixes import sparql_header
from tests.local_http import GIB, Answer, Recorder

CLI = [sys.executable, "-m", "interp_kg"]
COUNT_WORKS = sparql_header() + "SELECT (COUNT(?w) AS ?n) WHERE { ?w a ikg:Work }"
#: Runs the command given as arguments and prints the largest resident set size of its children
#: (the command), in KiB, on stdout; the command's stderr and exit status are passed on.
PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.stderr.write(proc.stderr)\n"
    "sys.exit(proc.returncode)\n"
)


def environment(**extra: str) -> dict[str, str]:
    """This environment without interp-kg's variables (no credentials, no contact), plus ``extra``."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("INTERP_KG_")}, **extra}


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False, env=env or environment()
    )


def one_line_error(proc: subprocess.CompletedProcess[str], status: int) -> str:
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interp-kg: error: "), proc.stderr
    return lines[0].removeprefix("interp-kg: error: ")


# ---------------------------------------------------------------- size cap


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_1_gib_answer_is_capped_with_bounded_memory(recorder: Recorder, declared: bool) -> None:
    recorder.answers["/query"] = Answer(stream=GIB, declare_length=declared)
    command = [*CLI, "query", "--sparql", COUNT_WORKS, "--endpoint", recorder.url]
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment(),
    )
    message = one_line_error(proc, 5)
    assert message.startswith(f"the answer of {recorder.url}/query is larger than 64 MiB")
    peak_mib = int(proc.stdout) / 1024
    assert peak_mib < 400, f"the command held {peak_mib:.0f} MiB"
    assert recorder.streamed.wait(30)
    assert recorder.sent["/query"] < GIB // 4  # the rest was never read


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_size_cap_is_configurable(recorder: Recorder, how: str) -> None:
    recorder.answers["/query"] = Answer(stream=20 * 1024 * 1024, declare_length=False)
    extra = ["--max-response-mib", "8"] if how == "option" else []
    env = environment(INTERP_KG_MAX_RESPONSE_MIB="8") if how == "environment" else None
    proc = run("query", "--sparql", COUNT_WORKS, "--endpoint", recorder.url, *extra, env=env)
    assert "is larger than 8 MiB" in one_line_error(proc, 5)


# ---------------------------------------------------------------- redirects


@pytest.mark.parametrize("status", [301, 302, 303])
def test_query_refuses_a_redirect_to_another_host(recorder: Recorder, status: int) -> None:
    port = recorder.url.rsplit(":", 1)[1]
    recorder.answers["/query"] = Answer(
        status=status, headers={"Location": f"http://localhost:{port}/elsewhere"}, body=b""
    )
    env = environment(INTERP_KG_ENDPOINT_TOKEN="tok-S3cret")
    message = one_line_error(run("query", "--sparql", COUNT_WORKS, "--endpoint", recorder.url, env=env), 5)
    assert message == (
        f"{recorder.url}/query redirected to http://localhost:{port}/elsewhere, on another host "
        f"(127.0.0.1:{port} -> localhost:{port}): not followed; use that URL if you trust it"
    )
    assert [r.path for r in recorder.requests] == ["/query"]


# ---------------------------------------------------------------- push


def test_push_to_a_hanging_server_ends_within_its_timeout(
    recorder: Recorder, bundled_store_dir: Path
) -> None:
    recorder.answers["/store"] = Answer(hold=True)
    recorder.answers["/update"] = Answer(hold=True)
    start = time.monotonic()
    proc = run("push", "--endpoint", recorder.url, "--timeout", "2", "--store", str(bundled_store_dir))
    took = time.monotonic() - start
    message = one_line_error(proc, 5)
    assert message.startswith(
        f"no answer from {recorder.url}/store within 2 s; the target graph is unchanged"
    )
    assert took < 2 + 5, f"push took {took:.1f} s"  # its timeout, and the start of Python
    recorder.release.set()


def test_push_to_a_flooding_server_stops_at_the_cap(recorder: Recorder, bundled_store_dir: Path) -> None:
    recorder.answers["/store"] = Answer(status=201, stream=GIB, declare_length=False)
    recorder.answers["/update"] = Answer(status=204, body=b"")
    proc = run("push", "--endpoint", recorder.url, "--timeout", "30", "--store", str(bundled_store_dir))
    message = one_line_error(proc, 5)
    assert message.startswith(f"the answer of {recorder.url}/store is larger than 64 MiB")
    assert proc.stdout == ""
    moved = [r for r in recorder.requests if r.path == "/update" and b"MOVE" in r.body]
    assert moved == []  # nothing moved over the target
    assert any(b"DROP" in r.body for r in recorder.requests if r.path == "/update")


# ---------------------------------------------------------------- User-Agent


@pytest.mark.parametrize("contact", ["me@example.org", "mailto:me@example.org"])
def test_the_contact_reaches_the_user_agent_once(recorder: Recorder, contact: str) -> None:
    proc = run(
        "query",
        "--sparql",
        COUNT_WORKS,
        "--endpoint",
        recorder.url,
        env=environment(INTERP_KG_CONTACT=contact),
    )
    assert proc.returncode == 0, proc.stderr
    assert recorder.requests[0].headers["User-Agent"] == f"interp-kg/{__version__} (mailto:me@example.org)"


def test_a_contact_that_says_nothing_is_bad_usage(recorder: Recorder) -> None:
    proc = run("query", "--sparql", COUNT_WORKS, "--endpoint", recorder.url, "--contact", "nobody")
    assert proc.returncode == 2 and "--contact" in proc.stderr and "e-mail address" in proc.stderr
    assert recorder.requests == []


# ---------------------------------------------------------------- start-up


def test_help_loads_no_http_library() -> None:
    heavy = ("httpx", "SPARQLWrapper", "rdflib", "pyoxigraph", "pydantic")
    script = (
        "import sys\n"
        "from interp_kg.cli.main import main\n"
        "sys.argv = ['interp-kg', '--help']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules), code, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "LOADED [] 0" in proc.stderr, proc.stderr
