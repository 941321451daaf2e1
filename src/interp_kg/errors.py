"""Errors a user can act on: the CLI prints them as one line and exits non-zero, never a traceback."""

from __future__ import annotations


class InterpKgError(Exception):
    """Base class of the errors the CLI reports as a one-line message."""

    exit_code = 1


class SourceError(InterpKgError):
    """A source list is missing, unreadable, empty or not text."""

    exit_code = 2


class StoreError(InterpKgError):
    """The store is missing, locked by another process, or cannot be written."""

    exit_code = 3


class ValidationFailed(InterpKgError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 4


class RemoteError(InterpKgError):
    """A remote service (a SPARQL endpoint, an API) could not be reached or did not answer as expected.

    ``status`` is the HTTP status of the answer when there was one, ``detail`` the first line of
    its body (what the server said), so that callers can word the message for their service.
    """

    exit_code = 5

    def __init__(self, message: str, *, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class RemoteTimeout(RemoteError):
    """A remote endpoint did not answer within the timeout (it may still be at work)."""


class RemoteRejected(RemoteError):
    """A remote endpoint refused the request as malformed (HTTP 400), e.g. a query's syntax."""


class RemoteTooLarge(RemoteError):
    """A remote answer was larger than the size cap (it was not read further)."""


class QueryError(InterpKgError):
    """A query is malformed, a parameter is missing or ill-typed, or a query timed out."""

    exit_code = 6


class QueryTimeout(QueryError):
    """A query ran longer than its timeout (the CLI exits at once: the query cannot be cancelled)."""

    exit_code = 7
