"""Schemas every resource shares: the problem of an error and the page of a list."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class FieldError(Schema):
    field: str
    message: str
    row: int | None = None


class Problem(Schema):
    """A problem (RFC 9457); other members may follow (e.g. `changes` of a 412)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


# The errors any endpoint may answer, documented on each (schemathesis holds us to them).
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS = {**ERRORS, 409: Problem, 412: Problem, 428: Problem}
