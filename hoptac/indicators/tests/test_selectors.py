"""Indicators computed from the demo data (hoptac's demo loaders: Bắc Kạn, 30/04/2019)."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404

from hoptac.areas.models import AdminUnit
from hoptac.indicators import selectors
from hoptac.indicators.sources import Frame
from hoptac.registry.models import Cooperative, StatusChange

APRIL_2019 = date(2019, 4, 30)


def unit(era, code):
    return AdminUnit.objects.get(era=era, code=code)


def values(area, on=APRIL_2019, **kwargs):
    return selectors.indicator_values(frame=Frame(area=area, on=on, **kwargs))


def test_bac_kan_at_end_of_april_2019_has_167_123_44(demo):
    result = values(unit("legacy", "06"))
    assert result["so_htx"].value == 167
    assert result["so_htx_nong_nghiep"].value == 123
    assert result["so_htx_phi_nong_nghiep"].value == 44
    assert result["so_htx_dang_hoat_dong"].value == 167


def test_the_indicators_command_prints_167_123_44_as_json(demo):
    out = StringIO()
    call_command(
        "indicators", "--area", "06", "--date", "2019-04-30", "--format", "json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload["area"] == {"code": "06", "era": "legacy", "name": "Tỉnh Bắc Kạn"}
    figures = payload["indicators"]
    assert figures["so_htx"]["value"] == 167
    assert figures["so_htx_nong_nghiep"]["value"] == 123
    assert figures["so_htx_phi_nong_nghiep"]["value"] == 44
    assert figures["so_htx"]["drill_down"].startswith("/chi-tieu/chi-so/so_htx/?")
    share = figures["ty_le_htx_chuoi_gia_tri"]
    assert share["value"] == pytest.approx(
        100 * share["numerator"] / share["denominator"], abs=0.01
    )


def test_the_command_refuses_an_unknown_area_or_date(demo):
    with pytest.raises(CommandError, match="--area"):
        call_command("indicators", "--area", "99999", stdout=StringIO())
    with pytest.raises(CommandError, match="--date"):
        call_command("indicators", "--area", "06", "--date", "30/04/2019", stdout=StringIO())


def test_the_same_counts_in_the_2025_tree(demo):
    """Bắc Kạn's HTX are all in Tỉnh Thái Nguyên of the 2025 tree (province 19)."""
    assert values(unit("2025", "19"))["so_htx"].value == 167


def test_a_code_of_both_trees_follows_the_date_unless_named(db):
    assert selectors.resolve_area_code("19", date(2019, 4, 30)).era == "legacy"
    assert selectors.resolve_area_code("19", date(2025, 7, 1)).era == "2025"
    assert selectors.resolve_area_code("2025:19", date(2019, 4, 30)).era == "2025"
    assert selectors.resolve_area_code("legacy:19", date(2026, 1, 1)).era == "legacy"
    assert selectors.resolve_area_code("065", date(2026, 1, 1)).name == "Huyện Chợ Mới"


@pytest.mark.django_db
def test_a_code_of_no_tree_is_refused():
    with pytest.raises(AdminUnit.DoesNotExist):
        selectors.resolve_area_code("legacy:99", APRIL_2019)


def test_cho_moi_has_15_htx_10_agricultural(demo):
    result = values(unit("legacy", "065"), on=date(2019, 12, 31))
    assert (result["so_htx"].value, result["so_htx_nong_nghiep"].value) == (15, 10)


def test_counts_follow_the_status_history(demo):
    """The demo dissolves 4 HTX in 2022 (after a resolution in 2021)."""
    bac_kan = unit("legacy", "06")
    assert values(bac_kan, on=date(2022, 12, 31))["so_htx"].value == 163
    assert values(bac_kan, on=date(2022, 12, 31))["so_htx_giai_the"].value == 4
    assert values(bac_kan, on=date(2021, 12, 31))["so_htx_giai_the"].value == 0


def test_founded_counts_the_year_to_the_date(demo):
    result = values(unit("legacy", "06"))
    founded = Cooperative.objects.filter(
        founded_on__gte=date(2019, 1, 1), founded_on__lte=APRIL_2019
    ).count()
    assert result["so_htx_thanh_lap_moi"].value == founded > 0
    assert (result["so_htx_thanh_lap_moi"].start, result["so_htx_thanh_lap_moi"].end) == (
        date(2019, 1, 1),
        APRIL_2019,
    )


