"""Places of an import: the addresses of its rows resolved to communes of either tree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max
from django.utils.translation import gettext as _

from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit, Succession
from hoptac.areas.resolve import (
    has_diacritics,
    normalize_tones,
    resolve_legacy_address,
    split_type,
)
from hoptac.core.text import fold

# --- places --------------------------------------------------------------------------------------


@dataclass
class Place:
    """An address resolved: the commune written (of either tree) and the 2025 communes it is
    today (the default first). `note` says how it was read; `error` why it could not be."""

    legacy: AdminUnit | None = None
    current: AdminUnit | None = None
    successors: list[AdminUnit] = field(default_factory=list)
    note: str = ""
    error: str = ""

    @property
    def today(self) -> AdminUnit | None:
        return self.current or (self.successors[0] if self.successors else None)

    def shown(self) -> str:
        """ "old → today" for the preview."""
        if self.legacy and self.today:
            return f"{self.legacy.full_name} → {self.today.full_name}"
        unit = self.legacy or self.current
        return unit.full_name if unit else ""


def _parts(text: str, *, accented: bool) -> tuple[str, ...]:
    """The comma-separated parts of an address as the index keys them: with their diacritics
    (one tone placement) when written with them, folded otherwise."""
    key = normalize_tones if accented else fold
    parts = (" ".join(key(part).replace(".", " ").split()) for part in text.split(","))
    return tuple(part for part in parts if part)


_INDEX_CACHE: dict[tuple[int, int | None], tuple[Any, Any, Any]] = {}


def _commune_index() -> tuple[
    dict[tuple[str, ...], list[int]],
    dict[tuple[str, ...], list[int]],
    dict[tuple[str, ...], list[int]],
]:
    """Every commune of both trees by its full name: with diacritics, folded, and (2025) its
    bare name and province. Built once per process while the units stay the same."""
    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    stamp = communes.aggregate(n=Count("pk"), last=Max("pk"))
    key = (stamp["n"], stamp["last"])
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exact: dict[tuple[str, ...], list[int]] = {}
    folded: dict[tuple[str, ...], list[int]] = {}
    bare: dict[tuple[str, ...], list[int]] = {}
    rows = communes.values_list(
        "pk", "era", "name", "short_name", "parent__name", "province__name", "province__short_name"
    )
    for pk, era, name, short, parent, province, province_short in rows:
        names = (name, parent, province) if era == Era.LEGACY else (name, province)
        exact.setdefault(tuple(normalize_tones(n) for n in names), []).append(pk)
        folded.setdefault(tuple(fold(n) for n in names), []).append(pk)
        if era == Era.CURRENT:
            bare.setdefault((fold(short), fold(province_short)), []).append(pk)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (exact, folded, bare)
    return exact, folded, bare


class PlaceResolver:
    """Resolve the addresses of one import, each distinct text once.

    Full names ("Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", as the export writes them, with
    or without diacritics) are looked up in an index of every commune of both trees; written
    with diacritics they must match them ("Lộc Thạnh" is not "Lộc Thành"). Anything else goes
    to the areas app's resolver of old addresses (hoptac.areas.resolve), then to the 2025
    names without their type words.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], Place] = {}
        self._found_by_text: dict[tuple[str, bool], list[int]] = {}
        self._exact: dict[tuple[str, ...], list[int]] = {}
        self._folded: dict[tuple[str, ...], list[int]] = {}
        self._bare_2025: dict[tuple[str, ...], list[int]] = {}
        self._loaded = False
        self._units: dict[int, AdminUnit] = {}
        self._successors: dict[int, list[AdminUnit]] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self._exact, self._folded, self._bare_2025 = _commune_index()

    def _lookup(self, text: str, current_only: bool) -> list[int]:
        """The communes whose full name `text` ends with (several when ambiguous); each text
        looked up once (a file repeats its communes)."""
        key = (text, current_only)
        found = self._found_by_text.get(key)
        if found is None:
            found = self._found_by_text[key] = self._lookup_text(text, current_only)
        return found

    def _lookup_text(self, text: str, current_only: bool) -> list[int]:
        self._load()
        accented = has_diacritics(text)
        index = self._exact if accented else self._folded
        parts = _parts(text, accented=accented)
        found: list[int] = []
        if len(parts) >= 3 and not current_only:
            found = index.get(parts[-3:], [])
        if not found and len(parts) >= 2:
            found = index.get(parts[-2:], [])
        return found

    def prefetch(self, texts: Iterable[str], *, current_only: bool = False) -> None:
        """Load at once the units (and their successors) that `texts` name exactly."""
        wanted = {
            found[0]
            for text in set(texts)
            if (text, current_only) not in self._cache
            and len(found := self._lookup(text, current_only)) == 1
            and found[0] not in self._units
        }
        if not wanted:
            return
        units = AdminUnit.objects.in_bulk(wanted)  # the units only: their ids place an HTX
        self._units.update(units)
        legacy = [pk for pk, unit in units.items() if unit.era == Era.LEGACY]
        for pk in legacy:
            self._successors[pk] = []
        successions = (
            Succession.objects.filter(old_id__in=legacy)
            .select_related("new")
            .order_by("old_id", "-is_default", "new__code")
        )
        for succession in successions:  # one object per unit, however many lead to it
            new = self._units.setdefault(succession.new_id, succession.new)
            self._successors[succession.old_id].append(new)

    def unit(self, pk: int) -> AdminUnit:
        if pk not in self._units:
            self._units[pk] = AdminUnit.objects.get(pk=pk)
        return self._units[pk]

    def successors(self, legacy: AdminUnit) -> list[AdminUnit]:
        """The 2025 communes an old commune went into, the default first."""
        if legacy.pk not in self._successors:
            found = (
                Succession.objects.filter(old=legacy)
                .select_related("new")
                .order_by("-is_default", "new__code")
            )
            self._successors[legacy.pk] = [s.new for s in found]
        return self._successors[legacy.pk]

    def resolve(self, text: str, *, current_only: bool = False) -> Place:
        key = (text, current_only)
        if key not in self._cache:
            self._cache[key] = self._resolve(text, current_only)
        return self._cache[key]

    def _found(self, pk: int) -> Place:
        unit = self.unit(pk)
        if unit.era == Era.LEGACY:
            return Place(legacy=unit, successors=self.successors(unit))
        return Place(current=unit)

    def _resolve(self, text: str, current_only: bool) -> Place:
        candidates = self._lookup(text, current_only)
        if len(candidates) == 1:
            return self._found(candidates[0])
        resolution = None
        if not current_only:
            resolution = resolve_legacy_address(text)
            if resolution.ok and resolution.commune is not None:
                place = Place(legacy=resolution.commune, note=resolution.message)
                place.successors = self.successors(resolution.commune)
                return place
        parts = _parts(text, accented=False)
        if len(parts) >= 2 and not (candidates and has_diacritics(text)):
            bare = tuple(" ".join(split_type(p.split())[1]) for p in parts[-2:])
            found = self._bare_2025.get(bare, [])
            if len(found) == 1:
                place = self._found(found[0])
                place.note = _("Read as %(unit)s.") % {"unit": place.current.full_name}  # type: ignore[union-attr]
                return place
        if resolution is None:
            return Place(
                error=_(
                    "“%(address)s” is not a commune of the 2025 tree: write it as “Xã …, Tỉnh …”."
                )
                % {"address": text}
            )
        message = resolution.error or _("“%(address)s” is not a commune.") % {"address": text}
        if resolution.candidates:
            names = "; ".join(u.full_name for u in resolution.candidates[:3])
            message += " " + _("Closest: %(names)s.") % {"names": names}
        return Place(error=message)
