"""Reads of administrative units: lists, search, and how old units map to today's."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr

from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit, Succession
from hoptac.core.text import fold


def successors_of(unit: AdminUnit) -> list[Succession]:
    """The successions of an old commune (or island district), the default first."""
    return list(
        Succession.objects.filter(old=unit)
        .select_related("new__parent")
        .order_by("-is_default", "new__code")
    )


def unit_search(units: QuerySet[AdminUnit], query: str) -> QuerySet[AdminUnit]:
    """`units` matching every word of `query`, diacritics ignored; a code matches too.

    Ranked: units whose own name (not a parent's) has the phrase, then those whose own name
    has every word, then those whose full name has the phrase (the communes of a district
    found by its name), then the rest; inside a rank, higher levels first, then tree order.
    """
    words = fold(query).split()
    if not words:
        return units.order_by("era", "path")
    if len(words) == 1 and words[0].isdigit():
        return units.filter(code__startswith=words[0]).order_by("level", "era", "path")
    matching = units
    for word in words:
        matching = matching.filter(search_name__contains=word)
    comma = StrIndex(F("search_name"), Value(","))
    own_name = Case(
        When(Q(_comma__gt=0), then=Substr(F("search_name"), 1, F("_comma") - 1)),
        default=F("search_name"),
        output_field=CharField(),
    )
    every_word = Q()
    for word in words:
        every_word &= Q(_own__contains=word)
    phrase = " ".join(words)
    rank = Case(
        When(Q(_own__contains=phrase), then=Value(0)),
        When(every_word, then=Value(1)),
        When(Q(search_name__contains=phrase), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        matching.annotate(_comma=comma)
        .annotate(_own=own_name)
        .annotate(_rank=rank)
        .order_by("_rank", "level", "era", "path")
    )


def province_links(units: list[AdminUnit]) -> dict[int, list[AdminUnit]]:
    """For the old provinces and districts among `units`, the 2025 provinces that took in
    their communes; for 2025 provinces, the old provinces they took communes from.

    At most five queries, whatever the number of units.
    """
    legacy = [u for u in units if u.era == Era.LEGACY]
    provinces = [u for u in legacy if u.level == Level.PROVINCE]
    districts = [u for u in legacy if u.level == Level.DISTRICT]
    current = [u for u in units if u.era == Era.CURRENT and u.level == Level.PROVINCE]
    links = Succession.objects.values_list
    pairs: set[tuple[int, int]] = set()  # (unit id, linked province id)
    if provinces:
        pairs |= set(
            links("old__province", "new__parent").filter(old__province__in=provinces).distinct()
        )
    if districts:
        pairs |= set(
            links("old__parent", "new__parent").filter(old__parent__in=districts).distinct()
        )
        pairs |= set(links("old", "new__parent").filter(old__in=districts).distinct())
    if current:
        pairs |= set(
            links("new__parent", "old__province").filter(new__parent__in=current).distinct()
        )
    linked_units = AdminUnit.objects.in_bulk({linked for _, linked in pairs})
    result: dict[int, list[AdminUnit]] = {}
    for unit_id, linked in sorted(pairs, key=lambda pair: linked_units[pair[1]].path):
        result.setdefault(unit_id, []).append(linked_units[linked])
    return result
