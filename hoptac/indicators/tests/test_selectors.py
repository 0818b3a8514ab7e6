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
from hoptac.indicators.tally import reading as tally_reading
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
    assert f"area={cho_moi.unit.pk}" in cho_moi.results["so_htx"].drill_url  # its own list
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


@pytest.mark.parametrize("on", [APRIL_2019, date(2022, 12, 31), date(2023, 6, 30)])
@pytest.mark.parametrize("area", [("legacy", "06"), ("legacy", "064"), ("2025", "19"), None])
def test_the_trend_read_at_once_equals_each_year_read_alone(demo, area, on):
    """series reads the whole past years together (sources.fetch_years): the same figures as
    indicator_values at each 31 December, and at the date for its own year."""
    frame = Frame(area=unit(*area) if area else None, on=on)
    codes = ["so_htx", "so_htx_nong_nghiep", "so_thanh_vien", "so_htx_thanh_lap_moi",
             "ty_le_htx_hieu_qua_kha_tot", "doanh_thu_tong", "ty_le_htx_dung_luat",
             "ty_le_htx_tiep_can_ho_tro", "thu_nhap_binh_quan_ld",
             "so_htx_dang_hoat_dong"]  # fmt: skip
    years = selectors.trend_years(on)
    found = selectors.series(frame=frame, codes=codes, years=years)
    for index, year in enumerate(years):
        at = selectors.year_end(year, on)
        alone = selectors.indicator_values(
            frame=Frame(area=frame.area, on=at, year=year if at.month == 12 else None),
            codes=codes,
        )
        for code in codes:
            got = found[code][index][1]
            assert (got.numerator, got.denominator, got.value, got.year, got.no_data) == (
                alone[code].numerator,
                alone[code].denominator,
                alone[code].value,
                alone[code].year,
                alone[code].no_data,
            ), (code, year)
    assert found["so_htx"][-1][1].value > 0


@pytest.mark.parametrize("on", [date(2016, 12, 31), APRIL_2019, date(2022, 6, 30)])
def test_existing_without_the_status_is_the_same_set(demo, on):
    """existing_on without the status of the day (no dissolution up to it) selects the same
    organisations as the status of the day read from the history."""
    qs = Cooperative.objects.all()
    with_status = set(qs.existing_on(on, with_status=True).values_list("pk", flat=True))
    without = set(qs.existing_on(on).values_list("pk", flat=True))
    assert with_status == without
    ended = StatusChange.objects.filter(status__in=["da_giai_the", "da_pha_san"])
    assert ended.exists()


def test_a_dissolved_htx_leaves_the_trend_from_its_year(demo):
    from hoptac.registry import services

    bac_kan = unit("legacy", "06")
    coop = Cooperative.objects.filter(
        province_legacy=bac_kan, kind="hop_tac_xa", status="dang_hoat_dong"
    ).first()
    services.cooperative_change_status(
        cooperative=coop, status="dang_lam_thu_tuc_giai_the", effective_on=date(2023, 3, 1), by=None
    )
    services.cooperative_change_status(
        cooperative=coop, status="da_giai_the", effective_on=date(2023, 9, 1), by=None
    )
    frame = Frame(area=bac_kan, on=date(2024, 12, 31))
    trend = dict(
        selectors.series(frame=frame, codes=["so_htx"], years=[2022, 2023, 2024])["so_htx"]
    )
    assert trend[2022].value - trend[2023].value == 1
    assert trend[2023].value == trend[2024].value
    assert trend[2023].value == values(bac_kan, on=date(2023, 12, 31))["so_htx"].value


