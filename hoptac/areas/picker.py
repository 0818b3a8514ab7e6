"""The area picker's state: what it offers at each step and which unit is chosen.

The picker is a chain of <select>s (province → district → commune in the old tree,
province → commune in the 2025 tree) and a search box. It is rendered by the widget inside
a form and re-rendered by the HTMX endpoint (views.picker) each time the user changes a
step or picks a search result. Both describe the picker with a `PickerConfig` carried in
the endpoint's URL (field name, allowed levels, fixed era, root) and build it with
`build_picker` over the units the user may reach; the endpoint cuts those down to
`scope_of(request.user)` so a URL cannot widen them.

A root is "" (both trees), an era ("legacy", "2025") or a unit's path: the picker offers
only what lies below it. The root unit and its ancestors are shown as fixed context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit

CHAIN: dict[str, tuple[int, ...]] = {
    Era.LEGACY: (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
    Era.CURRENT: (Level.PROVINCE, Level.COMMUNE),
}
STEP_LABELS = {
    Level.PROVINCE: _("Province or centrally-run city"),
    Level.DISTRICT: _("District, town or provincial city"),
    Level.COMMUNE: _("Commune, ward or township"),
}
_ROOT = re.compile(r"^(?:(?:legacy|2025)(?:/\d{2}(?:/\d{3}(?:/\d{5})?|/\d{5})?)?)?$")
_NAME = re.compile(r"^[\w.-]{1,100}$")
SEARCH_LIMIT = 15


def root_era(root: str) -> str:
    """The era a root belongs to ("" for both)."""
    return root.split("/", 1)[0]


def root_contains(root: str, path: str) -> bool:
    """Does the subtree of `root` contain the unit at `path` (or the root `path`)?"""
    return root == "" or path == root or path.startswith(root + "/")


def narrower_root(first: str, second: str) -> str | None:
    """The deeper of two roots when one contains the other, else None (nothing in common)."""
    if root_contains(first, second):
        return second
    if root_contains(second, first):
        return first
    return None


def common_root(first_path: str | None, last_path: str | None) -> str:
    """The deepest root holding every unit of a set, given its first and last paths."""
    if not first_path or not last_path:
        return ""
    common: list[str] = []
    for a, b in zip(first_path.split("/"), last_path.split("/"), strict=False):
        if a != b:
            break
        common.append(a)
    return "/".join(common)


def under_root(units: QuerySet[AdminUnit], root: str) -> QuerySet[AdminUnit]:
    """`units` cut down to the subtree of `root`."""
    if not root:
        return units
    if "/" not in root:
        return units.filter(era=root)
    return units.filter(Q(path=root) | Q(path__startswith=root + "/"))


@dataclass(frozen=True, slots=True)
class PickerConfig:
    """What the form asked for: field name and id, allowed levels, fixed era, root."""

    name: str
    id: str
    levels: tuple[int, ...] = (Level.COMMUNE,)
    era: str = ""
    root: str = ""

    def url(self, view: str = "areas:picker", **extra: str) -> str:
        params = {
            "name": self.name,
            "id": self.id,
            "levels": ",".join(str(level) for level in self.levels),
            "era": self.era,
            "root": self.root,
            **extra,
        }
        return f"{reverse(view)}?{urlencode(params)}"

    @classmethod
    def from_params(cls, params: dict[str, str]) -> PickerConfig:
        """Read a config from the endpoint's query; ValueError when anything is malformed."""
        name, id_, era, root = (params.get(k, "") for k in ("name", "id", "era", "root"))
        levels = tuple(sorted({int(v) for v in params.get("levels", "3").split(",") if v}))
        if not (_NAME.match(name) and _NAME.match(id_)):
            raise ValueError("bad name or id")
        if not levels or not set(levels) <= set(Level.values):
            raise ValueError("bad levels")
        if era not in ("", *Era.values) or not _ROOT.match(root):
            raise ValueError("bad era or root")
        if era and root and root_era(root) != era:
            raise ValueError("root outside era")
        return cls(name=name, id=id_, levels=levels, era=era, root=root)


