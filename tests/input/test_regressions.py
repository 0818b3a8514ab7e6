"""Regression tests of issue #12, defect 4: out-of-range input in a URL or a query string
answered 500. Each now answers 404 (a path segment) or a form error in Vietnamese that names
the field (a filter form's value)."""

from datetime import date

import pytest
from django.utils import timezone

from hoptac.accounts.models import AuditEntry
from hoptac.plans.tests.factories import district_plan
from hoptac.ratings.models import Rating, RatingRound
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

LONG_NUMBER = "1" * 25


@pytest.fixture
def cooperative(db):
    return CooperativeFactory(name="HTX Chè Mỹ Phương")


@pytest.fixture
def plan(cho_don):
    return district_plan(cho_don)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_dashboard_date_far_away_is_a_form_error(client, admin, value):
    client.force_login(admin)
    response = client.get("/chi-tieu/", {"date": value})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "Số liệu đến ngày: hãy nhập một ngày từ 01/01/1900 đến 31/12/2100."
    ]
    assert response.context["frame"].on == timezone.localdate()  # the figures of today


@pytest.mark.parametrize("value", ["2019-02-30", "2019-13-01", "hôm qua"])
def test_dashboard_date_that_does_not_exist_is_a_form_error(client, admin, value):
    client.force_login(admin)
    response = client.get("/chi-tieu/", {"date": value})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        f"Số liệu đến ngày: “{value}” không phải là ngày: hãy ghi theo dạng ngày/tháng/năm "
        "(dd/mm/yyyy)."
    ]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "2019-02-30",
            "Tiến độ đến ngày: “2019-02-30” không phải là ngày: hãy ghi theo dạng "
            "ngày/tháng/năm (dd/mm/yyyy).",
        ),
        (
            "2019-13-01",
            "Tiến độ đến ngày: “2019-13-01” không phải là ngày: hãy ghi theo dạng "
            "ngày/tháng/năm (dd/mm/yyyy).",
        ),
        ("0001-01-01", "Tiến độ đến ngày: hãy nhập một ngày từ 01/01/1900 đến 31/12/2100."),
        ("9999-12-31", "Tiến độ đến ngày: hãy nhập một ngày từ 01/01/1900 đến 31/12/2100."),
    ],
)
def test_plan_progress_date_out_of_range_is_a_form_error(
    client, district_officer, plan, value, error
):
    client.force_login(district_officer)
    response = client.get(f"/ke-hoach/{plan.pk}/", {"date": value})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [error]
    assert response.context["frame"].on == date(2020, 12, 31)  # the end of the plan's period
    assert error in response.content.decode()


def test_plan_progress_on_a_valid_date(client, district_officer, plan):
    client.force_login(district_officer)
    response = client.get(f"/ke-hoach/{plan.pk}/", {"date": "2019-06-30"})
    assert response.context["frame"].on == date(2019, 6, 30)
    assert not response.context["form"].errors


@pytest.mark.parametrize("year", ["0", "1899", "2101", "9999", LONG_NUMBER])
def test_area_ratings_of_a_year_out_of_range_is_404(client, district_officer, cho_don, year):
    client.force_login(district_officer)
    assert client.get(f"/xep-loai/khu-vuc/{cho_don.pk}/{year}/").status_code == 404
    assert client.get(f"/xep-loai/khu-vuc/{cho_don.pk}/{year}/tong-hop/").status_code == 404


@pytest.mark.parametrize("year", ["1900", "2100"])
def test_area_ratings_at_the_ends_of_the_range(client, district_officer, cho_don, year):
    client.force_login(district_officer)
    assert client.get(f"/xep-loai/khu-vuc/{cho_don.pk}/{year}/").status_code == 200
    assert client.get(f"/xep-loai/khu-vuc/{cho_don.pk}/{year}/tong-hop/").status_code == 200


def test_reminder_letter_of_year_9999_is_404(client, district_officer, cooperative):
    client.force_login(district_officer)
    assert client.get(f"/bao-cao/thu-nhac/{cooperative.pk}/9999/").status_code == 404


def test_reminder_letter_of_the_last_year_in_range(client, district_officer, cooperative):
    client.force_login(district_officer)
    response = client.get(f"/bao-cao/thu-nhac/{cooperative.pk}/2100/")
    assert response.status_code == 200
    assert "15/01/2101" in response.content.decode()  # the deadline, in the following year


@pytest.mark.parametrize("year", ["0", "99999", LONG_NUMBER])
def test_rating_start_of_a_year_out_of_range_is_404(client, commune_officer, cooperative, year):
    client.force_login(commune_officer)
    assert client.post(f"/xep-loai/htx/{cooperative.pk}/{year}/").status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.parametrize("year", ["0", "99999", LONG_NUMBER])
def test_area_propose_of_a_year_out_of_range_is_404(client, district_officer, cho_don, year):
    client.force_login(district_officer)
    assert client.post(f"/xep-loai/khu-vuc/{cho_don.pk}/{year}/de-xuat/").status_code == 404
    assert not RatingRound.objects.exists()


@pytest.mark.parametrize("pk", ["0", LONG_NUMBER, "9223372036854775808"])
def test_an_id_out_of_range_is_404(client, admin, cooperative, pk):
    client.force_login(admin)
    assert client.get(f"/htx/{pk}/").status_code == 404
    assert client.get(f"/bao-cao/thu-nhac/{pk}/2019/").status_code == 404
    assert client.get(f"/xep-loai/khu-vuc/{pk}/2019/").status_code == 404


def test_the_largest_id_is_a_missing_object(client, admin):
    client.force_login(admin)
    assert client.get("/htx/9223372036854775807/").status_code == 404


@pytest.mark.parametrize("value", ["\x00", "a\x00b"])
def test_an_export_filtered_by_a_nul_character_is_served_and_recorded(client, admin, value):
    """The audit log stored the export's query with the NUL, which PostgreSQL refuses in JSON
    (found by the fuzz test on PostgreSQL)."""
    client.force_login(admin)
    response = client.get("/htx/xuat/", {"q": value})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail["query"] == {"q": value.replace("\x00", "")}
