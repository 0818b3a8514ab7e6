"""Pages of plans and targets: create, see, change, delete, with access for each actor."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoptac.plans import services
from hoptac.plans.models import Plan, Target
from hoptac.plans.tests.factories import district_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cho_don_plan(cho_don):
    return district_plan(cho_don)


def test_officer_records_a_plan_with_its_document(client, district_officer, cho_don):
    client.force_login(district_officer)
    document = SimpleUploadedFile("nq.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("plans:plan_create"),
        {
            "kind": "nghi_quyet",
            "number": "02-NQ/HU",
            "title": "Kinh tế hợp tác",
            "issuer": "Huyện ủy Chợ Đồn",
            "area": cho_don.pk,
            "start_year": 2021,
            "end_year": 2025,
            "document": document,
        },
    )
    plan = Plan.objects.get(number="02-NQ/HU")
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    download = client.get(reverse("plans:plan_document", args=[plan.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_officer_cannot_place_a_plan_outside_his_area(client, district_officer, bac_kan):
    client.force_login(district_officer)
    response = client.post(
        reverse("plans:plan_create"),
        {"kind": "de_an", "title": "X", "issuer": "Y", "area": bac_kan.pk,
         "start_year": 2020, "end_year": 2025},
    )  # fmt: skip
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not Plan.objects.exists()


def test_a_period_ending_before_it_starts_is_refused(cho_don):
    with pytest.raises(ValidationError) as error:
        services.plan_create(
            by=None,
            kind="de_an",
            title="X",
            issuer="Y",
            area=cho_don,
            start_year=2025,
            end_year=2020,
        )
    assert "end_year" in error.value.message_dict


def test_an_unknown_indicator_is_refused(cho_don_plan):
    with pytest.raises(ValidationError) as error:
        services.target_create(
            plan=cho_don_plan, by=None, indicator="so_ga", comparison=">=", value=1,
            due_on=date(2020, 12, 31),
        )  # fmt: skip
    assert "indicator" in error.value.message_dict


def test_plan_pages_for_each_actor(
    client, cho_don_plan, district_officer, province_officer, outsider, current_officer, admin
):
    url = cho_don_plan.get_absolute_url()
    assert client.get(url).status_code == 302  # anonymous: sign in
    for user, status in [
        (district_officer, 200),
        (province_officer, 200),
        (admin, 200),
        (outsider, 404),  # a commune officer: the district's plan is above his area
        (current_officer, 404),  # the other tree
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(outsider)
    assert client.get(reverse("plans:plan_edit", args=[cho_don_plan.pk])).status_code == 404
    assert list(client.get(reverse("plans:plan_list")).context["page"]) == []


def test_detail_shows_each_target_with_its_status(client, cho_don_plan, district_officer):
    client.force_login(district_officer)
    response = client.get(cho_don_plan.get_absolute_url(), {"date": "2019-04-30"})
    (item,) = response.context["progress"]
    assert item.target.indicator == "so_htx"
    assert item.result.value == 0  # no HTX in this test's registry
    assert item.assessment.outcome == "co_nguy_co_khong_dat"
    assert "0/40 = 0 %" in response.content.decode()


def test_add_edit_and_remove_a_target(client, cho_don_plan, district_officer):
    client.force_login(district_officer)
    management = {
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "20",
    }
    response = client.post(
        reverse("plans:target_create", args=[cho_don_plan.pk]),
        {
            "indicator": "ty_le_htx_hieu_qua_kha_tot",
            "comparison": ">",
            "value": "40",
            "due_on": "2020-12-31",
            "order": "1",
            "milestones-0-year": "2019",
            "milestones-0-value": "30",
            **management,
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(indicator="ty_le_htx_hieu_qua_kha_tot")
    assert [(m.year, m.value) for m in target.milestones.all()] == [(2019, Decimal(30))]
    response = client.post(
        reverse("plans:target_edit", args=[target.pk]),
        {
            "indicator": "ty_le_htx_hieu_qua_tot",
            "comparison": ">=",
            "value": "20",
            "due_on": "2020-12-31",
            "order": "1",
            "is_illustrative": "on",
            **{**management, "milestones-INITIAL_FORMS": "0"},
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.indicator, target.is_illustrative) == ("ty_le_htx_hieu_qua_tot", True)
    response = client.post(reverse("plans:target_delete", args=[target.pk]))
    assert response.status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_delete_a_plan(client, cho_don_plan, district_officer):
    client.force_login(district_officer)
    url = reverse("plans:plan_delete", args=[cho_don_plan.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Plan.objects.exists()


def test_no_document_is_404(client, cho_don_plan, district_officer):
    client.force_login(district_officer)
    assert client.get(reverse("plans:plan_document", args=[cho_don_plan.pk])).status_code == 404