def test_members_and_workers_sum_the_registry(demo):
    result = values(unit("legacy", "06"))
    coops = Cooperative.objects.filter(province_legacy__code="06")
    assert result["so_thanh_vien"].value == sum(c.members_count or 0 for c in coops)
    assert result["so_lao_dong_thuong_xuyen"].value == sum(c.workers_count or 0 for c in coops)


def test_yearly_sources_use_the_last_complete_year(demo):
    """On 30/04/2019 the reports of 2019 cannot be complete: the figures are those of 2018."""
    result = values(unit("legacy", "06"))
    assert result["doanh_thu_binh_quan"].year == 2018
    assert not result["doanh_thu_binh_quan"].no_data
    explicit = values(unit("legacy", "06"), year=2017)
    assert explicit["doanh_thu_binh_quan"].year == 2017


def test_an_average_is_total_over_count(demo):
    result = values(unit("legacy", "06"))
    total, average = result["doanh_thu_tong"], result["doanh_thu_binh_quan"]
    assert average.numerator == total.value
    assert average.value == (total.value / average.denominator).quantize(Decimal("0.01"))


def test_every_figure_has_its_drill_down_list_of_the_same_size(demo):
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    for code in ("so_htx", "so_htx_nong_nghiep", "so_htx_thanh_lap_moi", "ty_le_htx_chuoi_gia_tri",
                 "ty_le_htx_dung_luat", "ty_le_htx_tiep_can_ho_tro"):  # fmt: skip
        result, cooperatives = selectors.drilldown(frame=frame, code=code)
        assert cooperatives.count() == result.numerator, code
        if result.denominator is not None:
            _same, denominator = selectors.drilldown(frame=frame, code=code, part="denominator")
            assert denominator.count() == result.denominator, code


def test_the_drill_down_of_dissolved_lists_them(demo):
    frame = Frame(area=unit("legacy", "06"), on=date(2022, 12, 31))
    _result, cooperatives = selectors.drilldown(frame=frame, code="so_htx_giai_the")
    ended = StatusChange.objects.filter(status="da_giai_the").values("cooperative")
    assert set(cooperatives.values_list("pk", flat=True)) == set(
        Cooperative.objects.filter(pk__in=ended).values_list("pk", flat=True)
    )


def test_breakdown_by_district_adds_up_to_the_province(demo):
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    rows = selectors.breakdown_by_area(frame=frame)
    assert len(rows) == 8
    assert sum(r.results["so_htx"].value for r in rows) == 167
    cho_moi = next(r for r in rows if r.unit.code == "065")
    assert cho_moi.results["so_htx"].value == 15
    by_sector = selectors.breakdown_by_sector(frame=frame)
    assert sum(r.results["so_htx"].value for r in by_sector) == 167


def test_queries_do_not_grow_with_the_number_of_htx(demo, django_assert_max_num_queries):
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    with django_assert_max_num_queries(10):
        selectors.indicator_values(frame=frame)
    with django_assert_max_num_queries(10):
        selectors.breakdown_by_area(frame=frame)


def test_map_counts_communes_and_lists_the_gaps(demo):
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    data = selectors.map_data(frame=frame)
    assert data["total"] == 167
    assert len(data["points"]) == 167
    communes = AdminUnit.objects.filter(era="legacy", level=3, path__startswith="legacy/06/")
    assert len(data["communes"]) == communes.count()
    assert sum(c.total for c in data["communes"]) == 167
    assert data["no_htx"]
    assert all(c.total == 0 for c in data["no_htx"])
    assert all(c.total and not c.agricultural for c in data["no_agricultural"])


def test_an_officer_gets_his_area_and_404_outside_it(demo, district_officer, current_officer):
    assert selectors.area_for_user(district_officer, None).code == "064"
    with pytest.raises(Http404):
        selectors.area_for_user(district_officer, unit("legacy", "065"))
    with pytest.raises(Http404):
        selectors.area_for_user(current_officer, unit("legacy", "06"))
    assert selectors.area_for_user(current_officer, unit("2025", "19")).code == "19"


def test_only_the_administrator_sees_the_country(demo, admin, province_officer):
    assert selectors.area_for_user(admin, None) is None
    country = selectors.indicator_values(frame=Frame(area=None, on=APRIL_2019), codes=["so_htx"])
    assert country["so_htx"].value == Cooperative.objects.filter(kind="hop_tac_xa").count()
    assert selectors.area_for_user(province_officer, None).code == "06"
