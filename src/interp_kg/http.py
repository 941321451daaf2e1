"""The one HTTP client of interp-kg: every remote call (SPARQL endpoints, Graph Store pushes, the
arXiv, Crossref and OpenReview APIs, Wikidata) goes through :class:`Client`, built on httpx.

The policy (:class:`HttpPolicy`) bounds every request:

- **time**: a connect timeout, a read timeout (silence while waiting for or reading the answer),
  and a total deadline per attempt (``timeout``: connecting, sending and reading the whole
  answer), so a server that trickles bytes is cut off too; a caller may also give a deadline
  for a whole call (all attempts and waits);
- **retries** of idempotent requests after a connection error, a timeout, HTTP 429 or 5xx, with
  exponential backoff capped at ``max_backoff``; ``Retry-After`` (seconds or an HTTP date) is
  honoured up to ``max_retry_after`` (a longer one is cut to it; a negative, non-finite or
  unreadable one counts as absent);
- **size**: the body is read as a stream and the read stops at ``max_bytes``
  (:class:`~interp_kg.errors.RemoteTooLarge`); a ``Content-Length`` above it is refused unread;
- **redirects**: at most ``max_redirects``, to the same host only (``http`` -> ``https`` on the
  same host is allowed, the reverse is not); a redirect to another host is an error naming both.
  301, 302, 307 and 308 repeat the request as it was (a SPARQL POST stays a POST), 303 becomes a GET.

Every request carries one User-Agent, built once from the contact (:func:`user_agent`).
Credentials (:class:`Credentials`) come from the environment only: a bearer token, or a user and
password sent by HTTP Basic (with every request) or HTTP Digest (``INTERP_KG_ENDPOINT_AUTH=digest``:
the request goes without credentials, and a ``401`` with a Digest challenge is answered once,
by httpx's :class:`httpx.DigestAuth`; the password itself never goes out, and later requests
reuse the challenge). Either way they are sent to the URL asked for and never along a redirect,
and every message is scrubbed of them. A ``401`` whose challenge asks for another scheme than the
one configured says so. Waits go through an
injectable :class:`Clock`, so tests never sleep. Errors are one-line
:class:`~interp_kg.errors.RemoteError` s (``status`` and ``detail`` set for HTTP errors).
"""

from __future__ import annotations

import base64
import email.utils
import functools
import math
import os
import re
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field

from interp_kg import __version__
from interp_kg.errors import RemoteError, RemoteRejected, RemoteTimeout, RemoteTooLarge

if TYPE_CHECKING:
    import ssl

    import httpx

