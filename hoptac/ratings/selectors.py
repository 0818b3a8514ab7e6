"""Reads of the ratings, for views, commands and other apps (indicators, the written report).

Who may see a rating is decided by `Rating.objects.visible_to(user)` (hoptac.accounts.access);
the area pages check that the chosen area lies in the user's scope before reading it, so the
area reads below filter by the area alone (as the indicators do).

Staleness: a rating records the approved report versions it used; it is stale when the latest
approved version of the year (or of the year before) is another one. This is computed when the
ratings are read (`stale_ids`: one query for a whole list), so nothing has to be kept in sync
when a report changes; the list and the review page show it, and proposing again re-rates the
stale ratings (services.rating_propose_for_area, services.rating_repropose).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from hoptac.accounts import access
from hoptac.ratings import logic, wording
from hoptac.ratings.choices import PENDING, RATED_RANKS, Rank, RatingStatus
from hoptac.ratings.models import Rating, RatingRound
from hoptac.ratings.rules import (
    Case,
    Result,
    RuleSet,
    Score,
    propose_item,
    rate,
)
from hoptac.registry.choices import Kind, Sector
from hoptac.registry.models import Cooperative
from hoptac.registry.selectors import AREA_FIELDS
from hoptac.reports.choices import ReportStatus
from hoptac.reports.indicators import RATING_KEYS
from hoptac.reports.models import AnnualReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit

RATED_KINDS = (Kind.COOPERATIVE, Kind.UNION)  # a tổ hợp tác is not rated by the circulars
SECTORS = (Sector.AGRICULTURAL, Sector.NON_AGRICULTURAL)
SUMMARY_COLUMNS = (*RATED_RANKS, Rank.CHUA_DANH_GIA, PENDING)


# --- who may do what ------------------------------------------------------------------------


def may_see_area(user: User | AnonymousUser, area: AdminUnit | None) -> bool:
    """The area pages (list, summary): the same people as may rate it."""
    return access.may_rate_area(user, area) if user.is_authenticated else False


@dataclass(frozen=True, slots=True)
class Permissions:
    """What a user may do with one rating."""

    self_score: bool
    verify: bool  # verified scores, the sanction, overrides
    approve: bool
    repropose: bool


def rating_permissions(*, user: User | AnonymousUser, rating: Rating) -> Permissions:
    cooperative = rating.cooperative
    reviewer = user.is_authenticated and access.may_review_cooperative(user, cooperative)
    open_ = rating.status == RatingStatus.PROPOSED
    scored = open_ and bool(rating.rules_id)
    return Permissions(
        self_score=scored
        and user.is_authenticated
        and access.may_change_cooperative(user, cooperative),
        verify=scored and reviewer,
        approve=open_ and reviewer and bool(rating.rank) and not rating.errors,
        repropose=reviewer,
    )


# --- whom an area rates ---------------------------------------------------------------------


def area_lookup(area: AdminUnit | None, prefix: str = "") -> dict[str, int]:
    """The filter placing an organisation in `area` (None: everywhere)."""
    if area is None:
        return {}
    return {f"{prefix}{AREA_FIELDS[(area.era, area.level)]}": area.pk}


def rating_population(*, area: AdminUnit | None, year: int) -> QuerySet[Cooperative]:
    """The organisations of `area` to rate for `year`: HTX and unions that existed in the year
    (begun by 31 December; not dissolved or bankrupt before 1 January, by the dated status
    history), as the reporting desk counts those that owe a report (reports.selectors)."""
    return Cooperative.objects.filter(kind__in=RATED_KINDS, **area_lookup(area)).existed_in(year)


# --- lists ----------------------------------------------------------------------------------


def rating_list(
    *,
    user: User | AnonymousUser,
    area: AdminUnit | None,
    year: int | None,
    sector: str = "",
    status: str = "",
) -> QuerySet[Rating]:
    """The ratings of `year` (None: every year) of the organisations of `area` that `user` may
    see."""
    qs = Rating.objects.visible_to(user).filter(**area_lookup(area, "cooperative__"))
    if year is not None:
        qs = qs.filter(year=year)
    if sector:
        qs = qs.filter(cooperative__sector=sector)
    if status in RatingStatus.values:
        qs = qs.filter(status=status)
    elif status == "incomplete":
        qs = qs.filter(rank="")
    return qs.select_related("cooperative").order_by("cooperative__name", "-year", "pk")


def unrated_count(*, area: AdminUnit | None, year: int) -> int:
    """Organisations of the area to rate for `year` that have no rating yet."""
    rated = Rating.objects.filter(year=year).values("cooperative_id")
    return rating_population(area=area, year=year).exclude(pk__in=rated).count()


def rating_round(*, area: AdminUnit | None, year: int) -> RatingRound | None:
    if area is None:
        return None
    return RatingRound.objects.filter(area=area, year=year).first()


def latest_approved_reports(
    cooperative_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], AnnualReport]:
    """The latest approved version of each (organisation, year) asked for."""
    latest: dict[tuple[int, int], AnnualReport] = {}
    rows = (
        AnnualReport.objects.filter(
            cooperative_id__in=list(cooperative_ids),
            year__in=list(years),
            status=ReportStatus.APPROVED,
        )
        .only("cooperative_id", "year", "version", "status", *RATING_KEYS.values())
        .order_by("cooperative_id", "year", "version")
    )
    for report in rows:
        latest[(report.cooperative_id, report.year)] = report
    return latest


def stale_ids(ratings: Iterable[Rating]) -> set[int]:
    """The ratings whose reports are no longer the latest approved versions (one query)."""
    ratings = list(ratings)
    if not ratings:
        return set()
    years = {r.year for r in ratings} | {r.year - 1 for r in ratings}
    current = (
        AnnualReport.objects.filter(
            cooperative_id__in={r.cooperative_id for r in ratings},
            year__in=years,
            status=ReportStatus.APPROVED,
        )
        .order_by("cooperative_id", "year", "version")
        .values_list("cooperative_id", "year", "pk")
    )
    latest = {(coop, year): pk for coop, year, pk in current}
    stale = set()
    for rating in ratings:
        now = latest.get((rating.cooperative_id, rating.year))
        before = latest.get((rating.cooperative_id, rating.year - 1))
        if not rating.rules_id:  # not rated by any rule: the reports do not matter
            continue
        if now != rating.report_id or before != rating.previous_report_id:
            stale.add(rating.pk)
    return stale


def rating_get_for_user(*, user: User | AnonymousUser, pk: int) -> Rating:
    """The rating `pk` if `user` may see it; 404 whether missing or out of scope."""
    qs = Rating.objects.visible_to(user).select_related(
        "cooperative__commune_legacy",
        "cooperative__commune",
        "approved_by",
        "report",
        "previous_report",
        "round__area",
    )
    return get_object_or_404(qs, pk=pk)


def cooperative_ratings(*, cooperative: Cooperative) -> QuerySet[Rating]:
    """Every rating of `cooperative`, newest year first (the ratings tab)."""
    return cooperative.ratings.select_related("approved_by").order_by("-year")


def rating_history(*, rating: Rating, limit: int = 50) -> list[Any]:
    """The saved states of a rating, newest first, with who saved them and why."""
    return list(rating.history.select_related("history_user").order_by("-history_id")[:limit])


# --- the engine's view of a rating --------------------------------------------------------------


def rating_case(rating: Rating, rules: RuleSet | None = None) -> Case:
    """The engine's case of a rating, from what the rating holds (its scores, the report
    figures it used, the months stopped, the sanction) and its organisation."""
    cooperative = rating.cooperative
    self_scores, verified = rating.self_decimals(), rating.verified_decimals()
    scores = {
        key: Score(self_scores.get(key), verified.get(key))
        for key in dict.fromkeys([*self_scores, *verified])
    }
    data = rating.report_data or {}
    return Case(
        id=cooperative.pk,
        kind=logic.engine_kind(cooperative.kind, cooperative.sub_sector) or "htx",
        founded=cooperative.founded_on or cooperative.registered_on,  # type: ignore[arg-type]
        year=rating.year,
        months_stopped=rating.months_stopped,
        sanctioned=rating.sanctioned,
        scores=scores,
        report=logic.decimals(data["report"]) if data.get("report") is not None else None,
        previous_report=(
            logic.decimals(data["previous_report"])
            if data.get("previous_report") is not None
            else None
        ),
        sector=cooperative.sector,
    )


def rules_of(rating: Rating) -> RuleSet | None:
    return next((r for r in logic.rule_sets() if r.id == rating.rules_id), None)


@dataclass(frozen=True, slots=True)
class SheetItem:
    """One scoring unit of the review sheet: every score side by side."""

    id: str
    name: str
    bound: Decimal
    max_known: bool
    data_points: Decimal | None
    data_reason: str
    self_score: Decimal | None
    verified: Decimal | None
    points: Decimal | None
    origin: str  # verified | data | self | "" (missing)


@dataclass(frozen=True, slots=True)
class SheetCriterion:
    id: str
    name: str
    max_points: Decimal | None
    points: Decimal
    reason: str
    items: list[SheetItem]


@dataclass(frozen=True, slots=True)
class SheetGroup:
    heading: str
    max_points: Decimal
    points: Decimal
    criteria: list[SheetCriterion]


@dataclass(frozen=True, slots=True)
class Figure:
    """One report figure the rules read: this year's and last year's value."""

    key: str
    name: str
    value: Decimal | None
    previous: Decimal | None


@dataclass
class Sheet:
    """The review sheet of a rating: criterion by criterion, the data used, the scores given
    and the points counted, with the engine's reasons."""

    rules: RuleSet | None
    result: Result | None
    groups: list[SheetGroup] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def item_ids(self) -> list[str]:
        return [i.id for g in self.groups for c in g.criteria for i in c.items]


