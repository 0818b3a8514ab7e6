"""The issuer of an area's documents: its letterhead settings (`Letterhead`), or the defaults
of the official frame when the area has none."""

from __future__ import annotations

from hoptac.core.officialdoc.frame import Issuer, default_issuer

from .models import AdminUnit, Letterhead


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def default_for(area: AdminUnit | None) -> Issuer:
    """The defaults of `area` (None: the whole country)."""
    if area is None:
        return default_issuer(None, "")
    province = area.province or area
    return default_issuer(area.unit_type, area.short_name, province.short_name)


def issuer_for(area: AdminUnit | None) -> Issuer:
    """The issuer of `area`'s documents: its settings, else the defaults."""
    row = Letterhead.objects.filter(area=area).first() if area is not None else None
    if row is None:
        return default_for(area)
    return Issuer(
        parent_body=row.parent_body,
        issuing_body=row.issuing_body,
        symbol=row.symbol,
        place=row.place,
        signer_authority=_lines(row.signer_authority),
        signer_title=row.signer_title,
        signer_name=row.signer_name,
        recipients=_lines(row.recipients) or ("Lưu: VT",),
    )
