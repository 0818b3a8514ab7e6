"""The dashboard, indicator, drill-down and report pages: access for every actor, figures
rendered server-side, downloads."""

from datetime import date

import pytest
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


def test_dashboard_query_count_is_flat(
    client, demo, province_officer, django_assert_max_num_queries
):
    client.force_login(province_officer)
    with django_assert_max_num_queries(90):
        client.get(DASHBOARD, {"date": APRIL})


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
