"""Demo ratings of Tỉnh Bắc Kạn for 2017–2019, built on the demo registry and reports.

Every rating is made as officers make it: the engine proposes (rating_propose_for_area), the
HTX's self-scores and the officer's verified scores are entered (rating_set_scores), the rules
give points and rank from the scores and the approved reports, and the officer approves and
publishes. Nothing is typed in as a rank.

- Agricultural HTX, 2017–2019: Thông tư 09/2017/TT-BNNPTNT (`rules_for`). Criterion 1 (38
  points) comes from each HTX's approved report (the data rules 1.1–1.5); criteria 2–6 (62
  points, split NOT_FOUND) are answered by the score sheets below. HTX with fewer than 12 months
  of activity in the year are "chưa đánh giá" by the rule file's exclusion.
- Huyện Chợ Mới, 2019 (seeds/000): of its 10 agricultural HTX, the 5 founded before 2019 get
  sheets aiming at 2 khá, 1 trung bình and 2 yếu (the two with the most points from their
  reports aim at khá, the two with the fewest at yếu); the 5 founded in 2019 are not rated. The
  load fails if the engine does not give exactly the seed's ranks.
- Elsewhere the sheets aim at a plausible provincial spread (Bắc Kạn, November 2019: "of 181
  HTX, 45 khá/giỏi (24.9%), 119 trung bình, 17 chưa hiệu quả": Cổng TTĐT tỉnh Bắc Kạn, "Năm
  2019 thành lập mới 37 hợp tác xã");
  the engine decides each rank.
- Non-agricultural HTX, 2017–2019: no rule file covers them before Thông tư 01/2020/TT-BKHĐT
  (evaluation years from 2020), so they are "chưa đánh giá" with that reason, approved as such.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from django.core.exceptions import ValidationError

from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit
from hoptac.ratings import selectors, services
from hoptac.ratings.choices import RatingStatus, RoundStatus
from hoptac.ratings.models import Rating, RatingRound
from hoptac.registry.choices import Sector

PROVINCE = "06"
CHO_MOI = "065"
YEARS = (2017, 2018, 2019)
PROVINCE_OFFICER = "tinh.backan"
DISTRICT_OFFICERS = {CHO_MOI: "huyen.chomoi", "064": "huyen.chodon"}
CHO_MOI_2019 = ("kha", "kha", "trung_binh", "yeu", "yeu")  # seeds/000, best reports first
SPREAD = {"tot": 4, "kha": 21, "trung_binh": 66, "yeu": 9}
AIM = {"tot": (81, 90), "kha": (66, 77), "trung_binh": (52, 62), "yeu": (34, 46)}
# The share of criteria 2–6's 62 points each answer gets at most (as the engine tests' full
# sheet: 2.1's maximum is 8; the others' are NOT_FOUND).
SHARES = {"2.1": 8, "2.x": 12, "3": 12, "4": 10, "5": 8, "6": 12}
NOTE = "Thẩm định theo hồ sơ minh chứng của HTX: điểm tự chấm chưa có minh chứng đầy đủ."


def load(
    out: TextIO, *, districts: Iterable[str] | None = None, years: Iterable[int] = YEARS
) -> None:
    """Rate, approve and publish; a second run changes nothing (published rounds are skipped).
    `districts` (codes) and `years` narrow the load (tests rate Chợ Mới 2019 alone)."""
    province = AdminUnit.objects.get(era="legacy", code=PROVINCE, level=1)
    years = tuple(years)
    units = AdminUnit.objects.filter(parent=province).order_by("code")
    if districts is not None:
        units = units.filter(code__in=list(districts))
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[PROVINCE_OFFICER, *DISTRICT_OFFICERS.values()])
    }
    done = 0
    for year in years:
        for district in units:
            if RatingRound.objects.filter(
                area=district, year=year, status=RoundStatus.PUBLISHED
            ).exists():
                continue
            officer = users.get(
                DISTRICT_OFFICERS.get(district.code, ""), users.get(PROVINCE_OFFICER)
            )
            done += _rate_district(district, year, officer)
    out.write(f"demo ratings: {done} ratings approved and published for {tuple(years)}\n")


def _rate_district(district: AdminUnit, year: int, officer: User | None) -> int:
    services.rating_propose_for_area(area=district, year=year, by=officer)
    ratings = list(
        Rating.objects.filter(
            year=year,
            status=RatingStatus.PROPOSED,
            **selectors.area_lookup(district, "cooperative__"),
        )
        .select_related("cooperative__commune_legacy", "cooperative__commune")
        .order_by("cooperative__tax_code")
    )
    scored = [r for r in ratings if r.rules_id and r.errors]
    aims = _aims(district, year, scored)
    for rating in scored:
        _answer(rating, aims[rating.pk], officer)
    services.rating_approve_all(area=district, year=year, by=officer)
    if district.code == CHO_MOI and year == 2019:
        _check_seed(district)
    try:
        services.rating_publish(area=district, year=year, by=officer)
    except ValidationError:  # nothing approved to publish
        return 0
    return len(ratings)


def _criterion_1(rating: Rating) -> Decimal:
    """The points the reports give (criterion 1 of TT09, data rules 1.1–1.5)."""
    sheet = selectors.rating_sheet(rating)
    return sum(
        (i.data_points or Decimal(0) for g in sheet.groups for c in g.criteria for i in c.items),
        Decimal(0),
    )


def _aims(district: AdminUnit, year: int, ratings: list[Rating]) -> dict[int, str]:
    """The rank each sheet aims at."""
    if district.code == CHO_MOI and year == 2019:
        agricultural = [r for r in ratings if r.cooperative.sector == Sector.AGRICULTURAL]
        ordered = sorted(agricultural, key=lambda r: (-_criterion_1(r), r.cooperative.tax_code))
        if len(ordered) != len(CHO_MOI_2019):
            raise ValueError(f"Chợ Mới 2019: {len(ordered)} HTX to rate, the seed has 5")
        return {r.pk: aim for r, aim in zip(ordered, CHO_MOI_2019, strict=True)}
    aims = {}
    for rating in ratings:
        rng = random.Random(f"{rating.cooperative.tax_code}-{year}-rank")  # noqa: S311
        aims[rating.pk] = rng.choices(list(SPREAD), weights=list(SPREAD.values()))[0]
    return aims


def _answer(rating: Rating, aim: str, officer: User | None) -> None:
    """Enter the HTX's self-scores and the officer's verified scores of the units the reports
    do not decide, so that the total lands in the band of `aim` when the reports allow it."""
    sheet = selectors.rating_sheet(rating)
    items = [i for g in sheet.groups for c in g.criteria for i in c.items]
    from_data = sum((i.data_points or Decimal(0) for i in items), Decimal(0))
    rng = random.Random(f"{rating.cooperative.tax_code}-{rating.year}-sheet")  # noqa: S311
    low, high = AIM[aim]
    total = Decimal(rng.randint(low, high))
    rest = min(max(total - from_data, Decimal(0)), Decimal(sum(SHARES.values())))
    verified = _spread(rest, [i.id for i in items if i.data_points is None and i.id in SHARES])
    for item in items:  # a data unit the reports cannot decide: scored 0
        if item.data_points is None and item.id not in SHARES:
            verified[item.id] = Decimal(0)
    self_scores = dict(verified)
    if aim == "yeu" and verified.get("3", Decimal(0)) + 2 <= SHARES["3"]:
        self_scores["3"] = verified["3"] + 2  # the HTX scored its capital higher than verified
    note = NOTE if self_scores != verified else ""
    services.rating_set_scores(
        rating=rating, by=officer, self_scores=self_scores, verified_scores=verified, note=note
    )


def _spread(points: Decimal, keys: list[str]) -> dict[str, Decimal]:
    """Whole points over `keys` in proportion to SHARES, each within its share."""
    weights = {key: SHARES[key] for key in keys}
    room = sum(weights.values())
    if not room:
        return {}
    points = min(points, Decimal(room))
    given = {key: Decimal(int(points * w / room)) for key, w in weights.items()}
    left = int(points - sum(given.values()))
    for key in sorted(weights, key=lambda k: -weights[k]):
        if left <= 0:
            break
        if given[key] < weights[key]:
            given[key] += 1
            left -= 1
    return given


def _check_seed(district: AdminUnit) -> None:
    """The engine must give the seed's ranks for Chợ Mới 2019."""
    ranks = sorted(
        Rating.objects.filter(
            year=2019, cooperative__district_legacy=district, cooperative__sector="nong_nghiep"
        ).values_list("rank", flat=True)
    )
    expected = sorted([*CHO_MOI_2019, *["chua_danh_gia"] * 5])
    if ranks != expected:
        raise ValueError(f"Chợ Mới 2019: the engine gave {ranks}, the seed says {expected}")
