"""The issuer of an area's documents: its letterhead settings (`Letterhead`), or the defaults
of the official frame when the area has none."""

from __future__ import annotations

from django.db import transaction

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


def initial_for(area: AdminUnit) -> dict[str, str]:
    """The form's values when the area has no settings yet: its defaults."""
    issuer = default_for(area)
    return {
        "parent_body": issuer.parent_body,
        "issuing_body": issuer.issuing_body,
        "symbol": issuer.symbol,
        "place": issuer.place,
        "signer_authority": "\n".join(issuer.signer_authority),
        "signer_title": issuer.signer_title,
        "signer_name": issuer.signer_name,
        "recipients": "\n".join(issuer.recipients),
    }


@transaction.atomic
def letterhead_save(*, area: AdminUnit, values: dict[str, str]) -> Letterhead:
    """Store `area`'s letterhead (access checked by the caller: accounts.access.may_change)."""
    row = Letterhead.objects.filter(area=area).first() or Letterhead(area=area)
    for name, value in values.items():
        setattr(row, name, value.strip())
    row.full_clean()
    row.save()
    return row
