"""Pages of the ratings: the ratings of an area for a year (propose, publish), the review of
one rating (scores side by side, override, approve), the district summary with its drill-down,
and the ratings tab of the cooperative page.

Thin: parse input, check access (selectors / hoptac.accounts.access), call a selector or
service, render. An area or rating out of the user's scope answers 404; "may see but not
change" answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoptac.accounts import access
from hoptac.accounts.access import scope_of
from hoptac.areas.loader import AREAS_NAMESPACE
from hoptac.areas.models import AdminUnit
from hoptac.core import fragments, params
from hoptac.ratings import forms, logic, selectors, services
from hoptac.ratings.choices import PENDING, Rank
from hoptac.ratings.models import Rating
from hoptac.registry import selectors as registry_selectors
from hoptac.registry.choices import Sector
from hoptac.registry.models import Cooperative

TAB_YEARS = 3  # the ratings tab offers to start a rating for the last few years


def _partial(request: HttpRequest, template: str, name: str) -> str:
    """The template, or only its partial `name` for an HTMX (not boosted) request."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{name}" if htmx and not htmx.boosted else template


def _area(request: HttpRequest, area_pk: int) -> AdminUnit:
    """The area `area_pk` if the user may work on it; 404 otherwise (missing or out of scope)."""
    area = get_object_or_404(AdminUnit, pk=area_pk)
    if not selectors.may_see_area(request.user, area):
        raise Http404
    return area


def _area_url(name: str, area: AdminUnit, year: int) -> str:
    return reverse(f"ratings:{name}", args=[area.pk, year])


