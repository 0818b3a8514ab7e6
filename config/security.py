"""The Content-Security-Policy of hoptac, built from settings (no Django import: pure values).

Scripts come only from our own origin (`'self'`: htmx, Chart.js, Leaflet and static/js/, all
served by the app); no inline script, no event-handler attribute, no eval. Inline styles are
allowed: templates set widths in `style=""`, htmx inserts its indicator style and Leaflet
positions its panes with them. The map's tiles are images from the host of
HOPTAC_MAP_TILE_URL, when one is set.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SELF = "'self'"
NONE = "'none'"


def tile_source(url: str) -> str | None:
    """The CSP source of a tile server's URL template: its scheme and host (with the port),
    a `{s}` sub-domain label as `*`; None when no usable URL is given.

    >>> tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    'https://*.tile.example.org'
    """
    if not url or "://" not in url:
        return None
    parts = urlsplit(url.replace("{s}", "*"))
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme not in {"http", "https"} or not host or "{" in host:
        return None
    return f"{parts.scheme}://{host}"


def content_security_policy(*, tile_url: str = "") -> dict[str, object]:
    """django-csp's CONTENT_SECURITY_POLICY setting."""
    images = [SELF, "data:"]
    tiles = tile_source(tile_url)
    if tiles:
        images.append(tiles)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF, "'unsafe-inline'"],
            "img-src": images,
            "connect-src": [SELF],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


# The browser features no page of hoptac uses: denied to the pages and to anything they embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
