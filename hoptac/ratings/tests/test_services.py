"""The ratings services: propose, scores, override, approve, publish, re-propose."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.accounts import access
from hoptac.ratings import selectors, services
from hoptac.ratings.models import Rating, RatingRound
from hoptac.ratings.tests.conftest import CRITERION_1, SHEET
from hoptac.reports import hooks as report_hooks
from hoptac.reports import services as report_services
from hoptac.reports.models import AnnualReport
from hoptac.support.models import RemediationCase

pytestmark = pytest.mark.django_db


def _propose(area, by, year=2019):
    return services.rating_propose_for_area(area=area, year=year, by=by)


def _rating(coop, year=2019):
    return Rating.objects.select_related("cooperative").get(cooperative=coop, year=year)


def _complete(rating, by, sheet=None, **kw):
    """The officer enters the whole sheet of criteria 2–6 as verified (= self) scores."""
    sheet = sheet or SHEET
    return services.rating_set_scores(
        rating=rating, by=by, self_scores=sheet, verified_scores=sheet, **kw
    )


# --- propose -------------------------------------------------------------------------------


def test_propose_rates_every_htx_of_the_area(
    district_officer, cho_don, coop, new_coop, trade_coop, far_coop
):
    round_ = _propose(cho_don, district_officer)
    ratings = {r.cooperative_id: r for r in Rating.objects.filter(year=2019)}
    assert set(ratings) == {coop.pk, new_coop.pk, trade_coop.pk}  # not the HTX of Ba Bể
    rated = ratings[coop.pk]
    assert rated.rules_id == "tt09-2017"
    assert rated.points == {"1": str(CRITERION_1)}  # the reports decide criterion 1
    assert rated.rank == ""
    assert rated.total is None
    assert any("Thiếu điểm '2.1'" in e for e in rated.errors)
    assert rated.report.year == 2019
    assert rated.report_version == 1
    assert rated.previous_report.year == 2018
    assert (ratings[new_coop.pk].rank, ratings[new_coop.pk].reason_code) == (
        "chua_danh_gia",
        "moi_thanh_lap",
    )
    assert (ratings[trade_coop.pk].rank, ratings[trade_coop.pk].reason_code) == (
        "chua_danh_gia",
        "khong_co_quy_dinh",
    )
    assert "Thông tư 01/2020/TT-BKHĐT" in ratings[trade_coop.pk].reason
    assert round_.rules_ids == ["tt09-2017"]
    assert round_.status == "proposed"
    assert rated.history.first().history_user == district_officer


def test_propose_again_leaves_approved_fresh_ratings(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    services.rating_approve(rating=rating, by=district_officer)
    records = rating.history.count()
    _propose(cho_don, district_officer)
    rating.refresh_from_db()
    assert rating.status == "approved"
    assert rating.history.count() == records


def test_officer_outside_the_area_may_not_propose(outsider, cho_don, coop):
    with pytest.raises(PermissionDenied):
        _propose(cho_don, outsider)


def test_manager_may_not_propose(manager, cho_don):
    with pytest.raises(PermissionDenied):
        _propose(cho_don, manager)


# --- scores ------------------------------------------------------------------------------


def test_self_scores_and_reports_give_the_rank(district_officer, manager, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = services.rating_set_scores(rating=_rating(coop), by=manager, self_scores=SHEET)
    assert rating.total == CRITERION_1 + 50  # 74
    assert (rating.engine_rank, rating.rank) == ("kha", "kha")
    assert rating.errors == []
    assert rating.self_scores["2.x"] == "10"
    assert rating.history.first().history_user == manager


def test_verified_equal_to_self_needs_no_note(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    assert rating.verified_scores == {k: str(v) for k, v in SHEET.items()}
    assert rating.override_note == ""


def test_verified_score_that_changes_the_self_score_needs_a_note(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = services.rating_set_scores(
        rating=_rating(coop), by=district_officer, self_scores=SHEET
    )
    with pytest.raises(ValidationError) as error:
        services.rating_set_scores(rating=rating, by=district_officer, verified_scores={"3": 4})
    assert "ghi lý do" in error.value.message_dict["3"][0]
    rating.refresh_from_db()
    assert rating.verified_scores == {}  # nothing saved
    rating = services.rating_set_scores(
        rating=rating, by=district_officer, verified_scores={"3": 4}, note="Vốn chưa có minh chứng"
    )
    assert rating.total == CRITERION_1 + 44  # 68
    assert rating.rank == "kha"
    assert "Vốn chưa có minh chứng" in rating.override_note
    assert "(3)" in rating.override_note
    assert "Hoàng Văn An" in rating.override_note


def test_verified_score_against_the_reports_needs_a_note(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    with pytest.raises(ValidationError) as error:
        services.rating_set_scores(rating=rating, by=district_officer, verified_scores={"1.1": 8})
    assert "theo số liệu báo cáo (4)" in error.value.message_dict["1.1"][0]


def test_score_above_the_maximum_is_refused_with_the_criterion(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    with pytest.raises(ValidationError) as error:
        services.rating_set_scores(
            rating=_rating(coop), by=district_officer, self_scores={"2.1": 9, "9.9": 1}
        )
    messages = error.value.message_dict
    assert "phải từ 0 đến 8" in messages["2.1"][0]
    assert "Không có tiêu chí mã '9.9'" in messages["9.9"][0]


def test_an_empty_score_removes_it(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    rating = services.rating_set_scores(
        rating=rating, by=district_officer, self_scores={"6": None}, verified_scores={"6": ""}
    )
    assert "6" not in rating.verified_scores
    assert rating.rank == ""
    assert any("Thiếu điểm '6'" in e for e in rating.errors)


def test_manager_may_not_verify_or_approve(district_officer, manager, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = services.rating_set_scores(rating=_rating(coop), by=manager, self_scores=SHEET)
    with pytest.raises(PermissionDenied):
        services.rating_set_scores(rating=rating, by=manager, verified_scores={"3": 1})
    with pytest.raises(PermissionDenied):
        services.rating_set_scores(rating=rating, by=manager, sanctioned=True)
    with pytest.raises(PermissionDenied):
        services.rating_approve(rating=rating, by=manager)
    with pytest.raises(PermissionDenied):
        services.rating_override(rating=rating, by=manager, rank="tot", note="x")


def test_manager_of_another_htx_may_not_self_score(
    district_officer, make_user, luong_bang, cho_don, coop, new_coop
):
    other = make_user("htx.khac", "coop_manager", luong_bang)
    new_coop.managers.add(other)
    _propose(cho_don, district_officer)
    with pytest.raises(PermissionDenied):
        services.rating_set_scores(rating=_rating(coop), by=other, self_scores=SHEET)


def test_officer_of_another_commune_may_not_score(district_officer, outsider, cho_don, coop):
    _propose(cho_don, district_officer)
    with pytest.raises(PermissionDenied):
        services.rating_set_scores(rating=_rating(coop), by=outsider, self_scores=SHEET)
    with pytest.raises(PermissionDenied):
        services.rating_approve(rating=_rating(coop), by=outsider)


def test_sanction_makes_the_htx_weak(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer, sanctioned=True)
    assert rating.total == 74
    assert (rating.rank, rating.reason_code) == ("yeu", "xu_phat_hanh_chinh")


# --- override ------------------------------------------------------------------------------


def test_rank_override_needs_a_note_and_keeps_the_rules_rank(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    with pytest.raises(ValidationError):
        services.rating_override(rating=rating, by=district_officer, rank="trung_binh", note=" ")
    rating = services.rating_override(
        rating=rating, by=district_officer, rank="trung_binh", note="Nợ đọng kéo dài"
    )
    assert (rating.rank, rating.engine_rank, rating.override_rank) == (
        "trung_binh",
        "kha",
        "trung_binh",
    )
    assert "Nợ đọng kéo dài" in rating.override_note
    rating = services.rating_override(rating=rating, by=district_officer, rank="", note="Bỏ")
    assert (rating.rank, rating.override_rank) == ("kha", "")


def test_override_of_a_score_with_a_note(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    rating = services.rating_override(
        rating=rating, by=district_officer, verified_scores={"5": 0}, note="Không có khen thưởng"
    )
    assert rating.total == 68
    assert rating.verified_scores["5"] == "0"


def test_rank_cannot_be_set_on_an_incomplete_rating(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    with pytest.raises(ValidationError) as error:
        services.rating_override(rating=_rating(coop), by=district_officer, rank="tot", note="x")
    assert "rank" in error.value.message_dict


# --- approve, publish ------------------------------------------------------------------------


def test_incomplete_rating_cannot_be_approved(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    with pytest.raises(ValidationError):
        services.rating_approve(rating=_rating(coop), by=district_officer)


def test_approved_rating_is_locked(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    rating = _complete(_rating(coop), district_officer)
    approval = services.rating_approve(rating=rating, by=district_officer)
    assert approval.rating.status == "approved"
    assert approval.rating.approved_by == district_officer
    assert approval.remediation is None
    with pytest.raises(ValidationError):
        services.rating_set_scores(rating=rating, by=district_officer, self_scores={"3": 1})


def test_approving_a_weak_rating_opens_a_remediation_case(district_officer, cho_don, coop):
    _propose(cho_don, district_officer)
    low = {"2.1": 2, "2.x": 2, "3": 2, "4": 2, "5": 2, "6": 2}  # 24 + 12 = 36: yếu
    rating = _complete(_rating(coop), district_officer, sheet=low)
    assert rating.rank == "yeu"
    approval = services.rating_approve(rating=rating, by=district_officer)
    assert approval.remediation_available
    case = RemediationCase.objects.get(cooperative=coop, year=2019)
    assert approval.remediation == case


def test_publish_and_round_status(district_officer, cho_don, coop, new_coop, trade_coop):
    _propose(cho_don, district_officer)
    with pytest.raises(ValidationError):  # nothing approved yet
        services.rating_publish(area=cho_don, year=2019, by=district_officer)
    _complete(_rating(coop), district_officer)
    assert services.rating_approve_all(area=cho_don, year=2019, by=district_officer) == 3
    round_ = RatingRound.objects.get(area=cho_don, year=2019)
    assert round_.status == "approved"
    assert services.rating_publish(area=cho_don, year=2019, by=district_officer) == 3
    round_.refresh_from_db()
    assert round_.status == "published"
    assert set(Rating.objects.values_list("published", flat=True)) == {True}


def test_approve_all_leaves_incomplete_ratings(district_officer, cho_don, coop, new_coop):
    _propose(cho_don, district_officer)
    assert services.rating_approve_all(area=cho_don, year=2019, by=district_officer) == 1
    assert _rating(coop).status == "proposed"
    assert RatingRound.objects.get(area=cho_don, year=2019).status == "proposed"


def test_outsider_may_not_publish(outsider, cho_don):
    with pytest.raises(PermissionDenied):
        services.rating_publish(area=cho_don, year=2019, by=outsider)


# --- re-proposal when a report changes --------------------------------------------------------


def _correct_2019(coop, **values):
    """Correct the approved 2019 report: a new version with `values`, approved."""
    report = AnnualReport.objects.get(cooperative=coop, year=2019, is_current=True)
    draft = report_services.report_correct(report=report, by=access.SYSTEM)
    if values:
        draft = report_services.report_update(
            report=draft, by=access.SYSTEM, revision=draft.revision, **values
        )
    draft = report_services.report_submit(report=draft, by=access.SYSTEM)
    return report_services.report_approve(report=draft, by=access.SYSTEM)


def _current_2019(coop):
    return AnnualReport.objects.get(cooperative=coop, year=2019, is_current=True)


def _approved(coop, officer, cho_don):
    _propose(cho_don, officer)
    rating = _complete(_rating(coop), officer)
    services.rating_approve(rating=rating, by=officer)
    services.rating_publish(area=cho_don, year=2019, by=officer)
    return _rating(coop)


def test_approving_a_corrected_report_reproposes_the_rating_at_once(
    district_officer, cho_don, coop
):
    """The reports app's signal re-rates at once: no stale rating is left to find."""
    rating = _approved(coop, district_officer, cho_don)
    assert selectors.stale_ids([rating]) == set()
    # Revenue 1,6 tỷ of 2,2 planned: 1.1 falls from 4 to 0 points.
    _correct_2019(coop, revenue=Decimal(1_600_000_000))
    rating.refresh_from_db()
    assert rating.report_version == 2
    assert rating.points["1"] == "20"
    assert rating.total == 70
    assert rating.status == "proposed"
    assert not rating.published
    assert selectors.stale_ids([rating]) == set()
    assert "74 → 70" in rating.history.first().history_change_reason
    assert RatingRound.objects.get(area=cho_don, year=2019).status == "proposed"
    assert services.rating_report_approved(report=_current_2019(coop)) == 0


