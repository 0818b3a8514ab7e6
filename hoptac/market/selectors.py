"""Reads of products and markets, for views, exports and other apps (indicators, portal).

Each read a user makes starts from the model's `visible_to(user)` (hoptac.accounts.access
decides). `in_value_chain` is an unscoped indicator read: its caller checks that the user may
see the area.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.market import rules
from hoptac.market.choices import LinkStatus
from hoptac.market.models import (
    Certification,
    EventParticipation,
    PartnerCompany,
    Product,
    TradeEvent,
    Trademark,
    ValueChainLink,
)
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.models import Cooperative
from hoptac.support.selectors import Reach, cooperative_area_filter, htx_existing_on

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


def may_change_for(*, user: User | AnonymousUser, cooperative: Cooperative) -> bool:
    """Products, marks and links of an HTX: officers of its area, the administrator, and the
    HTX's own managers (registry.cooperative_may_change)."""
    return registry_selectors.cooperative_may_change(user=user, cooperative=cooperative)


# --- products ---------------------------------------------------------------------------------


def product_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Product]:
    """Products of the HTX the user may see. filters: q (words of the product, its category
    or its HTX, without diacritics), category, certification (a kind), area, cooperative."""
    f = filters or {}
    qs = Product.objects.visible_to(user)
    for word in rules.search_words(f.get("q") or ""):
        qs = qs.filter(search_text__contains=word)
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    if f.get("certification"):
        qs = qs.filter(
            pk__in=Certification.objects.filter(kind=f["certification"]).values("product_id")
        )
    if f.get("area"):
        qs = qs.filter(**cooperative_area_filter(f["area"], "cooperative__"))
    if f.get("cooperative"):
        qs = qs.filter(cooperative=f["cooperative"])
    return (
        qs.select_related("cooperative__commune_legacy", "cooperative__commune")
        .prefetch_related("certifications")
        .order_by("name", "pk")
    )


def product_get_for_user(*, user: User | AnonymousUser, pk: int) -> Product:
    qs = Product.objects.visible_to(user).select_related("cooperative")
    return get_object_or_404(qs, pk=pk)


def cooperative_products(*, cooperative: Cooperative) -> QuerySet[Product]:
    return cooperative.products.prefetch_related("certifications", "trademarks").order_by("name")


def cooperative_trademarks(*, cooperative: Cooperative) -> QuerySet[Trademark]:
    return cooperative.trademarks.select_related("product").order_by("name")


def trademark_get_for_user(*, user: User | AnonymousUser, pk: int) -> Trademark:
    return get_object_or_404(
        Trademark.objects.visible_to(user).select_related("cooperative"), pk=pk
    )


# --- trade promotion --------------------------------------------------------------------------


def event_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[TradeEvent]:
    """Events for the user's area (above or below it). filters: year, kind."""
    f = filters or {}
    qs = TradeEvent.objects.visible_to(user).select_related("area")
    if f.get("year"):
        qs = qs.filter(starts_on__year=int(f["year"]))
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    visible = EventParticipation.objects.visible_to(user)
    return qs.annotate(
        taking_part=Count(
            "participations", filter=Q(participations__in=visible.values("pk")), distinct=True
        )
    ).order_by("-starts_on", "pk")


def event_get_for_user(*, user: User | AnonymousUser, pk: int) -> TradeEvent:
    return get_object_or_404(TradeEvent.objects.visible_to(user).select_related("area"), pk=pk)


def event_may_change(*, user: User | AnonymousUser, event: TradeEvent) -> bool:
    return access.may_change(user, event.area)


def event_participations(
    *, user: User | AnonymousUser, event: TradeEvent
) -> QuerySet[EventParticipation]:
    """The HTX of the user's scope that took part in `event`, with their results."""
    return (
        EventParticipation.objects.visible_to(user)
        .filter(event=event)
        .select_related("cooperative")
        .order_by("cooperative__name")
    )


