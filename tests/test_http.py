"""The one HTTP client (:mod:`interp_kg.http`) against the recording server of
:mod:`tests.local_http` on 127.0.0.1: Retry-After capped (and ignored when not a finite number),
the size cap on a streamed answer, redirects (same host only), credentials never sent along a
redirect, HTTP Digest answered as RFC 7616 says, the User-Agent's contact forms. Its clock is a
fake: no test sleeps."""

from __future__ import annotations

import hashlib
import re

import pytest

from interp_kg import __version__
from interp_kg.errors import RemoteError, RemoteRejected, RemoteTimeout, RemoteTooLarge
from interp_kg.http import (
    AUTH_ENV,
    MIB,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    Client,
    Credentials,
    HttpPolicy,
    contact_form,
    retry_after,
    user_agent,
)
from tests.local_http import GIB, Answer, FakeClock, Recorder

TOKEN = "tok-S3cret-0123456789"
USER = "alice-S3cret-user"
PASSWORD = "pw-S3cret-9876543210"
OK = Answer(content_type="text/plain", body=b"fine")
DIGEST = Credentials(user=USER, password=PASSWORD, scheme="digest")
CHALLENGE = 'Digest realm="SPARQL", domain="/x", nonce="n0nce", opaque="0paque", qop="auth", algorithm="MD5"'


def client(clock: FakeClock | None = None, **policy: object) -> Client:
    return Client(HttpPolicy.model_validate(policy), clock=clock or FakeClock())


# ---------------------------------------------------------------- Retry-After and backoff


@pytest.mark.parametrize(
    ("header", "waited"),
    [
        ("7", 7.0),
        ("100000", 120.0),  # capped at max_retry_after
        ("inf", 2.0),  # not a finite number of seconds: the backoff's first wait
        ("Infinity", 2.0),
        ("nan", 2.0),
        ("-5", 2.0),
        ("1e9", 2.0),
        ("soon", 2.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 120.0),  # a date far ahead: capped too
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # a date past: no wait
    ],
)
def test_retry_after_is_honoured_up_to_its_cap(recorder: Recorder, header: str, waited: float) -> None:
    clock = FakeClock()
    recorder.answers["/x"] = [Answer(status=429, headers={"Retry-After": header}), OK]
    response = client(clock, retries=1).get(f"{recorder.url}/x")
    assert response.content == b"fine"
    assert clock.sleeps == [waited]
    assert len(recorder.requests) == 2


def test_the_retry_after_cap_is_configurable(recorder: Recorder) -> None:
    clock = FakeClock()
    recorder.answers["/x"] = [Answer(status=503, headers={"Retry-After": "100000"}), OK]
    client(clock, retries=1, max_retry_after=5).get(f"{recorder.url}/x")
    assert clock.sleeps == [5.0]


def test_backoff_doubles_up_to_its_cap_then_gives_up_with_one_line(recorder: Recorder) -> None:
    clock = FakeClock()
    recorder.answers["/x"] = Answer(status=500, content_type="text/plain", body=b"boom\nmore")
    with pytest.raises(RemoteError) as error:
        client(clock, retries=4, backoff=2, max_backoff=5).get(f"{recorder.url}/x")
    assert clock.sleeps == [2.0, 4.0, 5.0, 5.0]
    assert str(error.value) == f"{recorder.url}/x failed (HTTP 500: boom); gave up after 5 tries"
    assert error.value.status == 500 and error.value.detail == "boom"


def test_only_idempotent_requests_are_retried(recorder: Recorder) -> None:
    clock = FakeClock()
    recorder.answers["/x"] = Answer(status=503)
    with pytest.raises(RemoteError, match=r"failed \(HTTP 503"):
        client(clock, retries=3).request("POST", f"{recorder.url}/x", content=b"data")
    assert clock.sleeps == [] and len(recorder.requests) == 1


def test_a_4xx_is_not_retried(recorder: Recorder) -> None:
    recorder.answers["/x"] = Answer(status=400, content_type="text/plain", body=b"bad query")
    with pytest.raises(RemoteRejected, match=r"rejected the request \(HTTP 400: bad query\)$"):
        client(retries=3).get(f"{recorder.url}/x")
    assert len(recorder.requests) == 1


def test_a_timeout_is_retried_then_reported(recorder: Recorder) -> None:
    clock = FakeClock()
    recorder.answers["/x"] = [Answer(hold=True), OK]
    assert client(clock, retries=1, timeout=0.3).get(f"{recorder.url}/x").content == b"fine"
    assert clock.sleeps == [2.0]
    recorder.answers["/y"] = Answer(hold=True)
    with pytest.raises(RemoteTimeout, match=r"^no answer from \S+/y within 0.3 s$"):
        client(timeout=0.3).get(f"{recorder.url}/y")