PROJECT_URL = "https://w3id.org/interp-kg"
"""The contact in the User-Agent when none is given."""
CONTACT_ENV = "INTERP_KG_CONTACT"
MAX_RESPONSE_ENV = "INTERP_KG_MAX_RESPONSE_MIB"
"""The size cap in MiB, read by the commands' ``--max-response-mib`` option."""
TOKEN_ENV = "INTERP_KG_ENDPOINT_TOKEN"
USER_ENV = "INTERP_KG_ENDPOINT_USER"
PASSWORD_ENV = "INTERP_KG_ENDPOINT_PASSWORD"
AUTH_ENV = "INTERP_KG_ENDPOINT_AUTH"
"""How the user and password are sent: an :data:`AuthScheme`, ``basic`` by default."""
AuthScheme = Literal["basic", "digest"]
AUTH_SCHEMES: tuple[AuthScheme, ...] = get_args(AuthScheme)
MIB = 1024 * 1024
DEFAULT_MAX_RESPONSE_MIB = 64
DEFAULT_MAX_RETRY_AFTER = 120.0
#: Bytes of an error answer read for its first line.
_ERROR_BODY = 64 * 1024
_MAX_DETAIL = 200
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_EMAIL = re.compile(r"[^\s@()<>;,:\"']+@[^\s@()<>;,:/\"']+\.[^\s@()<>;,:/\"']+")
_URL = re.compile(r"https?://[^\s()<>;\"']+")
_TOKEN = re.compile(r"[\x21-\x7e]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DELTA_SECONDS = re.compile(r"\d+(?:\.\d+)?")
# A challenge's scheme: at the start of a WWW-Authenticate value or after a comma, followed by
# a space and a parameter or token68 (not a parameter name such as realm=).
_CHALLENGE = re.compile(r"(?:^|,)\s*([A-Za-z][\w!#$%&\'*+.^`|~-]*)(?=\s+[^\s=,]|\s*$|\s*,)")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCHEME_NAMES = {"basic": "Basic", "digest": "Digest", "bearer": "Bearer", "negotiate": "Negotiate"}


class HttpPolicy(BaseModel):
    """The limits of remote calls (see the module docstring); every field has a safe default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(
        default=30.0,
        gt=0,
        allow_inf_nan=False,
        description="Seconds one attempt may take in all: connecting, sending and reading the whole answer.",
    )
    connect_timeout: float = Field(
        default=10.0,
        gt=0,
        allow_inf_nan=False,
        description="Seconds to open a connection (at most `timeout`).",
    )
    read_timeout: float = Field(
        default=30.0,
        gt=0,
        allow_inf_nan=False,
        description="Seconds of silence while waiting for or reading the answer (at most `timeout`).",
    )
    retries: int = Field(
        default=0,
        ge=0,
        le=20,
        description="Extra attempts of an idempotent request after a connection error, a timeout, "
        "HTTP 429 or 5xx.",
    )
    backoff: float = Field(
        default=2.0,
        ge=0,
        allow_inf_nan=False,
        description="Seconds before the first retry when the server gives no Retry-After; doubled each time.",
    )
    max_backoff: float = Field(
        default=60.0,
        ge=0,
        allow_inf_nan=False,
        description="Longest wait between attempts without Retry-After.",
    )
    max_retry_after: float = Field(
        default=DEFAULT_MAX_RETRY_AFTER,
        ge=0,
        allow_inf_nan=False,
        description="Longest wait a Retry-After header gets; a longer one is cut to this.",
    )
    max_bytes: int = Field(
        default=DEFAULT_MAX_RESPONSE_MIB * MIB,
        ge=1,
        description="Largest answer body read, in bytes after decoding; a larger one is RemoteTooLarge.",
    )
    max_redirects: int = Field(
        default=5, ge=0, le=20, description="Redirects followed, on the same host only."
    )


class Clock(Protocol):
    """Time as the client sees it: tests pass one whose ``sleep`` only records the wait."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


def contact_form(contact: str) -> str:
    """``contact`` as the User-Agent shows it: ``mailto:`` + an e-mail address, or an http(s) URL.

    >>> contact_form("me@example.org"), contact_form("mailto:me@example.org")
    ('mailto:me@example.org', 'mailto:me@example.org')
    >>> contact_form("https://example.org/me")
    'https://example.org/me'

    :class:`ValueError` for anything else (it would not tell a service whom to write to).
    """
    value = contact.strip()
    address = value[len("mailto:") :] if value.lower().startswith("mailto:") else value
    if _EMAIL.fullmatch(address):
        return f"mailto:{address}"
    if _URL.fullmatch(value):
        return value
    raise ValueError(
        f"the contact must be an e-mail address (me@example.org, mailto:me@example.org) "
        f"or an http(s) URL, got {contact!r}"
    )


def user_agent(contact: str | None = None) -> str:
    """``interp-kg/<version> (<contact>)``; the project's URL when no contact is given.

    >>> user_agent("mailto:me@example.org") == user_agent("me@example.org")
    True
    """
    return f"interp-kg/{__version__} ({contact_form(contact) if contact else PROJECT_URL})"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date, compared
    with ``now``, seconds since the epoch); None when absent, negative, non-finite or unreadable.

    >>> retry_after("7", 0.0), retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 4.0)
    (7.0, 6.0)
    >>> retry_after("inf", 0.0), retry_after("-3", 0.0), retry_after("soon", 0.0)
    (None, None, None)
    """
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    try:
        stamp = when.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
    return max(0.0, stamp - now) if math.isfinite(stamp) else None


@dataclass(frozen=True)
class Credentials:
    """Credentials for one endpoint, from the environment; ``repr`` shows none of them.

    ``scheme`` says how ``user`` and ``password`` go out: ``basic`` (an ``Authorization`` header
    on every request) or ``digest`` (answers to the server's Digest challenge, see the module
    docstring).
    """

    token: str | None = field(default=None, repr=False)
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    scheme: AuthScheme = "basic"

    @classmethod
    def from_env(cls) -> Credentials:
        """:data:`TOKEN_ENV` (bearer), else :data:`USER_ENV` and :data:`PASSWORD_ENV`, sent as
        :data:`AUTH_ENV` says (``basic`` by default, or ``digest``).

        Values are checked here, so that no HTTP library ever rejects a header value (its error
        would quote the header, credentials included). :class:`RemoteError` naming the variable.
        """
        token = os.environ.get(TOKEN_ENV) or None
        user = os.environ.get(USER_ENV) or None
        password = os.environ.get(PASSWORD_ENV) or None
        scheme = (os.environ.get(AUTH_ENV) or "basic").strip().lower()
        if scheme not in AUTH_SCHEMES:
            raise RemoteError(f"{AUTH_ENV} must be one of {', '.join(AUTH_SCHEMES)}")
        if token and not _TOKEN.fullmatch(token):
            raise RemoteError(f"{TOKEN_ENV} must be printable ASCII without spaces (a stray newline?)")
        if user and (":" in user or _CONTROL.search(user)):
            raise RemoteError(f"{USER_ENV} must not hold ':' or control characters")
        if password and _CONTROL.search(password):
            raise RemoteError(f"{PASSWORD_ENV} must not hold control characters (a stray newline?)")
        if token and scheme == "digest":
            raise RemoteError(
                f"{AUTH_ENV}=digest sends {USER_ENV} and {PASSWORD_ENV}, not a token: unset {TOKEN_ENV}"
            )
        if token:
            return cls(token=token)
        if bool(user) != bool(password) or (scheme == "digest" and not user):
            missing = PASSWORD_ENV if user else USER_ENV
            raise RemoteError(
                f"{scheme} authentication needs both {USER_ENV} and {PASSWORD_ENV}: {missing} is not set"
            )
        return cls(user=user, password=password, scheme=scheme)

    def authorization(self) -> str | None:
        """The ``Authorization`` header value sent with every request, if there is one (none
        for Digest, whose header answers a challenge: :meth:`digest`)."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user and self.password and self.scheme == "basic":
            pair = f"{self.user}:{self.password}".encode()
            return f"Basic {base64.b64encode(pair).decode('ascii')}"
        return None

    def digest(self) -> httpx.DigestAuth | None:
        """A new :class:`httpx.DigestAuth` (it keeps the last challenge) when the scheme is Digest."""
        if self.scheme != "digest" or not (self.user and self.password):
            return None
        import httpx

        return httpx.DigestAuth(self.user, self.password)

    @property
    def present(self) -> bool:
        """Whether any credential is set."""
        return bool(self.token or (self.user and self.password))

    def redact(self, message: str) -> str:
        """``message`` with every credential (and its encoded form) replaced by ``***``."""
        secrets = [self.token, self.password, self.user]
        if self.user and self.password:
            secrets.append(base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii"))
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            message = message.replace(secret, "***")
        return message


NO_CREDENTIALS = Credentials()


@dataclass(frozen=True)
class Response:
    """A complete answer: its status, media type (``Content-Type``), body, final URL and headers
    (names in lower case)."""

    status: int
    content_type: str
    content: bytes
    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)


