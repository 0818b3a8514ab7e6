"""Writes of products and markets. Every change goes through here: one transaction each,
`full_clean()`, and django-simple-history records attributed to `by`."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.utils import translation

from hoptac.accounts import access
from hoptac.market import rules
from hoptac.market.choices import Category, CertificationKind
from hoptac.market.models import (
    Certification,
    EventParticipation,
    PartnerCompany,
    Product,
    TradeEvent,
    Trademark,
    ValueChainLink,
)

if TYPE_CHECKING:
    from hoptac.accounts.models import User


def _save(obj: Model, by: User | None, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._history_user = access.author(by)  # type: ignore[attr-defined]  # simple-history reads it
    obj.save()


def _labels(product: Product) -> tuple[str, ...]:
    """The product's category in both languages, so that either finds it."""
    return _category_labels(product.category)


@functools.cache
def _category_labels(category: str) -> tuple[str, ...]:
    """A category's label in both languages (once per category: an import saves many)."""
    label = dict(Category.choices).get(category, category)
    labels = []
    for language in ("vi", "en"):
        with translation.override(language):
            labels.append(str(label))
    return tuple(labels)


@transaction.atomic
def product_save(*, by: User | None, product: Product | None = None, **fields: Any) -> Product:
    """Record (or change) a product of an HTX; its search text follows its name, category and
    HTX (folded, so that "che my phuong" finds "Chè Mỹ Phương")."""
    product = product or Product(created_by=access.author(by))
    photo = fields.pop("photo", None)
    if photo is False:  # the form's "clear" box
        product.photo.delete(save=False)
        product.photo = None
    elif photo is not None:
        product.photo = photo
    for name, value in fields.items():
        setattr(product, name, value)
    product.search_text = rules.search_text(
        product.name, *_labels(product), product.cooperative.name
    )
    _save(product, by, {})
    return product


@transaction.atomic
def certification_save(
    *, by: User | None, certification: Certification | None = None, **fields: Any
) -> Certification:
    """Record (or change) a certification of a product (OCOP: with 3 to 5 stars)."""
    certification = certification or Certification()
    _save(certification, by, fields)
    return certification


@dataclass
class ProductRow:
    """One valid row of a products import: the HTX, the product it matches (None: a new one),
    the product's values, and an OCOP rating (stars, year) with the certification of that
    year it changes (None: a new one)."""

    cooperative: Any
    product: Product | None
    values: dict[str, Any] = field(default_factory=dict)
    ocop: tuple[int, int] | None = None
    certification: Certification | None = None


@transaction.atomic
def products_import(*, rows: Sequence[ProductRow], by: User | None) -> list[Product]:
    """Record every row of a products import (already checked one by one) in one
    transaction: a new product, or the changed fields of an existing one, and its OCOP
    rating; what a row leaves as it is is not written again (no history row)."""
    saved = []
    for row in rows:
        product = row.product
        if product is None:
            product = product_save(by=by, cooperative=row.cooperative, **row.values)
        elif any(getattr(product, key) != value for key, value in row.values.items()):
            product = product_save(by=by, product=product, **row.values)
        if row.ocop is not None:
            stars, year = row.ocop
            certification = row.certification
            if certification is None or certification.stars != stars:
                certification_save(
                    by=by,
                    certification=certification,
                    product=product,
                    kind=CertificationKind.OCOP,
                    stars=stars,
                    year=year,
                )
        saved.append(product)
    return saved


@transaction.atomic
def trademark_save(
    *, by: User | None, trademark: Trademark | None = None, **fields: Any
) -> Trademark:
    """Record (or change) a trademark or collective mark of an HTX."""
    trademark = trademark or Trademark(created_by=access.author(by))
    _save(trademark, by, fields)
    return trademark


@transaction.atomic
def event_save(*, by: User | None, event: TradeEvent | None = None, **fields: Any) -> TradeEvent:
    """Record (or change) a trade promotion event."""
    event = event or TradeEvent(created_by=access.author(by))
    _save(event, by, fields)
    return event


@transaction.atomic
def participation_save(
    *, by: User | None, participation: EventParticipation | None = None, **fields: Any
) -> EventParticipation:
    """Record that an HTX took part in an event (or change its results)."""
    participation = participation or EventParticipation()
    _save(participation, by, fields)
    return participation


@transaction.atomic
def company_save(
    *, by: User | None, company: PartnerCompany | None = None, **fields: Any
) -> PartnerCompany:
    """Record (or change) a partner company of the national directory. A new company is kept
    by the recording officer's province (none for the administrator, unless he names one in
    `province`); the caller has checked access.may_change_province_record for a change."""
    if company is None:
        province = access.province_of(by) if by is not None else None
        company = PartnerCompany(created_by=access.author(by), province=province)
    for name, value in fields.items():
        setattr(company, name, value)
    company.search_text = rules.search_text(company.name, company.tax_code, company.address)
    _save(company, by, {})
    return company


@transaction.atomic
def link_save(
    *, by: User | None, link: ValueChainLink | None = None, **fields: Any
) -> ValueChainLink:
    """Record (or change) a value-chain link between an HTX and a company."""
    link = link or ValueChainLink(created_by=access.author(by))
    _save(link, by, fields)
    return link