def test_shared_reads_read_a_source_once(demo, django_assert_num_queries):
    """Within shared_reads a source read with some keys serves any indicator reading fewer;
    more keys (the status of the day) read again; outside, every call reads. (The live
    tables; the tally's own reads are in test_tally.py.)"""
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    with tally_reading.live_only():
        with selectors.shared_reads():
            with django_assert_num_queries(1):
                first = selectors.indicator_values(frame=frame, codes=["so_htx_nong_nghiep"])
            with django_assert_num_queries(0):
                again = selectors.indicator_values(
                    frame=frame, codes=["so_htx", "so_htx_nong_nghiep"]
                )
            with django_assert_num_queries(1):
                active = selectors.indicator_values(frame=frame, codes=["so_htx_dang_hoat_dong"])
        assert first["so_htx_nong_nghiep"].value == again["so_htx_nong_nghiep"].value == 123
        assert again["so_htx"].value == 167 >= active["so_htx_dang_hoat_dong"].value
        with django_assert_num_queries(1):
            selectors.indicator_values(frame=frame, codes=["so_htx"])  # outside: read again


def test_the_dashboard_prefetch_gives_the_same_breakdowns(demo):
    """The registry and ratings read once grouped by sub-area, sub-sector and commune give
    the breakdowns and map counts that reading them one by one gives."""
    from hoptac.indicators import dashboard

    for area, on in ((unit("legacy", "06"), APRIL_2019), (unit("2025", "19"), date(2025, 12, 31)),
                     (None, date(2022, 12, 31))):  # fmt: skip
        frame = Frame(area=area, on=on)
        alone = (
            selectors.indicator_values(frame=frame, codes=selectors.HEADLINE),
            selectors.breakdown_by_area(frame=frame),
            selectors.breakdown_by_sector(frame=frame),
            selectors.map_data(frame=frame),
        )
        with selectors.shared_reads():
            dashboard.prefetch(frame)
            together = (
                selectors.indicator_values(frame=frame, codes=selectors.HEADLINE),
                selectors.breakdown_by_area(frame=frame),
                selectors.breakdown_by_sector(frame=frame),
                selectors.map_data(frame=frame),
            )
        assert _figures(alone[0].values()) == _figures(together[0].values())
        for mine, theirs in zip(alone[1:3], together[1:3], strict=True):
            assert [(r.key, _figures(r.results.values())) for r in mine] == [
                (r.key, _figures(r.results.values())) for r in theirs
            ]
        assert [(c.unit.pk, c.total, c.agricultural) for c in alone[3]["communes"]] == [
            (c.unit.pk, c.total, c.agricultural) for c in together[3]["communes"]
        ]
        assert alone[3]["total"] == together[3]["total"]
    assert alone[0]["so_htx"].value > 0


def _figures(results):
    return [(r.code, r.numerator, r.denominator, r.value, r.year) for r in results]


def test_above_the_point_limit_the_map_gives_counts_only(demo, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_POINT_LIMIT", 100)
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    data = selectors.map_data(frame=frame)
    assert data["total"] == 167
    assert data["points"] == []
    assert not data["points_shown"]
    assert sum(c.total for c in data["communes"]) == 167
    from hoptac.indicators import dashboard

    url = dashboard.map_spec(frame, data)["points_url"]
    assert url.startswith("/chi-tieu/ban-do/diem/?")
    assert "date=2019-04-30" in url
    shown = selectors.map_data(frame=Frame(area=unit("legacy", "065"), on=APRIL_2019))
    assert shown["points_shown"]
    assert dashboard.map_spec(frame, shown)["points_url"] == ""


def test_map_points_in_a_box(demo):
    frame = Frame(area=unit("legacy", "06"), on=APRIL_2019)
    every = selectors.map_points(frame=frame, limit=1000)
    assert len(every) == 167
    lat = sorted(p["lat"] for p in every)[len(every) // 2]
    south = [p for p in every if p["lat"] <= lat]
    box = selectors.map_points(frame=frame, bbox=(-90, -180, lat, 180), limit=1000)
    assert {p["id"] for p in box} == {p["id"] for p in south}
    assert len(selectors.map_points(frame=frame, limit=10)) == 10