def test_a_deadline_bounds_the_whole_call(recorder: Recorder) -> None:
    """No wait is started that would end past the call's deadline."""
    clock = FakeClock()
    recorder.answers["/x"] = Answer(status=503, headers={"Retry-After": "60"})
    with pytest.raises(RemoteError, match=r"failed \(HTTP 503"):
        client(clock, retries=5).request("GET", f"{recorder.url}/x", deadline=clock.monotonic() + 30)
    assert clock.sleeps == [] and len(recorder.requests) == 1


def test_requests_are_spaced_by_key(recorder: Recorder) -> None:
    clock = FakeClock()
    spaced = Client(clock=clock, intervals={"api": 3.0})
    for _ in range(3):
        spaced.get(f"{recorder.url}/x", pace="api")
    spaced.get(f"{recorder.url}/x", pace="other")
    assert clock.sleeps == [3.0, 3.0]
    assert spaced.requests == 4


# ---------------------------------------------------------------- size cap


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
def test_a_1_gib_answer_stops_at_the_cap(recorder: Recorder, declared: bool) -> None:
    recorder.answers["/big"] = Answer(stream=GIB, declare_length=declared)
    with pytest.raises(RemoteTooLarge) as error:
        client(max_bytes=8 * MIB).get(f"{recorder.url}/big")
    message = str(error.value)
    assert message.startswith(f"the answer of {recorder.url}/big is larger than 8 MiB")
    assert "--max-response-mib" in message and "\n" not in message
    assert isinstance(error.value, RemoteError) and error.value.exit_code == 5
    assert recorder.streamed.wait(30)
    assert recorder.sent["/big"] < 256 * MIB  # the server could not send it all: nobody read it


def test_an_answer_at_the_cap_is_read(recorder: Recorder) -> None:
    recorder.answers["/exact"] = Answer(stream=MIB, declare_length=False)
    assert len(client(max_bytes=MIB).get(f"{recorder.url}/exact").content) == MIB


def test_an_error_answer_is_read_only_for_its_first_line(recorder: Recorder) -> None:
    recorder.answers["/big"] = Answer(status=500, stream=GIB, declare_length=False)
    with pytest.raises(RemoteError, match=r"failed \(HTTP 500: \{\"head\""):
        client().get(f"{recorder.url}/big")
    assert recorder.streamed.wait(30)
    assert recorder.sent["/big"] < 256 * MIB


# ---------------------------------------------------------------- redirects and credentials


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_refused_naming_both(recorder: Recorder, status: int) -> None:
    port = recorder.url.rsplit(":", 1)[1]
    recorder.answers["/x"] = Answer(
        status=status, headers={"Location": f"http://localhost:{port}/y"}, body=b""
    )
    with pytest.raises(RemoteError) as error:
        Client(credentials=Credentials(token=TOKEN)).get(f"{recorder.url}/x")
    assert str(error.value) == (
        f"{recorder.url}/x redirected to http://localhost:{port}/y, on another host "
        f"(127.0.0.1:{port} -> localhost:{port}): not followed; use that URL if you trust it"
    )
    assert [r.path for r in recorder.requests] == ["/x"]


def test_a_redirect_to_another_port_is_refused(recorder: Recorder) -> None:
    recorder.answers["/x"] = Answer(status=302, headers={"Location": "http://127.0.0.1:9/y"}, body=b"")
    with pytest.raises(RemoteError, match=r"only same-origin redirects and http -> https are followed"):
        client().get(f"{recorder.url}/x")
    assert len(recorder.requests) == 1


def test_same_host_redirects_keep_the_method_but_not_the_credentials(recorder: Recorder) -> None:
    recorder.answers["/a"] = Answer(status=307, headers={"Location": "/b"}, body=b"")
    recorder.answers["/b"] = Answer(status=301, headers={"Location": f"{recorder.url}/c"}, body=b"")
    recorder.answers["/c"] = Answer(status=303, headers={"Location": "/d"}, body=b"")
    recorder.answers["/d"] = OK
    sender = Client(credentials=Credentials(token=TOKEN))
    response = sender.request("POST", f"{recorder.url}/a", content=b"query=x")
    assert (response.content, response.url) == (b"fine", f"{recorder.url}/d")
    seen = [(r.method, r.path, r.body, "Authorization" in r.headers) for r in recorder.requests]
    assert seen == [
        ("POST", "/a", b"query=x", True),
        ("POST", "/b", b"query=x", False),
        ("POST", "/c", b"query=x", False),
        ("GET", "/d", b"", False),
    ]