@dataclass
class Step:
    """One <select> of the chain."""

    level: int
    label: str
    id: str
    options: list[AdminUnit]
    selected: AdminUnit | None
    blank: int | str  # the value of "— choose —": the parent's pk (its own choice), or ""
    autofocus: bool = False


@dataclass
class Picker:
    """Everything the picker template shows."""

    config: PickerConfig
    tree: str
    trees: list[tuple[str, str]] = field(default_factory=list)
    context: list[AdminUnit] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    value: AdminUnit | None = None
    empty: bool = False

    @property
    def pick_url(self) -> str:
        return self.config.url(tree=self.tree)

    @property
    def tree_url(self) -> str:
        return self.config.url()

    @property
    def search_url(self) -> str:
        return self.config.url("areas:picker_search", tree=self.tree)

    @property
    def pending(self) -> bool:
        """Something is on the way but not a unit of an allowed level yet."""
        return self.value is None and any(step.selected for step in self.steps)


def _ancestors(unit: AdminUnit) -> list[AdminUnit]:
    """The unit and the units above it, from the province down (one query)."""
    parts = unit.path.split("/")
    paths = ["/".join(parts[: i + 1]) for i in range(1, len(parts))]
    return list(AdminUnit.objects.filter(path__in=paths).order_by("level"))


def build_picker(
    *,
    config: PickerConfig,
    units: QuerySet[AdminUnit],
    pick: AdminUnit | None = None,
    tree: str = "",
    focus: bool = False,
) -> Picker:
    """The picker over `units` (already cut to what the user may reach under config.root).

    `pick` is the unit the user is on (a choice, or the field's value); without one the
    picker stands on the root unit, which is then the value when its level is allowed
    (an officer's own area is his default). `focus` puts the keyboard focus on the step
    to continue with (after a search result was picked).
    """
    root_unit = None
    if "/" in config.root:
        root_unit = units.filter(path=config.root).first()
        if root_unit is None:
            return Picker(config=config, tree=root_era(config.root), empty=True)
    if pick is not None and not root_contains(config.root, pick.path):
        pick = None
    position = pick or root_unit
    tree = position.era if position else (config.era or root_era(config.root) or tree)
    if tree not in Era.values:
        tree = ""
    picker = Picker(config=config, tree=tree)
    if not config.era and not config.root:
        picker.trees = list(Era.choices)
    on_path = {u.level: u for u in _ancestors(position)} if position else {}
    if root_unit is not None:
        picker.context = [u for u in on_path.values() if u.level <= root_unit.level]
    if position is not None and position.level in config.levels:
        picker.value = position
    if not tree:
        return picker
    root_level = root_unit.level if root_unit else 0
    parent: AdminUnit | None = root_unit
    for level in CHAIN[tree]:
        if level <= root_level or level > max(config.levels):
            continue
        if root_level and parent is None:
            break
        siblings = units.filter(level=level, era=tree)
        siblings = siblings.filter(parent=parent) if parent else siblings.filter(parent=None)
        selected = on_path.get(level)
        picker.steps.append(
            Step(
                level=level,
                label=str(STEP_LABELS[Level(level)]),
                id=f"{config.id}-level{level}",
                options=list(siblings.order_by("code")),
                selected=selected,
                blank=parent.pk if parent else "",
            )
        )
        if selected is None:
            break
        parent = selected
    if not picker.steps and picker.value is None and root_unit is None:
        picker.empty = not units.exists()
    if focus and picker.steps:
        wanted = position if picker.value is not None else None
        target = next((s for s in picker.steps if s.selected == wanted), picker.steps[-1])
        target.autofocus = True
    return picker


def search_units(
    units: QuerySet[AdminUnit], query: str, levels: tuple[int, ...]
) -> list[AdminUnit]:
    """Units to offer for a search typed in the picker, best first (see selectors.unit_search)."""
    from hoptac.areas.selectors import unit_search

    if not query.strip():
        return []
    return list(unit_search(units.filter(level__lte=max(levels)), query)[:SEARCH_LIMIT])
