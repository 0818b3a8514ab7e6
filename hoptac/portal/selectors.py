"""Reads of the public portal. Everything public goes through access.restrict_public (the
published HTX only), is limited to the portal's province (HOPTAC_PORTAL_PROVINCE), and shows
only the field groups that province publishes (PublicationSetting).

Products and certifications come from hoptac.market and ratings from hoptac.ratings, both
below the portal: their models are imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit
from hoptac.market.choices import CertificationKind
from hoptac.market.models import Certification, Product
from hoptac.portal import rules
from hoptac.portal.choices import FieldGroup, MessageKind, MessageStatus
from hoptac.portal.models import Article, Message, PublicationSetting
from hoptac.ratings.models import RatingResult
from hoptac.registry.choices import Kind, Sector
from hoptac.registry.models import Cooperative
from hoptac.registry.rules import search_words
from hoptac.registry.selectors import AREA_FIELDS

SECTOR_COLOURS = {Sector.AGRICULTURAL: "#2e7d32", Sector.NON_AGRICULTURAL: "#1565c0"}


# --- the province and what it publishes ----------------------------------------------------


def portal_province() -> AdminUnit:
    """The province the portal presents (setting HOPTAC_PORTAL_PROVINCE, "legacy:06" by
    default: Tỉnh Bắc Kạn of the old tree, the demo's)."""
    era, code = rules.parse_unit_setting(getattr(settings, "HOPTAC_PORTAL_PROVINCE", "legacy:06"))
    return AdminUnit.objects.get(era=era, code=code, level=Level.PROVINCE)


def publication_get(*, province: AdminUnit) -> PublicationSetting:
    """The province's publication setting (unsaved defaults when it has chosen nothing)."""
    found = PublicationSetting.objects.filter(province=province).first()
    return found or PublicationSetting(province=province)


def public_groups(*, province: AdminUnit) -> frozenset[str]:
    return rules.public_groups(publication_get(province=province).choices())


def _place_field(unit: AdminUnit) -> str:
    return AREA_FIELDS[(unit.era, unit.level)]


def cooperatives_in(province: AdminUnit) -> QuerySet[Cooperative]:
    """Every organisation of the province that still exists (for the headline counts):
    existing today, by CooperativeQuerySet.existing_on."""
    return Cooperative.objects.filter(**{_place_field(province): province}).existing_on(
        timezone.localdate()
    )


def cooperatives_public(*, province: AdminUnit) -> QuerySet[Cooperative]:
    """The published organisations of the province that still exist."""
    return access.restrict_public(cooperatives_in(province))


def area_choices(*, province: AdminUnit) -> list[AdminUnit]:
    """The units the directory filters by: districts (old tree) or communes (2025 tree)."""
    level = Level.DISTRICT if province.era == Era.LEGACY else Level.COMMUNE
    return list(
        AdminUnit.objects.filter(era=province.era, level=level, path__startswith=province.path)
        .only("pk", "name", "path")
        .order_by("path")
    )


def _area_of(province: AdminUnit, pk: Any) -> AdminUnit | None:
    if not pk:
        return None
    return AdminUnit.objects.filter(pk=pk, path__startswith=province.path + "/").first()


# --- home -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaRow:
    unit: AdminUnit
    agricultural: int
    other: int

    @property
    def total(self) -> int:
        return self.agricultural + self.other


@dataclass(slots=True)
class Headline:
    cooperatives: int = 0
    unions: int = 0
    groups: int = 0
    members: int = 0
    agricultural: int = 0
    non_agricultural: int = 0
    by_area: list[AreaRow] = field(default_factory=list)


def headline(*, province: AdminUnit) -> Headline:
    """The province's figures today: HTX, unions, cooperative groups, members of HTX, HTX by
    sector and by district (or commune in the 2025 tree). Counts of the registry (published or
    not: these are totals, not profiles)."""
    qs = cooperatives_in(province)
    kinds = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    htx = qs.filter(kind=Kind.COOPERATIVE)
    sums = htx.aggregate(
        members=Sum("members_count"),
        agricultural=Count("pk", filter=Q(sector=Sector.AGRICULTURAL)),
        other=Count("pk", filter=~Q(sector=Sector.AGRICULTURAL)),
    )
    result = Headline(
        cooperatives=kinds.get(Kind.COOPERATIVE, 0),
        unions=kinds.get(Kind.UNION, 0),
        groups=kinds.get(Kind.COOPERATIVE_GROUP, 0),
        members=sums["members"] or 0,
        agricultural=sums["agricultural"],
        non_agricultural=sums["other"],
    )
    units = area_choices(province=province)
    place = _place_field(units[0]) if units else None
    if place:
        rows = (
            htx.order_by()
            .values(place)
            .annotate(
                agricultural=Count("pk", filter=Q(sector=Sector.AGRICULTURAL)),
                other=Count("pk", filter=~Q(sector=Sector.AGRICULTURAL)),
            )
        )
        counts = {row[place]: row for row in rows}
        for unit in units:
            row = counts.get(unit.pk, {})
            result.by_area.append(AreaRow(unit, row.get("agricultural", 0), row.get("other", 0)))
    return result


CHART_LABEL_WIDTH = 150  # px of the SVG's label column
CHART_BAR_WIDTH = 300  # px of the longest bar
CHART_ROW = 28  # px per row


def bar_chart(rows: list[AreaRow]) -> dict[str, Any]:
    """A horizontal stacked bar chart of HTX by area (agricultural, then the others), as SVG
    geometry drawn on the server: the home page needs no chart library on its first load."""
    largest = max((row.total for row in rows), default=0) or 1
    scale = CHART_BAR_WIDTH / largest
    bars = []
    for index, row in enumerate(rows):
        agri = round(row.agricultural * scale, 1)
        other = round(row.other * scale, 1)
        bars.append(
            {
                "row": row,
                "y": index * CHART_ROW,
                "text_y": index * CHART_ROW + 18,
                "agri_width": agri,
                "other_x": CHART_LABEL_WIDTH + agri,
                "other_width": other,
                "total_x": CHART_LABEL_WIDTH + agri + other + 6,
            }
        )
    return {
        "bars": bars,
        "label_width": CHART_LABEL_WIDTH,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50,
        "height": len(rows) * CHART_ROW,
        "agricultural": SECTOR_COLOURS[Sector.AGRICULTURAL],
        "other": SECTOR_COLOURS[Sector.NON_AGRICULTURAL],
    }


def featured(*, province: AdminUnit, limit: int = 6) -> list[Cooperative]:
    """Published model HTX (điển hình tiên tiến) of the province."""
    qs = cooperatives_public(province=province).filter(model_cooperative=True)
    return list(qs.select_related(*_place_fields(province)).order_by("name", "pk")[:limit])


def _place_fields(province: AdminUnit) -> tuple[str, ...]:
    if province.era == Era.LEGACY:
        return ("district_legacy", "commune_legacy")
    return ("commune",)


def articles_latest(*, limit: int = 5) -> list[Article]:
    qs = Article.objects.published().only("title", "slug", "summary", "published_at")
    return list(qs[:limit])


# --- directory and profiles -----------------------------------------------------------------


def _product_filter(value: str) -> Exists:
    return Exists(Product.objects.filter(cooperative=OuterRef("pk"), category=value))


def directory(
    *, province: AdminUnit, filters: Mapping[str, Any] | None = None
) -> QuerySet[Cooperative]:
    """Published HTX of the province, filtered: q (words, without diacritics, in the name,
    code, representative or address), area (a district or commune pk), sector, product (a
    product category of hoptac.market)."""
    f = filters or {}
    qs = cooperatives_public(province=province).select_related(*_place_fields(province))
    area = _area_of(province, f.get("area"))
    if area is not None:
        qs = qs.filter(**{_place_field(area): area})
    if f.get("sector"):
        qs = qs.filter(sector=f["sector"])
    if f.get("product"):
        qs = qs.filter(_product_filter(f["product"]))
    for word in search_words(f.get("q") or ""):
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "pk")


