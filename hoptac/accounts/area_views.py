"""Pages of the administrative units, and the area picker's HTMX endpoints (URL namespace
"areas"). They live in accounts, not areas, because what they offer is cut to the user's scope
(`access.scope_of`), and the areas app sits below accounts."""

from __future__ import annotations

import json
from dataclasses import replace

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hoptac.accounts import selectors
from hoptac.accounts.access import may_change, scope_of
from hoptac.areas import letterheads
from hoptac.areas import selectors as area_selectors
from hoptac.areas.choices import Era
from hoptac.areas.forms import PICKER_TEMPLATE, LetterheadForm, UnitFilterForm
from hoptac.areas.models import AdminUnit, Letterhead
from hoptac.areas.picker import (
    Picker,
    PickerConfig,
    build_picker,
    narrower_root,
    root_era,
    search_units,
    under_root,
)
from hoptac.core import params

PAGE_SIZE = 50


def _partial(request: HttpRequest, template: str, name: str) -> str:
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.boosted else template


def _eras(request: HttpRequest) -> list[tuple[str, str]]:
    """The trees the user may browse: both for an administrator, his area's tree else."""
    scope = scope_of(request.user)
    if scope.area is not None:
        return [(scope.area.era, Era(scope.area.era).label)]
    return list(Era.choices)


def unit_list(request: HttpRequest) -> HttpResponse:
    """Both trees of units, searchable without diacritics, cut to the user's scope."""
    eras = _eras(request)
    era = request.GET.get("era", "")
    era = era if era in dict(eras) else eras[0][0]
    visible = selectors.units_visible_to(request.user).filter(era=era)
    form = UnitFilterForm(request.GET or None, era=era, units=visible)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        user=request.user,
        era=era,
        query=filters.get("q", ""),
        within=filters.get("within"),
        level=filters.get("level"),
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    links = area_selectors.province_links(page.object_list)
    for unit in page.object_list:
        unit.linked_provinces = links.get(unit.pk, [])  # type: ignore[attr-defined]
    context = {"eras": eras, "era": era, "form": form, "page": page}
    return render(request, _partial(request, "areas/unit_list.html", "results"), context)


def _picker_units(request: HttpRequest) -> tuple[PickerConfig, QuerySet[AdminUnit]]:
    """The picker's config from the query, and the units it may offer: those under its root
    that the user's scope reaches (404 when the query is malformed)."""
    try:
        config = PickerConfig.from_params(request.GET.dict())
    except ValueError as error:
        raise Http404 from error
    scope = scope_of(request.user)
    scope_root = "" if scope.everything else (scope.area.path if scope.area else None)
    root = narrower_root(config.root, scope_root) if scope_root is not None else None
    units = scope.units(AdminUnit.objects.all())
    if config.era:
        units = units.filter(era=config.era)
    if root is None:
        return config, units.none()
    return replace(config, root=root), under_root(units, root)


def picker(request: HttpRequest) -> HttpResponse:
    """Re-render the area picker standing on the unit picked (`pick`), or in tree `tree`."""
    config, units = _picker_units(request)
    pick = None
    pick_id = params.query_int(request, "pick")  # 404 unless an id
    if pick_id is not None:
        try:
            pick = units.get(pk=pick_id)
        except AdminUnit.DoesNotExist as error:
            raise Http404 from error
    state = build_picker(
        config=config,
        units=units,
        pick=pick,
        tree=request.GET.get("tree", ""),
        focus=bool(request.GET.get("focus")),
    )
    if not getattr(request, "htmx", None):
        return render(request, "areas/picker_page.html", {"picker": state})
    response = render(request, PICKER_TEMPLATE, {"picker": state})
    target = {"target": f"#{config.id}-picker"}
    response["HX-Trigger-After-Settle"] = json.dumps({"area-picked": target})
    return response


def picker_search(request: HttpRequest) -> HttpResponse:
    """The picker's search results: units whose names hold the words typed, best first."""
    config, units = _picker_units(request)
    tree = config.era or root_era(config.root) or request.GET.get("tree", "")
    tree = tree if tree in Era.values else ""
    query = params.query_text(request, "q")
    found = search_units(units.filter(era=tree) if tree else units, query, config.levels)
    context = {"picker": Picker(config=config, tree=tree), "results": found, "query": query}
    if getattr(request, "htmx", None):
        return render(request, f"{PICKER_TEMPLATE}#results", context)
    context["picker"] = build_picker(config=config, units=units, tree=tree)
    return render(request, "areas/picker_page.html", context)


def letterhead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who issues and signs the documents of an area (Nghị định 30/2020/NĐ-CP): its officers,
    and the administrator, set it; anyone else gets 404, as for a unit outside his scope."""
    unit = get_object_or_404(AdminUnit, pk=pk)
    if not may_change(request.user, unit):
        raise Http404
    row = Letterhead.objects.filter(area=unit).first()
    form = LetterheadForm(
        request.POST or None,
        instance=row,
        initial=None if row else letterheads.initial_for(unit),
    )
    if request.method == "POST" and form.is_valid():
        letterheads.letterhead_save(area=unit, values=form.cleaned_data)
        messages.success(request, _("The letterhead of %(area)s is saved.") % {"area": unit})
        return redirect("areas:letterhead_edit", unit.pk)
    return render(request, "areas/letterhead_form.html", {"form": form, "unit": unit})