def event_results(*, participations: QuerySet[EventParticipation]) -> dict[str, Any]:
    return participations.aggregate(
        contracts=Sum("contracts"), contract_value=Sum("contract_value"), sales=Sum("sales")
    )


def cooperative_events(*, cooperative: Cooperative) -> QuerySet[EventParticipation]:
    return cooperative.event_participations.select_related("event").order_by("-event__starts_on")


# --- value chains -----------------------------------------------------------------------------


def company_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[PartnerCompany]:
    """The directory of partner companies (shared by all areas). filters: q."""
    f = filters or {}
    qs = PartnerCompany.objects.all()
    for word in rules.search_words(f.get("q") or ""):
        qs = qs.filter(search_text__contains=word)
    return qs.annotate(links_count=Count("links")).order_by("name", "pk")


def company_get(*, pk: int) -> PartnerCompany:
    """A company of the national directory (every signed-in user reads it)."""
    return get_object_or_404(PartnerCompany.objects.select_related("province"), pk=pk)


def company_may_change(*, user: User | AnonymousUser, company: PartnerCompany) -> bool:
    """The administrator, and the officers of the province that keeps the company."""
    return access.may_change_province_record(user, company.province)


def link_list(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[ValueChainLink]:
    """Links of the HTX the user may see. filters: status, kind, area, company, active_on."""
    f = filters or {}
    qs = ValueChainLink.objects.visible_to(user)
    for name in ("status", "kind", "company", "cooperative"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("area"):
        qs = qs.filter(**cooperative_area_filter(f["area"], "cooperative__"))
    if f.get("active_on"):
        qs = qs.filter(active_links(f["active_on"]))
    return qs.select_related("cooperative", "company", "product").order_by("-starts_on", "pk")


def link_get_for_user(*, user: User | AnonymousUser, pk: int) -> ValueChainLink:
    qs = ValueChainLink.objects.visible_to(user).select_related("cooperative", "company", "product")
    return get_object_or_404(qs, pk=pk)


def active_links(day: date) -> Q:
    """Links in force on `day` (rules.link_active_on, as a filter)."""
    return Q(status=LinkStatus.ACTIVE, starts_on__lte=day) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def cooperative_links(*, cooperative: Cooperative) -> QuerySet[ValueChainLink]:
    return cooperative.value_chain_links.select_related("company", "product").order_by("-starts_on")


def in_value_chain(area: AdminUnit | int | str, on: date) -> Reach:
    """The indicator "share of HTX in value chains" for `area` (a unit of either tree, any
    level) on the day `on`.

    denominator: HTX and unions placed in `area` that existed on `on` (support.selectors.
    htx_existing_on); numerator: those of them with at least one value-chain link in force on
    `on` (status "in force", started, not ended); cooperative_ids: the numerator's HTX, sorted.
    Unscoped: the caller checks that the user may see `area`.
    """
    existing = htx_existing_on(area=area, on=on)
    denominator = existing.count()
    linked = ValueChainLink.objects.filter(active_links(on)).values("cooperative_id")
    ids = sorted(existing.filter(pk__in=linked).values_list("pk", flat=True))
    return Reach(len(ids), denominator, ids)


def links_running_between(start: date, end: date) -> QuerySet[Any]:
    """Ids of HTX with a value-chain link running at some time between `start` and `end`
    (registered as activity for the support app's dissolution candidates)."""
    return (
        ValueChainLink.objects.filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("cooperative_id")
    )


def events_attended_between(start: date, end: date) -> QuerySet[Any]:
    """Ids of HTX that took part in a trade event starting between `start` and `end`
    (registered as activity for the support app's dissolution candidates)."""
    return EventParticipation.objects.filter(
        event__starts_on__gte=start, event__starts_on__lte=end
    ).values("cooperative_id")


def product_support_grants(*, cooperative: Cooperative) -> QuerySet[Any]:
    """Packaging, label and traceability support the HTX received (support app's records)."""
    from hoptac.support.selectors import cooperative_grants

    return cooperative_grants(cooperative=cooperative).exclude(product_support="")