def display(url: str) -> str:
    """``url`` as shown in messages: no user info, query or fragment."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def first_line(text: str | bytes) -> str:
    """The first non-blank line of ``text``, at most 200 characters."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 3] + "..."


def challenge_hint(challenges: list[str], credentials: Credentials) -> str:
    """What the ``WWW-Authenticate`` challenges of a ``401`` ask for, when it is not what was
    sent: a clause to append to its message that says which variables to set; ``""`` when the
    challenges ask for what was sent (the credentials are wrong) or there are none (Virtuoso
    sends none after a request with an ``Authorization`` header).

    >>> user = Credentials(user="u", password="p")
    >>> challenge_hint(['Digest realm="SPARQL", nonce="1", qop="auth"'], user)
    '; the server asks for HTTP Digest authentication: set INTERP_KG_ENDPOINT_AUTH=digest'
    >>> challenge_hint(['Basic realm="x"'], user), challenge_hint([], user)
    ('', '')
    """
    offered = [m.group(1).lower() for c in challenges for m in _CHALLENGE.finditer(_QUOTED.sub('""', c))]
    if not offered:
        return ""
    if credentials.token:
        sent: str | None = "bearer"
    elif credentials.present:
        sent = credentials.scheme
    else:
        sent = None
    if sent in offered:
        return ""
    names = " or ".join(dict.fromkeys(_SCHEME_NAMES.get(o, o) for o in offered))
    said = f"; the server asks for HTTP {names} authentication"
    if "digest" in offered and "basic" not in offered:
        if credentials.present and not credentials.token:
            return f"{said}: set {AUTH_ENV}=digest"
        return f"{said}: set {USER_ENV}, {PASSWORD_ENV} and {AUTH_ENV}=digest"
    if "basic" in offered:
        if sent == "digest":
            return f"{said}: unset {AUTH_ENV}"
        return f"{said}: set {USER_ENV} and {PASSWORD_ENV}"
    if "bearer" in offered:
        return f"{said}: set {TOKEN_ENV}"
    return said