def test_a_401_after_a_redirect_says_credentials_stay_behind(recorder: Recorder) -> None:
    recorder.answers["/a"] = Answer(status=308, headers={"Location": "/b"}, body=b"")
    recorder.answers["/b"] = Answer(status=401, content_type="text/plain", body=b"who are you")
    with pytest.raises(RemoteError) as error:
        Client(credentials=Credentials(token=TOKEN)).get(f"{recorder.url}/a")
    assert str(error.value) == (
        f"{recorder.url}/a refused access (HTTP 401: who are you); "
        f"credentials are not sent along a redirect: use {recorder.url}/b"
    )


def test_redirects_are_bounded(recorder: Recorder) -> None:
    recorder.answers["/loop"] = Answer(status=302, headers={"Location": "/loop"}, body=b"")
    with pytest.raises(RemoteError, match=r"redirected more than 5 times$"):
        client().get(f"{recorder.url}/loop")
    assert len(recorder.requests) == 6


def test_credentials_are_scrubbed_from_messages(recorder: Recorder) -> None:
    recorder.answers["/x"] = Answer(status=403, content_type="text/plain", echo_authorization=True)
    with pytest.raises(RemoteError) as error:
        Client(credentials=Credentials(token=TOKEN)).get(f"{recorder.url}/x")
    assert TOKEN not in str(error.value) and "Bearer ***" in str(error.value)
    assert TOKEN not in repr(Credentials(token=TOKEN))


# ---------------------------------------------------------------- HTTP Digest


def challenged(status: int = 401, challenge: str = CHALLENGE) -> Answer:
    return Answer(status=status, content_type="text/html", body=b"", headers={"WWW-Authenticate": challenge})


def digest_fields(header: str) -> dict[str, str]:
    scheme, _, rest = header.partition(" ")
    assert scheme == "Digest"
    return {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', rest)}


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_digest_answers_the_challenge_once_without_sending_the_password(recorder: Recorder) -> None:
    recorder.answers["/x"] = [challenged(), OK]
    response = Client(credentials=DIGEST).request("PUT", f"{recorder.url}/x?graph=g", content=b"data")
    assert response.content == b"fine"
    first, second = recorder.requests
    assert "Authorization" not in first.headers
    assert (second.method, second.path, second.body) == ("PUT", "/x?graph=g", b"data")
    fields = digest_fields(second.headers["Authorization"])
    assert (fields["username"], fields["realm"], fields["nonce"], fields["uri"]) == (
        USER,
        "SPARQL",
        "n0nce",
        "/x?graph=g",
    )
    assert (fields["qop"], fields["opaque"], fields["algorithm"]) == ("auth", "0paque", "MD5")
    ha1, ha2 = md5(f"{USER}:SPARQL:{PASSWORD}"), md5("PUT:/x?graph=g")
    expected = md5(f"{ha1}:n0nce:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    assert fields["response"] == expected
    for request in recorder.requests:
        assert PASSWORD not in str(request.headers) and PASSWORD.encode() not in request.body


def test_digest_reuses_the_last_challenge(recorder: Recorder) -> None:
    recorder.answers["/x"] = [challenged(), OK]
    sender = Client(credentials=DIGEST)
    sender.get(f"{recorder.url}/x")
    sender.request("POST", f"{recorder.url}/x", content=b"update=x")
    assert len(recorder.requests) == 3  # the challenge, its answer, then one request
    assert digest_fields(recorder.requests[2].headers["Authorization"])["nc"] == "00000002"


def test_wrong_digest_credentials_are_refused_after_one_answer(recorder: Recorder) -> None:
    recorder.answers["/x"] = challenged()
    with pytest.raises(RemoteError) as error:
        Client(credentials=DIGEST).get(f"{recorder.url}/x")
    assert str(error.value) == f"{recorder.url}/x refused access (HTTP 401)"
    assert len(recorder.requests) == 2


def test_digest_is_not_sent_along_a_redirect(recorder: Recorder) -> None:
    recorder.answers["/a"] = Answer(status=307, headers={"Location": "/b"}, body=b"")
    recorder.answers["/b"] = challenged()
    with pytest.raises(RemoteError) as error:
        Client(credentials=DIGEST).get(f"{recorder.url}/a")
    assert "credentials are not sent along a redirect" in str(error.value)
    assert [(r.path, "Authorization" in r.headers) for r in recorder.requests] == [
        ("/a", False),
        ("/b", False),
    ]


def test_a_basic_challenge_is_not_answered_by_digest(recorder: Recorder) -> None:
    recorder.answers["/x"] = challenged(challenge='Basic realm="x"')
    with pytest.raises(RemoteError) as error:
        Client(credentials=DIGEST).get(f"{recorder.url}/x")
    assert str(error.value) == (
        f"{recorder.url}/x refused access (HTTP 401); the server asks for HTTP Basic authentication: "
        f"unset {AUTH_ENV}"
    )
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("credentials", "hint"),
    [
        (Credentials(user=USER, password=PASSWORD), f": set {AUTH_ENV}=digest"),
        (Credentials(), f": set {USER_ENV}, {PASSWORD_ENV} and {AUTH_ENV}=digest"),
        (Credentials(token=TOKEN), f": set {USER_ENV}, {PASSWORD_ENV} and {AUTH_ENV}=digest"),
    ],
)
def test_a_digest_challenge_says_what_to_set(recorder: Recorder, credentials: Credentials, hint: str) -> None:
    recorder.answers["/x"] = challenged()
    with pytest.raises(RemoteError) as error:
        Client(credentials=credentials).get(f"{recorder.url}/x")
    assert str(error.value) == (
        f"{recorder.url}/x refused access (HTTP 401); the server asks for HTTP Digest authentication{hint}"
    )
    assert PASSWORD not in str(error.value) and TOKEN not in str(error.value)


def test_a_malformed_digest_challenge_is_one_line(recorder: Recorder) -> None:
    recorder.answers["/x"] = challenged(challenge="Digest qop=auth")
    with pytest.raises(RemoteError) as error:
        Client(credentials=DIGEST).get(f"{recorder.url}/x")
    assert str(error.value) == (
        f"{recorder.url}/x sent a malformed HTTP answer (Malformed Digest WWW-Authenticate header)"
    )


@pytest.mark.parametrize(
    ("env", "error"),
    [
        (
            {AUTH_ENV: "ntlm", USER_ENV: USER, PASSWORD_ENV: PASSWORD},
            f"{AUTH_ENV} must be one of basic, digest",
        ),
        ({AUTH_ENV: "digest"}, f"digest authentication needs both {USER_ENV} and {PASSWORD_ENV}"),
        ({AUTH_ENV: "digest", USER_ENV: USER}, f"{PASSWORD_ENV} is not set"),
        ({AUTH_ENV: "digest", TOKEN_ENV: TOKEN}, f"unset {TOKEN_ENV}"),
    ],
)
def test_the_digest_scheme_is_checked_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], error: str
) -> None:
    for name in (AUTH_ENV, USER_ENV, PASSWORD_ENV, TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RemoteError, match=re.escape(error)) as raised:
        Credentials.from_env()
    assert USER not in str(raised.value) and PASSWORD not in str(raised.value)