def cooperative_public_get(*, province: AdminUnit, pk: int) -> Cooperative:
    """A published HTX of the province; 404 otherwise (whether missing or not public)."""
    qs = cooperatives_public(province=province).select_related(
        "commune_legacy", "district_legacy", "province_legacy", "commune", "province"
    )
    return get_object_or_404(qs, pk=pk)


def products_of(cooperative: Cooperative) -> list[Product]:
    qs = Product.objects.filter(cooperative=cooperative).prefetch_related("certifications")
    return list(qs.order_by("name", "pk"))


def ratings_of(cooperative: Cooperative) -> list[RatingResult]:
    """The HTX's approved and published yearly ratings, newest first (the portal shows them
    only when the province publishes the ratings group)."""
    qs = RatingResult.objects.filter(cooperative=cooperative, published=True)
    return list(qs.order_by("-year")[:10])


@dataclass(slots=True)
class Profile:
    """What the public sees of one HTX: the fields of the published groups, its products with
    certifications, and (only if the province publishes them) its ratings."""

    cooperative: Cooperative
    groups: frozenset[str]
    fields: frozenset[str]
    products: list[Product]
    ratings: list[RatingResult]


def profile(*, province: AdminUnit, cooperative: Cooperative) -> Profile:
    groups = public_groups(province=province)
    return Profile(
        cooperative=cooperative,
        groups=groups,
        fields=rules.public_fields(groups),
        products=products_of(cooperative) if FieldGroup.PRODUCTS in groups else [],
        ratings=ratings_of(cooperative) if FieldGroup.RATINGS in groups else [],
    )


