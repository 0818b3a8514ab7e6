"""The visitor's network address, as the application should see it behind its proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's IP address: REMOTE_ADDR or, behind HOPTAC_PROXY_COUNT trusted proxies, the
    address the outermost of them saw (the Nth entry from the right of X-Forwarded-For).

    None when there is no valid address (a forged or malformed header is not trusted as one).
    django-axes reads its address here too (AXES_CLIENT_IP_CALLABLE), so that its lockouts
    and the audit log name the same address.
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "HOPTAC_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