# --- an area ------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """Choose an area and a year (officers go to their own area at once); an HTX manager sees
    the ratings of his own HTX."""
    form = forms.AreaYearForm(request.GET or None, user=request.user)
    area, year = form.chosen()
    if area is not None:
        name = "summary" if params.query_text(request, "view") == "summary" else "area"
        return redirect(_area_url(name, area, year))
    scope = scope_of(request.user)
    ratings = selectors.rating_list(user=request.user, area=None, year=None)
    if not scope.own:
        ratings = ratings.none()  # the administrator picks an area first
    context = {"form": form, "ratings": ratings, "year": year}
    return render(request, "ratings/index.html", context)


def area_ratings(request: HttpRequest, area_pk: int, year: int) -> HttpResponse:
    area = _area(request, area_pk)
    sector = params.query_choice(request, "sector", Sector.values)
    status = params.query_text(request, "status")
    ratings = list(
        selectors.rating_list(user=request.user, area=area, year=year, sector=sector, status=status)
    )
    stale = selectors.stale_ids(ratings)
    if status == "stale":
        ratings = [r for r in ratings if r.pk in stale]
    context = {
        "area": area,
        "year": year,
        "ratings": ratings,
        "stale": stale,
        "sector": sector,
        "status": status,
        "round": selectors.rating_round(area=area, year=year),
        "unrated": selectors.unrated_count(area=area, year=year),
        "form": forms.AreaYearForm(initial={"area": area.pk, "year": year}, user=request.user),
    }
    return render(request, _partial(request, "ratings/area.html", "rows"), context)


@require_POST
def area_propose(request: HttpRequest, area_pk: int, year: int) -> HttpResponse:
    area = _area(request, area_pk)
    round_ = services.rating_propose_for_area(area=area, year=year, by=request.user)
    count = round_.ratings.count()
    messages.success(request, _("Ratings proposed by the rules: %(n)s.") % {"n": count})
    return redirect(_area_url("area", area, year))


@require_POST
def area_publish(request: HttpRequest, area_pk: int, year: int) -> HttpResponse:
    area = _area(request, area_pk)
    try:
        count = services.rating_publish(area=area, year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Ratings published: %(n)s.") % {"n": count})
    return redirect(_area_url("area", area, year))


def summary(request: HttpRequest, area_pk: int, year: int) -> HttpResponse:
    area = _area(request, area_pk)
    result, chart = _summary(area, year)
    sector = params.query_choice(request, "sector", Sector.values)
    column = params.query_text(request, "column")
    rows = None
    if sector or column:
        rows = selectors.rating_summary_rows(area=area, year=year, sector=sector, column=column)
    context = {
        "area": area,
        "year": year,
        "summary": result,
        "chart": chart,
        "columns": [(code, _column_label(code)) for code in selectors.SUMMARY_COLUMNS],
        "rows": rows,
        "sector": sector,
        "column": column,
    }
    return render(request, _partial(request, "ratings/summary.html", "drill"), context)


def _summary(area: AdminUnit | None, year: int) -> tuple[selectors.Summary, dict[str, Any]]:
    """The summary and its chart, from the fragment cache when computed at the current version
    of the area's figures: hoptac.indicators.page_parts bumps it when a write to what the
    summary reads commits (ratings, status changes, the organisations' names, places, dates)."""
    pk = None if area is None else area.pk

    def compute() -> tuple[selectors.Summary, dict[str, Any]]:
        result = selectors.rating_summary(area=area, year=year)
        return result, selectors.rating_summary_chart(result)

    parts = (pk, year, translation.get_language(), timezone.localdate())
    namespaces = [AREAS_NAMESPACE, *fragments.area_namespaces([pk])]
    return fragments.cached("ratings.summary", parts, namespaces, compute)


def _column_label(code: str) -> str:
    return _("No approved rating yet") if code == PENDING else str(Rank(code).label)


# --- one rating ---------------------------------------------------------------------------


def _rating(request: HttpRequest, pk: int) -> Rating:
    return selectors.rating_get_for_user(user=request.user, pk=pk)


def _detail_context(request: HttpRequest, rating: Rating, **forms_: Any) -> dict[str, Any]:
    may = selectors.rating_permissions(user=request.user, rating=rating)
    sheet = selectors.rating_sheet(rating)
    scores_form = forms_.get("scores_form") or forms.ScoresForm(
        sheet=sheet,
        verify=may.verify,
        initial={"sanctioned": rating.sanctioned},
        initial_scores={"self": rating.self_decimals(), "verified": rating.verified_decimals()},
    )
    return {
        "rating": rating,
        "cooperative": rating.cooperative,
        "may": may,
        "sheet": sheet,
        "scores_form": scores_form,
        "override_form": forms_.get("override_form")
        or forms.OverrideForm(initial={"rank": rating.override_rank}),
        "stale": rating.pk in selectors.stale_ids([rating]),
        "history": selectors.rating_history(rating=rating),
    }


def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    return render(request, "ratings/rating_detail.html", _detail_context(request, rating))


@require_POST
def rating_scores(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    may = selectors.rating_permissions(user=request.user, rating=rating)
    if not may.self_score:
        raise PermissionDenied
    form = forms.ScoresForm(request.POST, sheet=selectors.rating_sheet(rating), verify=may.verify)
    if form.is_valid():
        try:
            services.rating_set_scores(
                rating=rating,
                by=request.user,
                self_scores=form.scores("self"),
                verified_scores=form.scores("verified") if may.verify else None,
                sanctioned=form.cleaned_data["sanctioned"] if may.verify else None,
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The scores were saved and the rating computed again."))
            return redirect(rating)
    context = _detail_context(request, rating, scores_form=form)
    return render(request, "ratings/rating_detail.html", context, status=400)


@require_POST
def rating_override(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    if not selectors.rating_permissions(user=request.user, rating=rating).verify:
        raise PermissionDenied
    form = forms.OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.rating_override(
                rating=rating, by=request.user, rank=form.cleaned_data["rank"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The rank was changed."))
            return redirect(rating)
    context = _detail_context(request, rating, override_form=form)
    return render(request, "ratings/rating_detail.html", context, status=400)


@require_POST
def rating_approve(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    if not access.may_review_cooperative(request.user, rating.cooperative):
        raise PermissionDenied
    try:
        approval = services.rating_approve(rating=rating, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The rating was approved."))
        if approval.remediation is not None:
            messages.info(request, _("A remediation case was opened for this weak cooperative."))
    return redirect(rating)


@require_POST
def rating_repropose(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    if not access.may_review_cooperative(request.user, rating.cooperative):
        raise PermissionDenied
    changed = services.rating_repropose(rating=rating, by=request.user)
    if changed:
        messages.success(request, _("The rating was computed again from the current reports."))
    else:
        messages.info(request, _("Nothing changed."))
    return redirect(rating)


@require_POST
def rating_start(request: HttpRequest, cooperative_pk: int, year: int) -> HttpResponse:
    cooperative = registry_selectors.cooperative_get_for_user(user=request.user, pk=cooperative_pk)
    if not access.may_change_cooperative(request.user, cooperative):
        raise PermissionDenied
    try:
        rating = services.rating_start(cooperative=cooperative, year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{cooperative.get_absolute_url()}?tab=ratings")
    return redirect(rating)


# --- the tab of the cooperative page ----------------------------------------------------------


def tab_context(request: HttpRequest, cooperative: Cooperative) -> dict[str, Any]:
    """The ratings tab: the HTX's rating history, and the recent years it may start."""
    ratings = list(selectors.cooperative_ratings(cooperative=cooperative))
    rated = {r.year for r in ratings}
    last = timezone.localdate().year - 1
    startable = [
        year
        for year in range(last, last - TAB_YEARS, -1)
        if year not in rated and logic.rules_applying(year, cooperative.sector) is not None
    ]
    may_start = access.may_change_cooperative(request.user, cooperative)
    return {"ratings": ratings, "startable_years": startable if may_start else []}