# --- product catalogue ----------------------------------------------------------------------


def products_public(*, province: AdminUnit, filters: Mapping[str, Any] | None = None) -> Any:
    """Products of the province's published HTX (when the province publishes products),
    filtered: q (words of the name or description, without diacritics), category,
    certification (kind), stars (OCOP, at least), area."""
    if FieldGroup.PRODUCTS not in public_groups(province=province):
        return []
    f = filters or {}
    public = cooperatives_public(province=province)
    qs = Product.objects.filter(cooperative__in=public.values("pk")).select_related("cooperative")
    area = _area_of(province, f.get("area"))
    if area is not None:
        qs = qs.filter(**{f"cooperative__{_place_field(area)}": area})
    if f.get("category"):
        qs = qs.filter(category=f["category"])
    certified = Certification.objects
    if f.get("certification"):
        qs = qs.filter(Exists(certified.filter(product=OuterRef("pk"), kind=f["certification"])))
    if f.get("stars"):
        ocop = certified.filter(
            product=OuterRef("pk"), kind=CertificationKind.OCOP, stars__gte=int(f["stars"])
        )
        qs = qs.filter(Exists(ocop))
    qs = qs.prefetch_related("certifications")
    for word in search_words(f.get("q") or ""):
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("name", "pk")


def product_public_get(*, province: AdminUnit, pk: int) -> Any:
    """A product of a published HTX of the province; 404 otherwise."""
    products = products_public(province=province)
    if isinstance(products, list):
        raise Http404
    return get_object_or_404(products, pk=pk)


# --- map ------------------------------------------------------------------------------------


def map_spec(*, province: AdminUnit, cooperatives: QuerySet[Cooperative]) -> dict[str, Any]:
    """The map component's data (templates/components/map.html): the published HTX with a
    public location as points linking to their profiles, and each commune's count of the
    listed HTX at its centroid. No tiles unless HOPTAC_MAP_TILE_URL is set (intranet-safe)."""
    located = FieldGroup.LOCATION in public_groups(province=province)
    commune_field = "commune_legacy" if province.era == Era.LEGACY else "commune"
    counts = {
        row[commune_field]: row
        for row in cooperatives.order_by()
        .values(commune_field)
        .annotate(total=Count("pk"), agricultural=Count("pk", filter=Q(sector=Sector.AGRICULTURAL)))
    }
    communes = AdminUnit.objects.filter(
        era=province.era, level=Level.COMMUNE, path__startswith=province.path + "/"
    ).exclude(latitude=None)
    points = []
    if located:
        rows = cooperatives.exclude(latitude=None).exclude(longitude=None)
        for pk, name, lat, lng, sector in rows.values_list(
            "pk", "name", "latitude", "longitude", "sector"
        ):
            points.append(
                {
                    "name": name,
                    "lat": lat,
                    "lng": lng,
                    "url": reverse("portal:cooperative_detail", args=[pk]),
                    "color": SECTOR_COLOURS.get(sector, "#757575"),
                }
            )
    return {
        "points": points,
        "communes": [
            {
                "name": unit.name,
                "lat": unit.latitude,
                "lng": unit.longitude,
                "total": counts.get(unit.pk, {}).get("total", 0),
                "agricultural": counts.get(unit.pk, {}).get("agricultural", 0),
            }
            for unit in communes
        ],
        "legend": {str(Sector(k).label): v for k, v in SECTOR_COLOURS.items()},
        "tiles": getattr(settings, "HOPTAC_MAP_TILE_URL", ""),
        "attribution": getattr(settings, "HOPTAC_MAP_TILE_ATTRIBUTION", ""),
        "labels": {
            "cooperatives": _("cooperatives"),
            "agricultural": _("agricultural"),
            "no_htx": _("No cooperative"),
            "no_agricultural": _("No agricultural cooperative"),
            "communes": _("Communes"),
        },
    }