def status_message(shown: str, status: int, detail: str) -> str:
    """The one-line message for an HTTP error ``status`` from ``shown``."""
    said = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
    if status == 404:
        return f"{shown} not found ({said})"
    if status == 401:
        return f"{shown} refused access ({said})"
    if status == 403:
        return f"{shown} forbids this ({said})"
    if status == 429:
        return f"{shown} rate-limited the request ({said})"
    if 300 <= status < 400:
        return f"{shown} redirected without a usable Location ({said})"
    if status >= 500:
        return f"{shown} failed ({said})"
    return f"{shown} rejected the request ({said})"


class _Retry(Exception):
    """One attempt failed in a way worth another (when the request is idempotent)."""

    def __init__(self, error: RemoteError, wait: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class Client:
    """HTTP requests under one :class:`HttpPolicy`, one User-Agent and, optionally, credentials.

    ``intervals`` spaces requests by a key the caller names (``pace=``): e.g. arXiv asks for 3 s
    between calls. ``requests`` counts the attempts made. Use as a context manager, or ``close()``.
    """

    def __init__(
        self,
        policy: HttpPolicy | None = None,
        *,
        contact: str | None = None,
        credentials: Credentials = NO_CREDENTIALS,
        clock: Clock = SYSTEM_CLOCK,
        intervals: Mapping[str, float] | None = None,
    ) -> None:
        self.policy = policy or HttpPolicy()
        self.agent = user_agent(contact)
        self.credentials = credentials
        self.clock = clock
        self.intervals = dict(intervals or {})
        self.requests = 0
        self._last: dict[str, float] = {}
        self._http: httpx.Client | None = None
        self._digest: httpx.DigestAuth | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _transport(self) -> httpx.Client:
        if self._http is None:
            import httpx

            self._http = httpx.Client(
                follow_redirects=False, headers={"User-Agent": self.agent}, verify=_tls_context()
            )
        return self._http

    def _digest_auth(self) -> httpx.DigestAuth | None:
        """The client's one Digest responder (it keeps the last challenge), if the scheme is Digest."""
        if self._digest is None:
            self._digest = self.credentials.digest()
        return self._digest

    def _send(self, request: httpx.Request, challenged: bool) -> httpx.Response:
        """Send ``request``; with Digest credentials (``challenged``: the URL asked for, not a
        redirect), answer the server's Digest challenge once. The first answer is closed unread."""
        digest = self._digest_auth() if challenged else None
        if digest is None:
            return self._transport().send(request, stream=True)
        flow = digest.sync_auth_flow(request)
        try:
            request = next(flow)  # with a header from the last challenge, if there was one
            response = self._transport().send(request, stream=True)
            if response.status_code != 401:
                return response
            try:
                again = flow.send(response)  # StopIteration: no Digest challenge to answer
            except StopIteration:
                return response
            except BaseException:
                response.close()
                raise
            response.close()
            return self._transport().send(again, stream=True)
        finally:
            flow.close()

    def get(self, url: str, *, pace: str | None = None, shown: str | None = None) -> Response:
        """:meth:`request` of a GET."""
        return self.request("GET", url, pace=pace, shown=shown)

    def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        pace: str | None = None,
        shown: str | None = None,
        any_status: bool = False,
    ) -> Response:
        """Send a request and read its whole answer (a 2xx); :class:`RemoteError` otherwise, or,
        with ``any_status`` (a proxy passing answers on), the answer whatever its status.

        ``idempotent`` (default: by method; a SPARQL query sent by POST is) allows retries.
        ``timeout`` replaces the policy's for this call; ``deadline`` (a :meth:`Clock.monotonic`
        time) bounds the whole call, all attempts and waits included. ``shown`` is the URL as
        messages name it (default: without query or user info).
        """
        method = method.upper()
        shown = shown or display(url)
        limit = timeout if timeout is not None else self.policy.timeout
        retryable = method in _IDEMPOTENT if idempotent is None else idempotent
        tries = 1 + (self.policy.retries if retryable else 0)
        for attempt in range(1, tries + 1):
            self._pace(pace)
            self.requests += 1
            try:
                return self._attempt(method, url, content, headers or {}, limit, deadline, shown, any_status)
            except _Retry as failed:
                error = failed.error
                if attempt == tries:
                    if tries > 1:
                        raise type(error)(
                            f"{error}; gave up after {tries} tries", status=error.status, detail=error.detail
                        ) from None
                    raise error from None
                wait = failed.wait
                if wait is None:
                    wait = min(self.policy.max_backoff, self.policy.backoff * 2 ** (attempt - 1))
                else:
                    wait = min(wait, self.policy.max_retry_after)
                if deadline is not None and self.clock.monotonic() + wait >= deadline:
                    raise error from None
                self.clock.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self, key: str | None) -> None:
        if key is None:
            return
        interval = self.intervals.get(key, 0.0)
        if key in self._last and interval > 0:
            wait = self._last[key] + interval - self.clock.monotonic()
            if wait > 0:
                self.clock.sleep(wait)
        self._last[key] = self.clock.monotonic()

    def _error(
        self, kind: type[RemoteError], message: str, status: int | None = None, detail: str = ""
    ) -> RemoteError:
        return kind(" ".join(self.credentials.redact(message).split()), status=status, detail=detail)

    def _attempt(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        limit: float,
        deadline: float | None,
        shown: str,
        any_status: bool = False,
    ) -> Response:
        """One attempt: the request, the redirects it is allowed, the whole answer."""
        import httpx

        start = self.clock.monotonic()
        ends = start + limit if deadline is None else min(start + limit, deadline)
        authorization = self.credentials.authorization()
        current = url
        redirects = 0
        while True:
            remaining = ends - self.clock.monotonic()
            if remaining <= 0:
                raise _Retry(self._error(RemoteTimeout, f"no answer from {shown} within {limit:g} s"))
            sent = dict(headers)
            if authorization is not None and redirects == 0:
                sent["Authorization"] = authorization
            try:
                request = self._transport().build_request(
                    method,
                    current,
                    content=content,
                    headers=sent,
                    timeout=httpx.Timeout(
                        connect=min(self.policy.connect_timeout, remaining),
                        read=min(self.policy.read_timeout, remaining),
                        write=min(self.policy.read_timeout, remaining),
                        pool=min(self.policy.connect_timeout, remaining),
                    ),
                )
                response = self._send(request, challenged=redirects == 0)
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, shown, limit) from None
            try:
                status = response.status_code
                if status in _REDIRECTS and response.headers.get("Location"):
                    target = self._redirect(current, response.headers["Location"], shown)
                    redirects += 1
                    if redirects > self.policy.max_redirects:
                        raise self._error(
                            RemoteError, f"{shown} redirected more than {self.policy.max_redirects} times"
                        )
                    if status == 303 and method != "HEAD":
                        method, content = "GET", None
                    current = target
                    continue
                if 200 <= status < 300 or any_status:
                    body = self._read(response, shown, limit, ends, self.policy.max_bytes, strict=True)
                    return Response(
                        status=status,
                        content_type=response.headers.get("Content-Type", ""),
                        content=body,
                        url=current,
                        headers=dict(response.headers),
                    )
                detail = first_line(self._read(response, shown, limit, ends, _ERROR_BODY, strict=False))
                message = status_message(shown, status, detail)
                if status == 401 and redirects and self.credentials.present:
                    message += f"; credentials are not sent along a redirect: use {display(current)}"
                elif status == 401:
                    message += challenge_hint(response.headers.get_list("WWW-Authenticate"), self.credentials)
                kind = RemoteRejected if status == 400 else RemoteError
                error = self._error(kind, message, status, detail)
                if status == 429 or status >= 500:
                    raise _Retry(error, retry_after(response.headers.get("Retry-After"), self.clock.time()))
                raise error
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, shown, limit) from None
            finally:
                response.close()

    def _redirect(self, current: str, location: str, shown: str) -> str:
        """The URL a redirect points to, if it is on the same host; :class:`RemoteError` if not."""
        import httpx

        try:
            here = httpx.URL(current)
            there = here.join(location)
        except (httpx.InvalidURL, ValueError):
            raise self._error(RemoteError, f"{shown} redirected to an invalid URL") from None
        if there.scheme not in ("http", "https"):
            raise self._error(
                RemoteError, f"{shown} redirected to a {there.scheme or 'relative'} URL: not followed"
            )
        same_origin = (there.scheme, there.host, there.port) == (here.scheme, here.host, here.port)
        upgrade = here.scheme == "http" and there.scheme == "https" and there.host == here.host
        if same_origin or upgrade:
            return str(there)
        target = display(str(there))
        if there.host != here.host:
            raise self._error(
                RemoteError,
                f"{shown} redirected to {target}, on another host ({_netloc(here)} -> {_netloc(there)}): "
                "not followed; use that URL if you trust it",
            )
        raise self._error(
            RemoteError,
            f"{shown} redirected to {target} ({here.scheme}://{_netloc(here)} -> "
            f"{there.scheme}://{_netloc(there)}): only same-origin redirects and http -> https are followed",
        )

    def _read(
        self, response: httpx.Response, shown: str, limit: float, ends: float, cap: int, *, strict: bool
    ) -> bytes:
        """The body, read as a stream up to ``cap`` bytes and until ``ends``. Past the cap:
        :class:`RemoteTooLarge` when ``strict``, else what was read (an error answer's start)."""
        declared = response.headers.get("Content-Length", "")
        if strict and declared.isdigit() and int(declared) > cap:
            raise self._too_large(shown, cap, f"it announced {int(declared):,} bytes")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > cap:
                if strict:
                    raise self._too_large(shown, cap, "it sent more")
                return bytes(body[:cap])
            if self.clock.monotonic() > ends:
                raise _Retry(
                    self._error(RemoteTimeout, f"{shown} did not finish its answer within {limit:g} s")
                )
        return bytes(body)

    def _too_large(self, shown: str, cap: int, what: str) -> RemoteError:
        size = f"{cap / MIB:g} MiB" if cap >= MIB else f"{cap:,} bytes"
        return self._error(
            RemoteTooLarge,
            f"the answer of {shown} is larger than {size} ({what}); not read further: "
            f"raise the limit with --max-response-mib or ${MAX_RESPONSE_ENV}",
        )

    def _transport_error(self, exc: Exception, shown: str, limit: float) -> Exception:
        """A failed exchange as a one-line error; connection problems and timeouts are retryable."""
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return _Retry(self._error(RemoteTimeout, f"no answer from {shown} within {limit:g} s"))
        if isinstance(exc, httpx.ConnectError):
            reason = _os_reason(exc)
            return _Retry(self._error(RemoteError, f"cannot reach {shown}: {reason}"))
        if isinstance(exc, httpx.RemoteProtocolError) and "without sending" in str(exc):
            return _Retry(self._error(RemoteError, f"{shown} closed the connection without answering"))
        if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
            return _Retry(self._error(RemoteError, f"lost the connection to {shown}: {_os_reason(exc)}"))
        if isinstance(exc, httpx.DecodingError):
            return self._error(
                RemoteError, f"{shown} sent an answer that cannot be decoded ({first_line(str(exc))})"
            )
        if isinstance(exc, httpx.ProtocolError):
            return self._error(RemoteError, f"{shown} sent a malformed HTTP answer ({first_line(str(exc))})")
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
            return self._error(RemoteError, f"not a valid URL: {shown} ({first_line(str(exc))})")
        return self._error(
            RemoteError, f"request to {shown} failed: {type(exc).__name__}: {first_line(str(exc))}"
        )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context every client shares (httpx would load the CA bundle anew per client)."""
    import httpx

    return httpx.create_ssl_context()


def _netloc(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def _os_reason(exc: BaseException) -> str:
    """What the operating system said under an httpx error: "connection refused", ..."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror[:1].lower() + seen.strerror[1:]
        seen = seen.__cause__ or seen.__context__
    text = first_line(str(exc))
    if "connection refused" in text.lower():
        return "connection refused"
    return text or type(exc).__name__
