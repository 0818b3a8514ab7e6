"""The dashboard, indicator, drill-down and report pages: access for every actor, figures
rendered server-side, downloads."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from hoptac.areas.models import AdminUnit

DASHBOARD = reverse("indicators:dashboard")
APRIL = "2019-04-30"


def unit(era, code):
    return AdminUnit.objects.get(era=era, code=code)


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_province_officer_sees_the_plan_progress_167_of_200(client, demo, province_officer):
    client.force_login(province_officer)
    response = client.get(DASHBOARD, {"date": APRIL})
    assert response.status_code == 200
    html = response.content.decode()
    assert "167/200 = 83,5 %" in html
    assert 'data-testid="value-so_htx">167<' in html
    assert 'data-testid="value-so_htx_nong_nghiep">123<' in html
    assert 'id="chart-trend-data"' in html
    assert 'id="map-data"' in html
    assert 'data-testid="area-table"' in html
    assert "Huyện Chợ Mới" in html


def test_dashboard_defaults_to_the_officers_area(client, demo, district_officer):
    client.force_login(district_officer)
    response = client.get(DASHBOARD, {"date": APRIL})
    assert response.context["frame"].area.code == "064"


def test_an_area_outside_the_scope_is_404(client, demo, district_officer, current_officer):
    client.force_login(district_officer)
    assert client.get(DASHBOARD, {"area": unit("legacy", "065").pk}).status_code == 404
    client.force_login(current_officer)
    assert client.get(DASHBOARD, {"area": unit("legacy", "06").pk}).status_code == 404
    assert client.get(DASHBOARD, {"area": unit("2025", "19").pk, "date": APRIL}).status_code == 200


def test_the_administrator_sees_the_country(client, demo, admin):
    client.force_login(admin)
    response = client.get(DASHBOARD, {"date": APRIL})
    assert response.status_code == 200
    assert response.context["frame"].area is None


def test_a_coop_manager_has_no_dashboard(client, demo, make_user, luong_bang):
    client.force_login(make_user("mgr", "coop_manager", luong_bang))
    assert client.get(DASHBOARD).status_code == 404


@pytest.mark.parametrize("when", [APRIL, "2022-12-31", None])
def test_dashboard_reads_each_source_once(
    client, demo, province_officer, admin, when, django_assert_max_num_queries
):
    """One query (or two) per source and use, not per year nor per sub-area: 84 queries
    before the trend read its years together (the demo province at 30/04/2019), 32 after;
    the tally's checks (built and unmarked, data dated later in the year, the data years)
    add up to three; the menu's count of the user's ended jobs, one."""
    query = {"date": when} if when else {}
    client.force_login(province_officer)
    with django_assert_max_num_queries(40):
        assert client.get(DASHBOARD, query).status_code == 200
    client.force_login(admin)
    with django_assert_max_num_queries(26):
        assert client.get(DASHBOARD, query).status_code == 200


def test_dashboard_queries_do_not_grow_with_the_htx(client, demo, province_officer, settings):
    """The same number of queries with 40 more HTX in more communes and sub-sectors (the
    map's points included)."""
    from django.db import connection

    settings.HOPTAC_FRAGMENT_CACHE = False  # the computation's queries, each time
    from django.test.utils import CaptureQueriesContext

    from hoptac.indicators.tally import building
    from hoptac.registry.tests.factories import CooperativeFactory

    client.force_login(province_officer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD, {"date": APRIL}).status_code == 200
        return len(captured.captured_queries)

    before = count()
    communes = AdminUnit.objects.filter(era="legacy", level=3, path__startswith="legacy/06/")
    for index, commune in enumerate(communes.order_by("code")[:40]):
        CooperativeFactory(
            name=f"HTX Đếm truy vấn {index:02d}",
            tax_code=f"47980000{index:02d}",
            commune_legacy=commune,
            sector="phi_nong_nghiep" if index % 3 else "nong_nghiep",
            sub_sector="van_tai" if index % 3 else "chan_nuoi",
            founded_on=date(2010 + index % 9, 5, 1),
        )
    building.refresh()  # what their commit does (tally/marking.py)
    assert count() == before


def test_the_english_dashboard(client, demo, province_officer):
    client.force_login(province_officer)
    response = client.get("/en" + DASHBOARD, {"date": APRIL})
    assert response.status_code == 200
    assert "Headline figures" in response.content.decode()


def test_indicator_table_and_drill_down(client, demo, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("indicators:indicator_list"), {"date": APRIL})
    assert response.status_code == 200
    assert 'data-indicator="ty_le_htx_hieu_qua_tot"' in response.content.decode()
    drill = client.get(
        reverse("indicators:drilldown", args=["so_htx_phi_nong_nghiep"]), {"date": APRIL}
    )
    assert drill.status_code == 200
    assert drill.context["page"].paginator.count == 44
    assert client.get(reverse("indicators:drilldown", args=["nothing"])).status_code == 404


def test_a_long_drill_down_shows_an_estimate_on_postgresql(
    client, demo, province_officer, settings
):
    """The HTX behind a number are paged as the registry list is (core.paging): above
    HOPTAC_EXACT_COUNT_LIMIT, PostgreSQL's estimate; elsewhere always the exact count."""
    settings.HOPTAC_EXACT_COUNT_LIMIT = 10
    client.force_login(province_officer)
    drill = client.get(reverse("indicators:drilldown", args=["so_htx"]), {"date": APRIL})
    paginator = drill.context["page"].paginator
    html = drill.content.decode()
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert 'data-estimated="true"' in html
        assert "khoảng" in html
    else:
        assert not paginator.estimated
        assert paginator.count == 167
        assert 'data-estimated="true"' not in html
    assert len(drill.context["page"].object_list) == 50


def test_drill_down_outside_the_scope_is_404(client, demo, district_officer):
    client.force_login(district_officer)
    url = reverse("indicators:drilldown", args=["so_htx"])
    assert client.get(url, {"area": unit("legacy", "06").pk}).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "start"), [("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("txt", "Đến".encode())]
)
def test_report_downloads(client, demo, province_officer, fmt, start):
    client.force_login(province_officer)
    response = client.get(reverse("indicators:report"), {"date": APRIL, "format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    content = response.content
    assert content.startswith(start) if fmt != "txt" else start in content


def test_report_page_shows_the_seed_sentence(client, demo, province_officer):
    client.force_login(province_officer)
    response = client.get(reverse("indicators:report"), {"date": APRIL})
    assert "tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã" in response.content.decode()
    assert response.context["frame"].on == date(2019, 4, 30)


def test_map_points_of_a_box_in_the_users_area(client, demo, province_officer, district_officer):
    url = reverse("indicators:map_points")
    client.force_login(province_officer)
    everything = client.get(url, {"date": APRIL, "bbox": "-90,-180,90,180"}).json()
    assert len(everything["points"]) == 167
    assert everything["complete"]
    lat = sorted(p["lat"] for p in everything["points"])[80]
    south = client.get(url, {"date": APRIL, "bbox": f"-90,-180,{lat},180"}).json()["points"]
    assert {p["id"] for p in south} == {p["id"] for p in everything["points"] if p["lat"] <= lat}
    assert client.get(url, {"date": APRIL, "bbox": "north"}).status_code == 400
    client.force_login(district_officer)  # his own district only; the province is 404
    mine = client.get(url, {"date": APRIL, "bbox": "-90,-180,90,180"}).json()["points"]
    assert 0 < len(mine) < 167
    province = AdminUnit.objects.get(era="legacy", code="06")
    query = {"date": APRIL, "bbox": "-90,-180,90,180", "area": province.pk}
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 1234, -1234, 1234567, Decimal("98765"), Decimal("1234.5")])
def test_figures_are_written_as_floatformat_writes_them(language, value):
    """The dashboard's counts take a shortcut past floatformat (the page writes hundreds of
    them); it must write the same text."""
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from hoptac.indicators.templatetags.indicator_tags import figure

    with translation.override(language):
        assert figure(value) == str(floatformat(value, "0g"))


# The loops the Python-joined tables replaced (indicator_tags.area_rows, commune_rows,
# commune_items), to check the page's HTML did not change.
LOOPS = (Path(__file__).parent / "dashboard_loops.html").read_text().rstrip("\n")
TAGS = """{% load indicator_tags %}
{% area_rows by_area frame.on %}
{% commune_items map.no_htx %}
{% commune_items map.no_agricultural with_total=True %}
{% commune_rows map.communes %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_long_tables_are_written_as_the_template_loops_wrote_them(demo, language):
    from django.template import Context, Template
    from django.utils import translation

    from hoptac.indicators import selectors
    from hoptac.indicators.sources import Frame

    frame = Frame(
        area=AdminUnit.objects.get(era="legacy", level=1, code="06"), on=date(2019, 4, 30)
    )
    with translation.override(language):
        context = {
            "frame": frame,
            "by_area": selectors.breakdown_by_area(frame=frame),
            "map": selectors.map_data(frame=frame),
        }
        assert context["by_area"]
        assert context["map"]["communes"]
        assert context["map"]["no_htx"]
        loops = Template(LOOPS).render(Context(context))
        tags = Template(TAGS).render(Context(context))
    assert tags == loops


def test_the_report_file_of_a_large_area_is_written_by_a_job(
    client, demo, province_officer, district_officer, settings, django_capture_on_commit_callbacks
):
    from hoptac.jobs.choices import JobState
    from hoptac.jobs.models import Job

    settings.HOPTAC_REPORT_JOB_COOPERATIVES = 100  # Bắc Kạn has 167 HTX in the demo
    client.force_login(province_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("indicators:report"), {"date": APRIL, "format": "docx"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == JobState.SUCCEEDED, job.error
    assert bytes(job.file_content).startswith(b"PK")
    assert job.file_name.endswith(".docx")
    page = client.get(reverse("indicators:report"), {"date": APRIL})  # the page stays direct
    assert page.status_code == 200
    client.force_login(district_officer)  # a district of it: a small area, a direct file
    small = client.get(reverse("indicators:report"), {"date": APRIL, "format": "pdf"})
    assert small.status_code == 200
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