@dataclass(slots=True)
class MapArea:
    """One district (or commune) of the map page's table, with its listed HTX."""

    unit: AdminUnit
    cooperatives: list[Cooperative] = field(default_factory=list)


def map_table(*, province: AdminUnit, cooperatives: QuerySet[Cooperative]) -> list[MapArea]:
    """The same HTX as the map, by district (old tree) or commune (2025 tree), for reading
    without JavaScript."""
    areas = {unit.pk: MapArea(unit) for unit in area_choices(province=province)}
    place = "district_legacy_id" if province.era == Era.LEGACY else "commune_id"
    for cooperative in cooperatives.order_by("name", "pk"):
        area = areas.get(getattr(cooperative, place))
        if area is not None:
            area.cooperatives.append(cooperative)
    return list(areas.values())


# --- news -----------------------------------------------------------------------------------


def articles_published(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Article]:
    """Published articles, newest first; filters: category (slug), tag (slug), q (words)."""
    f = filters or {}
    qs = Article.objects.published().prefetch_related("categories")
    if f.get("category"):
        qs = qs.filter(categories__slug=f["category"])
    if f.get("tag"):
        qs = qs.filter(tags__slug=f["tag"])
    for word in search_words(f.get("q") or ""):
        qs = qs.filter(search_text__contains=word)
    return qs


def article_get(*, slug: str, user: Any, province: AdminUnit) -> Article:
    """A published article; drafts only for those who may edit the portal (404 otherwise)."""
    qs = Article.objects.prefetch_related("categories", "tags")
    if not access.may_edit_portal(user, province):
        qs = qs.filter(status="published")
    return get_object_or_404(qs, slug=slug)


def articles_for_editing(*, user: Any, province: AdminUnit) -> QuerySet[Article]:
    if not access.may_edit_portal(user, province):
        return Article.objects.none()
    return Article.objects.select_related("updated_by").order_by("-updated_at", "-pk")


# --- citizens' messages ---------------------------------------------------------------------


def questions_published() -> QuerySet[Message]:
    """Feedback published with its answer, newest answer first."""
    return Message.objects.filter(
        kind=MessageKind.FEEDBACK, status=MessageStatus.PUBLISHED
    ).order_by("-published_at", "-pk")


def message_queue(
    *, user: Any, province: AdminUnit, status: str | None = None
) -> QuerySet[Message]:
    """The moderation queue: new messages first, then the rest, newest first."""
    if not access.may_edit_portal(user, province):
        return Message.objects.none()
    qs = Message.objects.select_related("answered_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def message_counts(*, user: Any, province: AdminUnit) -> dict[str, int]:
    qs = message_queue(user=user, province=province)
    return dict(qs.order_by().values_list("status").annotate(n=Count("pk")))


def message_get(*, user: Any, province: AdminUnit, pk: int) -> Message:
    return get_object_or_404(message_queue(user=user, province=province), pk=pk)


# --- search ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SearchResults:
    cooperatives: list[Cooperative]
    products: list[Any]
    articles: list[Article]

    @property
    def empty(self) -> bool:
        return not (self.cooperatives or self.products or self.articles)


def search(*, province: AdminUnit, q: str, limit: int = 20) -> SearchResults:
    """HTX, products and news whose text holds every word of `q`, without diacritics."""
    if not search_words(q):
        return SearchResults([], [], [])
    products = products_public(province=province, filters={"q": q})
    typed = " ".join(q.split()).lower()
    cooperatives = directory(province=province, filters={"q": q}).annotate(
        exact=Case(When(Q(name__icontains=typed), then=0), default=1)
    )
    return SearchResults(
        cooperatives=list(cooperatives.order_by("exact", "name", "pk")[:limit]),
        products=list(products[:limit]),
        articles=list(articles_published(filters={"q": q})[:limit]),
    )
