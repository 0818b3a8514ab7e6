"""Pure rules of the public portal: who counts as a visitor, the week, the HTML an article may
hold, what an attachment may be, which profile fields a province publishes. No database, no
clock: dates and secrets come in as arguments."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import nh3

from hoptac.core.text import fold
from hoptac.portal.choices import FieldGroup

# --- visitors -------------------------------------------------------------------------------

# User agents of crawlers, link previews, monitors and scripted clients (after the patterns of
# the isbot / crawler-user-agents lists). A page view by one of them is not a visit.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|fetch|monitor|uptime|checker|preview|"
    r"facebookexternalhit|embedly|whatsapp|telegram|headless|phantomjs|puppeteer|playwright|"
    r"lighthouse|pagespeed|curl/|wget/|python-requests|python-urllib|aiohttp|httpx|"
    r"go-http-client|java/|okhttp|libwww|apache-httpclient|node-fetch|axios/|postman",
    re.IGNORECASE,
)
ONLINE_MINUTES = 5  # "online now": active in the last five minutes


def is_bot(user_agent: str | None) -> bool:
    """True for crawlers and scripted clients (and for a request with no user agent at all)."""
    if not user_agent or not user_agent.strip():
        return True
    return BOT_PATTERN.search(user_agent) is not None


def week_start(day: date) -> date:
    """The Monday of `day`'s week ("trong tuần" counts from Monday, ISO 8601)."""
    return day - timedelta(days=day.weekday())


def visitor_hash(secret: str, token: str) -> str:
    """The salted hash (HMAC-SHA256) under which a visitor's session token is stored; the
    token itself, like the visitor's address, is never stored."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()[:40]


def address_key(secret: str, address: str) -> str:
    """The key the rate limits count a sender's address under: a salted hash, never the
    address itself."""
    return "a:" + visitor_hash(secret, "addr:" + address)


# --- articles -------------------------------------------------------------------------------

ARTICLE_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "a", "img", "figure", "figcaption",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ARTICLE_CLASSES = {"p": {"lead", "image-caption", "byline"}}


def sanitize_html(html: str) -> str:
    """The article body cut down to safe HTML (nh3, the Python binding of the maintained
    ammonia sanitiser): paragraphs, headings, lists, links, images, tables; no script, style,
    event handler or javascript: URL; links get rel="noopener noreferrer nofollow"."""
    return nh3.clean(
        html or "",
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        allowed_classes=ARTICLE_CLASSES,
        clean_content_tags={"script", "style"},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


_NOT_IN_SLUG = re.compile(r"[^\w\s-]")
_SLUG_GAPS = re.compile(r"[-\s]+")


def slug_for(title: str, taken: Iterable[str] = ()) -> str:
    """A URL slug from a Vietnamese title ("Phấn đấu đến năm 2020" → "phan-dau-den-nam-2020"),
    made unique against `taken` with -2, -3, … (Django's slugify of the folded title, written
    here so that the rules import no Django)."""
    plain = _SLUG_GAPS.sub("-", _NOT_IN_SLUG.sub("", fold(title))).strip("-_")
    base = plain[:80].strip("-") or "bai-viet"
    used = set(taken)
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- attachments ----------------------------------------------------------------------------

# Extension → the first bytes its files start with (a renamed executable is refused).
ATTACHMENT_MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
}


@dataclass(frozen=True, slots=True)
class AttachmentProblem:
    code: str  # "type" | "size" | "content" | "empty"


def attachment_problem(
    name: str, size: int, head: bytes, *, max_bytes: int
) -> AttachmentProblem | None:
    """Why an uploaded file is refused (None: it is accepted): an extension not listed in
    ATTACHMENT_MAGIC, more than `max_bytes`, an empty file, or content that does not start as
    its extension says."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_MAGIC:
        return AttachmentProblem("type")
    if size <= 0:
        return AttachmentProblem("empty")
    if size > max_bytes:
        return AttachmentProblem("size")
    if not head.startswith(ATTACHMENT_MAGIC[extension]):
        return AttachmentProblem("content")
    return None


# --- publication ----------------------------------------------------------------------------

# What a province publishes until its officers choose: all but the ratings, which are public
# only when the province says so.
DEFAULT_GROUPS: dict[str, bool] = dict.fromkeys(FieldGroup.values, True)
DEFAULT_GROUPS[FieldGroup.RATINGS] = False

# Which profile fields each group opens.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    FieldGroup.CONTACT: ("phone", "email", "website", "street"),
    FieldGroup.REPRESENTATIVE: ("representative_name", "representative_title"),
    FieldGroup.REGISTRATION: (
        "tax_code",
        "registered_on",
        "founded_on",
        "registering_authority",
    ),
    FieldGroup.SIZE: ("members_count", "workers_count", "charter_capital"),
    FieldGroup.BUSINESS: ("business_lines", "high_tech", "value_chain", "model_cooperative"),
    FieldGroup.PRODUCTS: (),
    FieldGroup.LOCATION: ("latitude", "longitude"),
    FieldGroup.RATINGS: (),
}
ALWAYS_PUBLIC = ("name", "kind", "sector", "sub_sector", "status")


def public_groups(chosen: Mapping[str, bool] | None) -> frozenset[str]:
    """The field groups a province publishes: its choices over the defaults."""
    merged = {**DEFAULT_GROUPS, **(chosen or {})}
    return frozenset(group for group, shown in merged.items() if shown)


def public_fields(groups: Iterable[str]) -> frozenset[str]:
    """The profile fields the public sees, given the published groups."""
    fields = set(ALWAYS_PUBLIC)
    for group in groups:
        fields.update(GROUP_FIELDS.get(group, ()))
    return frozenset(fields)


def parse_unit_setting(value: str) -> tuple[str, str]:
    """HOPTAC_PORTAL_PROVINCE "legacy:06" → ("legacy", "06"); the era is "legacy" or "2025"."""
    era, _sep, code = (value or "").partition(":")
    if era not in ("legacy", "2025") or not code.strip():
        raise ValueError(f"expected 'legacy:<code>' or '2025:<code>', not {value!r}")
    return era, code.strip()
