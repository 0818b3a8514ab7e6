"""Pure rules of the API: the token's format and hash, the opaque list cursor, the entity tag
of an object's version, the language of a problem's text. No Django, no I/O."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

TOKEN_PREFIX = "hoptac"  # noqa: S105  (not a secret: every token starts "hoptac_", so a leaked one is recognisable)
LOOKUP_LENGTH = 8  # the public part (hex), stored in clear to find the row
SECRET_BYTES = 32  # the secret part: 256 bits, stored only as its SHA-256
_TOKEN = re.compile(rf"^{TOKEN_PREFIX}_([0-9a-f]{{{LOOKUP_LENGTH}}})_([A-Za-z0-9_-]{{20,100}})$")


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token as made: the whole text (shown once), its lookup part and its secret's hash."""

    text: str
    lookup: str
    digest: str


def token_digest(secret: str) -> str:
    """The stored form of a token's secret: its SHA-256 in hex. A secret of 256 random bits
    needs no slow hash (nothing to guess), and a fast one keeps every API call cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_new() -> NewToken:
    """A new random token: "hoptac_<8 hex>_<43 url-safe characters>"."""
    lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewToken(f"{TOKEN_PREFIX}_{lookup}_{secret}", lookup, token_digest(secret))


def token_parse(text: str) -> tuple[str, str] | None:
    """(lookup, digest of the secret) of a token's text; None when it is not one of ours."""
    match = _TOKEN.match(text.strip())
    if match is None:
        return None
    return match.group(1), token_digest(match.group(2))


def digests_equal(one: str, other: str) -> bool:
    """Compare two digests in constant time."""
    return secrets.compare_digest(one.encode(), other.encode())


# --- the cursor of a list -------------------------------------------------------------------


class CursorError(ValueError):
    """A cursor that is not one this API gave out (or not for this order)."""


def cursor_encode(*, order: str, key: Any, pk: int) -> str:
    """An opaque cursor: the order it belongs to, the last row's sort key (text, number or
    None) and id, as url-safe base64 of a small JSON array."""
    raw = json.dumps([order, key, pk], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, order: str) -> tuple[Any, int]:
    """(sort key, id) of a cursor of `order`; CursorError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise CursorError(cursor) from error
    if not isinstance(value, list) or len(value) != 3 or value[0] != order:
        raise CursorError(cursor)
    key, pk = value[1], value[2]
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
        raise CursorError(cursor)
    if key is not None and (isinstance(key, bool) or not isinstance(key, str | int | float)):
        raise CursorError(cursor)
    return key, pk


# --- versions: entity tags ------------------------------------------------------------------


def etag_of(pk: int, version: int) -> str:
    """The strong entity tag (RFC 9110, 8.8.3) of an object's version."""
    return f'"{pk}-{version}"'


def version_of(if_match: str, pk: int) -> int | None:
    """The version an If-Match header names for object `pk` (its first tag); None when it
    names no version of this object (a tag of another object, `*`, or garbage)."""
    for tag in if_match.split(","):
        tag = tag.strip()
        tag = tag.removeprefix("W/")
        match = re.fullmatch(rf'"{pk}-(\d{{1,9}})"', tag)
        if match:
            return int(match.group(1))
    return None


# --- language of a problem's text ------------------------------------------------------------


def language_of(accept_language: str, supported: tuple[str, ...] = ("vi", "en")) -> str:
    """The language of the response: the supported one the client prefers most by
    Accept-Language (RFC 9110, 12.5.4: q-values; "en-US" counts as "en"), else the first
    supported (Vietnamese)."""
    best, best_q = supported[0], 0.0
    for position, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        q -= position * 1e-6  # the first of equal preferences wins
        if tag in supported and q > best_q:
            best, best_q = tag, q
    return best


def fields_chosen(requested: str, available: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The columns `?fields=a,b` chooses, in the resource's order, and the names it does not
    know. Empty `requested`: all of them."""
    names = [n.strip() for n in requested.split(",") if n.strip()]
    if not names:
        return list(available), []
    unknown = [n for n in names if n not in available]
    return [a for a in available if a in names], unknown


# --- rate limits: calls claimed in blocks ---------------------------------------------------

# A process claims calls from the shared counter LEASE_SHARE-th of the limit at a time (at
# most LEASE_MAX, at least 1: a limit under 2 × LEASE_SHARE is counted call by call).
LEASE_SHARE = 20
LEASE_MAX = 100


def lease_size(limit: int) -> int:
    """How many calls of a window one process claims from the shared counter at once."""
    return max(1, min(LEASE_MAX, limit // LEASE_SHARE))


def lease_granted(*, total: int, claimed: int, limit: int) -> int:
    """Of `claimed` calls just added to the shared counter, which now stands at `total`, how
    many are within `limit`: all, some (the counter crossed it), or none. Whatever the
    processes claim, the calls granted in a window add up to at most `limit`."""
    before = total - claimed
    return max(0, min(claimed, limit - before))
