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
