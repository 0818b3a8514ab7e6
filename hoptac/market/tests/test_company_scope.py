"""Regression of issue #12, defect 3 (second half): partner companies were one national list
that any officer anywhere could change. Every signed-in user still reads the list (companies
work across provinces); a company is kept by the province of the officer who recorded it, and
only that province's officers (in either tree) and the administrator change it
(access.may_change_province_record). Another officer sees it and gets 403 on its edit page."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from hoptac.areas.models import AdminUnit
from hoptac.market import services
from hoptac.market.models import PartnerCompany

pytestmark = pytest.mark.django_db

NEW = {"name": "Công ty Chè Thái", "tax_code": "4600111222", "address": "Thái Nguyên"}


@pytest.fixture
def hanoi_officer(make_user):
    """A provincial officer of Hà Nội in the old tree: another province."""
    return make_user("hn1", "province_officer", AdminUnit.objects.get(era="legacy", code="01"))


@pytest.fixture
def hanoi_current_officer(make_user):
    """A provincial officer of Hà Nội in the 2025 tree."""
    return make_user("hn2", "province_officer", AdminUnit.objects.get(era="2025", code="01"))


@pytest.fixture
def bac_kan_company(district_officer):
    """A company recorded by the officer of Huyện Chợ Đồn: kept by Tỉnh Bắc Kạn."""
    return services.company_save(by=district_officer, name="Công ty Nông sản Việt Bắc")


def _edit(client, company, **changes):
    data = {"name": company.name, "tax_code": company.tax_code, **changes}
    return client.post(reverse("market:company_edit", args=[company.pk]), data)


def test_a_new_company_is_kept_by_the_recording_officers_province(client, commune_officer, bac_kan):
    client.force_login(commune_officer)
    response = client.post(reverse("market:company_create"), NEW)
    assert response.status_code == 302
    assert PartnerCompany.objects.get().province == bac_kan


def test_officer_of_another_province_reads_but_may_not_change(
    client, hanoi_officer, bac_kan_company
):
    client.force_login(hanoi_officer)
    detail = client.get(bac_kan_company.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["may_change"] is False
    assert "Tỉnh Bắc Kạn" in detail.content.decode()
    assert client.get(reverse("market:company_edit", args=[bac_kan_company.pk])).status_code == 403
    assert _edit(client, bac_kan_company, name="Đổi tên").status_code == 403
    bac_kan_company.refresh_from_db()
    assert bac_kan_company.name == "Công ty Nông sản Việt Bắc"
    assert client.get(reverse("market:company_list")).status_code == 200


@pytest.mark.parametrize(
    "actor", ["province_officer", "district_officer", "commune_officer", "outsider", "admin"]
)
def test_officers_of_the_keeping_province_change_it(request, client, bac_kan_company, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(bac_kan_company.get_absolute_url()).context["may_change"] is True
    assert _edit(client, bac_kan_company, phone="0209 3870 000").status_code == 302
    bac_kan_company.refresh_from_db()
    assert bac_kan_company.phone == "0209 3870 000"


def test_the_2025_province_that_took_in_the_old_one_keeps_its_companies(
    client, current_officer, hanoi_current_officer, bac_kan_company
):
    client.force_login(current_officer)  # Thái Nguyên (2025) took in Bắc Kạn
    assert _edit(client, bac_kan_company, phone="1").status_code == 302
    client.force_login(hanoi_current_officer)
    assert _edit(client, bac_kan_company, phone="2").status_code == 403


def test_a_company_kept_by_no_province_is_the_administrators(
    client, province_officer, admin, bac_kan
):
    company = services.company_save(by=admin, name="Công ty toàn quốc")
    assert company.province is None
    client.force_login(province_officer)
    assert _edit(client, company, phone="1").status_code == 403
    client.force_login(admin)
    assert _edit(client, company, phone="1", province=bac_kan.pk).status_code == 302
    company.refresh_from_db()
    assert company.province == bac_kan


def test_an_officer_cannot_hand_his_company_to_another_province(
    client, province_officer, bac_kan_company, bac_kan
):
    hanoi = AdminUnit.objects.get(era="legacy", code="01")
    client.force_login(province_officer)
    assert _edit(client, bac_kan_company, province=hanoi.pk).status_code == 302
    bac_kan_company.refresh_from_db()
    assert bac_kan_company.province == bac_kan


def test_htx_manager_reads_the_list_and_records_nothing(client, htx_manager, bac_kan_company):
    client.force_login(htx_manager)
    assert client.get(bac_kan_company.get_absolute_url()).context["may_change"] is False
    assert client.post(reverse("market:company_create"), NEW).status_code == 403
    assert _edit(client, bac_kan_company, phone="1").status_code == 403


def test_migration_gives_existing_companies_their_recorders_province(
    district_officer, current_officer, admin, htx_manager, bac_kan, thai_nguyen
):
    recorded = {
        "by district": district_officer,
        "by 2025 province": current_officer,
        "by admin": admin,
        "by manager": htx_manager,
        "by nobody": None,
    }
    for name, by in recorded.items():
        PartnerCompany.objects.create(name=name, created_by=by)  # as before the field existed
    migration = import_module("hoptac.market.migrations.0003_partnercompany_fill_province")
    migration.fill_province(apps, None)
    provinces = dict(PartnerCompany.objects.values_list("name", "province"))
    assert provinces == {
        "by district": bac_kan.pk,
        "by 2025 province": thai_nguyen.pk,
        "by admin": None,
        "by manager": None,
        "by nobody": None,
    }
