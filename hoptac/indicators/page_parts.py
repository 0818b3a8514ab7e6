"""The dashboard's parts from the fragment cache (hoptac.core.fragments), exact, never stale.

The parts of an area's dashboard (headline, trend, breakdowns, map; the sections of other
apps, such as the plans' progress) are rendered once and kept under a key made of the area,
the date, the data year, the language, today's date, the user's scope (the sections only) and
the versions of the namespaces they show:

- "area:<id>" of the area ("area:country" for the whole country): bumped when a write that
  changes what the figures, the map or the rating summary read commits (`connect` watches
  every such field through core.changes, and bumps every unit the rows were in, before and
  after, of both trees, and the country), and inside each refresh of the tally for the units
  of the refreshed communes (tally/building.py);
- "indicators.tally": bumped inside every build of the tally (the nightly rewrite);
- "areas" (the units' names, areas.loader) and, for the sections, "plans".

While any commune is marked changed (tally/marking.py) the figures are read from the live
tables, and the tally's refresh is yet to come: no part is served from or stored in the cache
then (one EXISTS first, before the versions are read). The refresh clears the marks and bumps
the versions in the same transaction, so a reader that sees no mark sees the new versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from hoptac.accounts.access import scope_of
from hoptac.areas.loader import AREAS_NAMESPACE
from hoptac.core import changes, fragments
from hoptac.registry.models import AREA_FIELDS, Cooperative, StatusChange

from . import dashboard as dashboard_data
from . import selectors
from .extensions import sections
from .models import TallyMark
from .sources import Frame
from .sources.catalogue import DATED_BY, fields_read
from .tally.building import TALLY_NAMESPACE
from .tally.marking import DATED_MODELS, TALLIED_FIELDS

PLANS_NAMESPACE = "plans"  # bumped by the plans app on every write to its models
PARTS = ("headline", "trend", "breakdowns", "map")
_AREA_COLUMNS = tuple(dict.fromkeys(AREA_FIELDS.values()))

# What is shown of an organisation beyond what the tally reads: the map's points and the
# rating summary (its population and names).
SHOWN_FIELDS = ("name", "latitude", "longitude", "sub_sector", "registered_on", "founded_on")
# What the rating summary reads of a rating and of a status change, beyond the sources.
DATED_SHOWN: dict[Any, tuple[str, ...]] = {
    StatusChange: ("status", "effective_on"),
}


def _rating_fields() -> dict[Any, tuple[str, ...]]:
    from hoptac.ratings.models import Rating

    return {Rating: ("year", "status", "rank", "total", "reason", "reason_code")}


def watched_fields(model: Any) -> tuple[str, ...]:
    """The fields of `model` watched for the cache: its area columns (through its
    organisation for the dated rows) first, then what the pages show."""
    if model is Cooperative:
        shown = (*TALLIED_FIELDS, *SHOWN_FIELDS)
        return tuple(dict.fromkeys((*_AREA_COLUMNS, *shown)))
    extra = {**DATED_SHOWN, **_rating_fields()}.get(model, ())
    areas = tuple(f"cooperative__{c}" for c in _AREA_COLUMNS)
    shown = ("cooperative", DATED_BY[model], *fields_read(model), *extra)
    return tuple(dict.fromkeys((*areas, *shown)))


def _changed(change: changes.Change) -> None:
    """Bump the areas the changed rows were in and are in (and the country) at the commit."""
    count = len(_AREA_COLUMNS)
    units: set[int | None] = set()
    for pk in change.before.keys() | change.after.keys():
        before, after = change.before.get(pk), change.after.get(pk)
        if before == after:
            continue
        units.add(None)  # the country
        for row in (before, after):
            if row is not None:
                units.update(row[:count])
    if units:
        fragments.bump(*fragments.area_namespaces(units))


def connect() -> None:
    """Watch what the dashboard and the rating summary show (IndicatorsConfig.ready)."""
    uid = "indicators.page_parts"
    changes.watch(Cooperative, watched_fields(Cooperative), _changed, uid=uid)
    models = dict.fromkeys((*DATED_MODELS, StatusChange, *_rating_fields()))
    for model in models:
        changes.watch(model, watched_fields(model), _changed, uid=uid)


def servable() -> bool:
    """True when the cache may serve and store parts: the mechanism is on and no commune is
    marked (the tally is in step with the data, and the versions with the tally)."""
    return fragments.enabled() and not TallyMark.objects.exists()


def area_namespaces(area: Any) -> list[str]:
    """The namespaces of a part showing `area`'s figures (None: the country)."""
    pk = None if area is None else area.pk
    return [TALLY_NAMESPACE, AREAS_NAMESPACE, *fragments.area_namespaces([pk])]


def scope_key(user: Any) -> str:
    scope = scope_of(user)
    if scope.everything:
        return "everything"
    if scope.area is not None:
        return f"area:{scope.area.pk}"
    return f"own:{user.pk}" if scope.own else "nothing"


def _frame_parts(frame: Frame) -> tuple[Any, ...]:
    area = None if frame.area is None else frame.area.pk
    today: date = timezone.localdate()
    return (area, frame.on.isoformat(), frame.year, translation.get_language(), today)


def _render_parts(frame: Frame) -> dict[str, str]:
    context = {"frame": frame, **dashboard_data.dashboard(frame)}
    return {name: render_to_string(f"indicators/_dashboard_{name}.html", context) for name in PARTS}


def _render_sections(request: HttpRequest, frame: Frame) -> str:
    return "".join(
        render_to_string(s.template, {"section": s.context(request, frame) if s.context else {}})
        for s in sections()
        if s.template
    )


def dashboard(request: HttpRequest, frame: Frame) -> dict[str, str]:
    """The rendered parts of the dashboard of `frame` ("sections": the other apps'), from the
    cache when they were rendered at the current versions."""
    with selectors.shared_reads():
        if not servable():
            found = _render_parts(frame)
            found["sections"] = _render_sections(request, frame)
            return {name: mark_safe(html) for name, html in found.items()}  # noqa: S308
        shown = area_namespaces(frame.area)
        at = fragments.versions([*shown, PLANS_NAMESPACE])
        parts = _frame_parts(frame)
        main_key = fragments.key_for("indicators.dashboard", parts, {n: at[n] for n in shown})
        sections_key = fragments.key_for(
            "indicators.dashboard.sections", (*parts, scope_key(request.user)), at
        )
        stored = cache.get_many([main_key, sections_key])
        main = stored.get(main_key)
        if main is None:
            main = _render_parts(frame)
            cache.set(main_key, main, fragments.FRAGMENT_SECONDS)
        section_html = stored.get(sections_key)
        if section_html is None:
            section_html = _render_sections(request, frame)
            cache.set(sections_key, section_html, fragments.FRAGMENT_SECONDS)
    found = {**main, "sections": section_html}
    return {name: mark_safe(html) for name, html in found.items()}  # noqa: S308