def test_digest_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.setenv(AUTH_ENV, " Digest ")
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    credentials = Credentials.from_env()
    assert credentials == DIGEST
    assert credentials.authorization() is None  # nothing sent before a challenge
    assert USER not in repr(credentials) and PASSWORD not in repr(credentials)


# ---------------------------------------------------------------- User-Agent


@pytest.mark.parametrize(
    ("contact", "shown"),
    [
        (None, "https://w3id.org/interp-kg"),
        ("me@example.org", "mailto:me@example.org"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("MAILTO:me@example.org", "mailto:me@example.org"),
        ("  mailto:me@example.org ", "mailto:me@example.org"),
        ("https://example.org/~me", "https://example.org/~me"),
        ("http://example.org", "http://example.org"),
    ],
)
def test_the_user_agent_names_the_contact_once(recorder: Recorder, contact: str | None, shown: str) -> None:
    Client(contact=contact).get(f"{recorder.url}/x")
    assert recorder.requests[0].headers["User-Agent"] == f"interp-kg/{__version__} ({shown})"
    assert user_agent(contact).count("mailto:") <= 1


@pytest.mark.parametrize(
    "contact", ["me", "mailto:", "mailto:mailto:me@example.org", "me@example", "ftp://example.org", "a b@c.d"]
)
def test_a_contact_that_says_nothing_is_refused(contact: str) -> None:
    with pytest.raises(ValueError, match="e-mail address"):
        contact_form(contact)


def test_retry_after_forms() -> None:
    assert retry_after("120", 0.0) == 120.0
    assert retry_after(" 1.5 ", 0.0) == 1.5
    assert retry_after("Thu, 01 Jan 1970 00:01:00 GMT", 30.0) == 30.0
    assert retry_after(None, 0.0) is None and retry_after("", 0.0) is None
    for bad in ("inf", "-inf", "nan", "-1", "1e400", "0x10", "later", "Mon, 99 Foo 2024"):
        assert retry_after(bad, 0.0) is None, bad