def test_a_report_changed_without_the_hook_is_found_stale_and_reproposed(
    district_officer, cho_don, coop, monkeypatch
):
    """Reports written by other ways than report_approve (the hook not called) are found when
    the ratings are read, and re-proposing the area re-rates them."""
    rating = _approved(coop, district_officer, cho_don)
    monkeypatch.setattr(report_hooks, "_handlers", {})
    _correct_2019(coop, revenue=Decimal(1_600_000_000))
    monkeypatch.undo()
    rating.refresh_from_db()
    assert (rating.report_version, rating.status) == (1, "approved")
    assert selectors.stale_ids([rating]) == {rating.pk}
    _propose(cho_don, district_officer)
    rating.refresh_from_db()
    assert (rating.report_version, rating.total, rating.status) == (2, 70, "proposed")
    assert selectors.stale_ids([rating]) == set()


def test_the_reports_hook_reproposes_at_once(district_officer, cho_don, coop, monkeypatch):
    rating = _approved(coop, district_officer, cho_don)
    monkeypatch.setattr(report_hooks, "_handlers", {})
    report = _correct_2019(coop, revenue=Decimal(1_600_000_000))
    monkeypatch.undo()
    assert services.rating_report_approved(report=report) == 1
    rating.refresh_from_db()
    assert (rating.status, rating.total) == ("proposed", 70)


def test_manager_starts_his_rating_before_the_area_is_proposed(manager, coop):
    rating = services.rating_start(cooperative=coop, year=2019, by=manager)
    assert rating.round is None
    assert rating.points == {"1": "24"}
    assert services.rating_start(cooperative=coop, year=2019, by=manager) == rating


def test_manager_may_not_start_another_htx(manager, far_coop):
    with pytest.raises(PermissionDenied):
        services.rating_start(cooperative=far_coop, year=2019, by=manager)
