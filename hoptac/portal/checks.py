"""System checks of the portal's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from hoptac.portal import rules


@checks.register(checks.Tags.compatibility)
def check_portal_province(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """HOPTAC_PORTAL_PROVINCE must read "legacy:<code>" or "2025:<code>"."""
    value = getattr(settings, "HOPTAC_PORTAL_PROVINCE", "legacy:06")
    try:
        rules.parse_unit_setting(value)
    except ValueError:
        return [
            checks.Error(
                f"HOPTAC_PORTAL_PROVINCE={value!r} is not a province of a tree.",
                hint='Write "legacy:06" (a province code of the old tree) or "2025:19".',
                id="portal.E001",
            )
        ]
    return []