def rating_sheet(rating: Rating) -> Sheet:
    """Run the engine on what the rating holds (pure, a few milliseconds) and lay it out."""
    rules = rules_of(rating)
    if rules is None or (
        rating.cooperative.founded_on is None and not rating.cooperative.registered_on
    ):
        return Sheet(rules=rules, result=None)
    case = rating_case(rating, rules)
    result = rate(rules, case)
    criteria = {c.id: c for c in result.criteria}
    groups_points = {g.id: g.points for g in result.groups}
    groups = []
    for group in rules.groups:
        rows = []
        for criterion in group.criteria:
            found = criteria.get(criterion.id)
            counted = {i.id: i for i in found.items} if found else {}
            items = []
            for item in criterion.items:
                proposal = propose_item(rules, item, case)
                score = case.scores.get(item.id, Score())
                got = counted.get(item.id)
                items.append(
                    SheetItem(
                        id=item.id,
                        name=item.name_vi,
                        bound=item.bound,
                        max_known=item.max_points is not None,
                        data_points=proposal[0] if proposal else None,
                        data_reason=proposal[1] if proposal else "",
                        self_score=score.self_score,
                        verified=score.verified,
                        points=got.points if got else None,
                        origin=got.origin if got else "",
                    )
                )
            rows.append(
                SheetCriterion(
                    id=criterion.id,
                    name=criterion.name_vi,
                    max_points=criterion.max_points,
                    points=found.points if found else Decimal(0),
                    reason=found.reason_vi if found else "",
                    items=items,
                )
            )
        heading = group.name_vi if group.synthetic else f"Nhóm {group.id} ({group.name_vi})"
        groups.append(
            SheetGroup(heading, group.max_points, groups_points.get(group.id, Decimal(0)), rows)
        )
    return Sheet(rules=rules, result=result, groups=groups, figures=_figures(rules, rating))


def _figures(rules: RuleSet, rating: Rating) -> list[Figure]:
    data = rating.report_data or {}
    now = logic.decimals(data.get("report") or {})
    before = logic.decimals(data.get("previous_report") or {})
    return [
        Figure(key, indicator.name_vi, now.get(key), before.get(key))
        for key, indicator in rules.indicators.items()
    ]


# --- the summary of an area -----------------------------------------------------------------


@dataclass
class SectorSummary:
    """The ranks of one sector of an area for a year (approved ratings only)."""

    sector: str
    has_rules: bool  # a rule file covers the sector that year: it was reviewed
    counts: dict[str, int]
    reasons: list[tuple[str, int]]
    sentence: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rated(self) -> int:
        return sum(self.counts[rank] for rank in RATED_RANKS)

    @property
    def label(self) -> str:
        return str(Sector(self.sector).label)


@dataclass
class Summary:
    """The district summary: per sector, the distribution of ranks and the sentence."""

    area: AdminUnit | None
    year: int
    sectors: list[SectorSummary]

    def reviewed(self) -> list[SectorSummary]:
        """The sectors a rule covered that year and that have organisations."""
        return [s for s in self.sectors if s.has_rules and s.total]

    def sentences(self) -> list[str]:
        return [s.sentence for s in self.reviewed()]

    def as_json(self) -> dict[str, Any]:
        return {
            "area": None if self.area is None else self.area.code,
            "area_name": None if self.area is None else self.area.full_name,
            "year": self.year,
            "sectors": {
                s.sector: {
                    "reviewed": s.has_rules,
                    "counts": dict(s.counts),
                    "total": s.total,
                    "not_rated": [{"reason": phrase, "count": n} for phrase, n in s.reasons],
                    "sentence": s.sentence,
                }
                for s in self.sectors
            },
            "sentences": self.sentences(),
        }


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One organisation behind a number of the summary."""

    cooperative_id: int
    name: str
    sector: str
    column: str  # a rank code, or PENDING
    rating_id: int | None
    total: Decimal | None
    reason: str


def _summary_rows(area: AdminUnit | None, year: int) -> list[SummaryRow]:
    coops = list(
        rating_population(area=area, year=year)
        .order_by("name", "pk")
        .values("pk", "name", "sector")
    )
    approved = {
        row["cooperative_id"]: row
        for row in Rating.objects.filter(
            year=year,
            status=RatingStatus.APPROVED,
            **area_lookup(area, "cooperative__"),
        ).values("pk", "cooperative_id", "rank", "total", "reason", "reason_code")
    }
    rows = []
    for coop in coops:
        rating = approved.get(coop["pk"])
        rows.append(
            SummaryRow(
                cooperative_id=coop["pk"],
                name=coop["name"],
                sector=coop["sector"],
                column=rating["rank"] if rating else PENDING,
                rating_id=rating["pk"] if rating else None,
                total=rating["total"] if rating else None,
                reason=(rating["reason"] if rating else ""),
            )
        )
    return rows


def _reasons(
    rows: list[SummaryRow], codes: Mapping[int, str], founded: Mapping[int, int], year: int
) -> list[tuple[str, int]]:
    """Group the organisations not rated by reason phrase, most frequent first."""
    by_code: dict[str, list[SummaryRow]] = defaultdict(list)
    for row in rows:
        if row.column == Rank.CHUA_DANH_GIA:
            by_code[codes.get(row.cooperative_id, "")].append(row)
        elif row.column == PENDING:
            by_code[PENDING].append(row)
    phrases: dict[str, int] = defaultdict(int)
    for code, members in by_code.items():
        years = [founded[r.cooperative_id] for r in members if r.cooperative_id in founded]
        phrase = wording.reason_phrase(
            code, year=year, founded_years=years, reason_vi=members[0].reason
        )
        phrases[phrase] += len(members)
    return sorted(phrases.items(), key=lambda item: (-item[1], item[0]))


def rating_summary(*, area: AdminUnit | None, year: int) -> Summary:
    """The distribution of ranks by sector of `area` for `year`, with the sentence (three
    queries whatever the number of HTX)."""
    rows = _summary_rows(area, year)
    ids = [r.cooperative_id for r in rows]
    codes = dict(
        Rating.objects.filter(year=year, cooperative_id__in=ids).values_list(
            "cooperative_id", "reason_code"
        )
    )
    founded = {
        pk: (day.year if day else 0)
        for pk, day in Cooperative.objects.filter(pk__in=ids).values_list("pk", "founded_on")
    }
    sectors = []
    for sector in SECTORS:
        mine = [r for r in rows if r.sector == sector]
        counts = dict.fromkeys(SUMMARY_COLUMNS, 0)
        for row in mine:
            counts[row.column] = counts.get(row.column, 0) + 1
        reasons = _reasons(mine, codes, founded, year)
        sentence = wording.summary_sentence(sector=sector, counts=counts, not_rated=reasons)
        has_rules = logic.rules_applying(year, sector) is not None
        sectors.append(SectorSummary(sector, has_rules, counts, reasons, sentence))
    return Summary(area=area, year=year, sectors=sectors)


def rating_summary_rows(
    *, area: AdminUnit | None, year: int, sector: str = "", column: str = ""
) -> list[SummaryRow]:
    """The organisations behind one number of the summary (drill-down)."""
    rows = _summary_rows(area, year)
    return [
        r for r in rows if (not sector or r.sector == sector) and (not column or r.column == column)
    ]


def rating_summary_chart(summary: Summary) -> dict[str, Any]:
    """The chart spec (templates/components/chart.html) of a summary: a stacked bar per
    sector, one dataset per rank."""
    colours = {
        "tot": "#1b5e20",
        "kha": "#43a047",
        "trung_binh": "#f9a825",
        "yeu": "#c62828",
        Rank.CHUA_DANH_GIA: "#757575",
        PENDING: "#b0bec5",
    }
    labels = {code: str(label) for code, label in Rank.choices}
    labels[PENDING] = gettext("No approved rating yet")
    return {
        "type": "bar",
        "stacked": True,
        "horizontal": True,
        "labels": [s.label for s in summary.sectors],
        "datasets": [
            {
                "label": labels[column],
                "data": [s.counts[column] for s in summary.sectors],
                "color": colours[column],
            }
            for column in SUMMARY_COLUMNS
        ],
    }


# --- for other apps ---------------------------------------------------------------------------


def latest_rated_year(*, area: AdminUnit | None, until: int | None = None) -> int | None:
    """The latest year with approved ratings in `area` (up to `until`)."""
    qs = Rating.objects.filter(status=RatingStatus.APPROVED, **area_lookup(area, "cooperative__"))
    if until is not None:
        qs = qs.filter(year__lte=until)
    return qs.order_by("-year").values_list("year", flat=True).first()
