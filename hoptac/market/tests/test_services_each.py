"""Each write of hoptac/market/services.py: what it stores, who is recorded, and the Vietnamese
message of what it refuses (the data made by hoptac/market/tests/factories.py)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hoptac.market import services
from hoptac.market.choices import Category, CertificationKind, LinkKind, LinkStatus
from hoptac.market.models import Certification, EventParticipation, PartnerCompany, Product
from hoptac.market.tests.factories import (
    CertificationFactory,
    CompanyFactory,
    LinkFactory,
    ParticipationFactory,
    ProductFactory,
    TradeEventFactory,
    TrademarkFactory,
)
from hoptac.registry.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def messages(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {field: [str(m) for m in texts] for field, texts in error.value.message_dict.items()}


def png(name: str = "che.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (2, 2), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- product_save -----------------------------------------------------------------------------


def test_product_save_creates_with_its_creator_and_folded_search_text(province_officer):
    htx = CooperativeFactory(name="HTX Chè Mỹ Phương")
    product = services.product_save(
        by=province_officer, cooperative=htx, name="Chè Shan tuyết", category=Category.TEA
    )
    product.refresh_from_db()
    assert product.created_by == province_officer
    # name, the category in Vietnamese and in English, the HTX's name
    assert product.search_text == "che shan tuyet che tea htx che my phuong"
    assert product.history.get().history_user == province_officer


def test_product_save_changes_and_the_search_text_follows(district_officer):
    product = ProductFactory(name="Chè Shan tuyết")
    services.product_save(
        by=district_officer, product=product, name="Miến dong", category=Category.PROCESSED_FOOD
    )
    stored = Product.objects.get()
    assert stored.name == "Miến dong"
    assert stored.search_text.startswith("mien dong ")
    assert "tea" not in stored.search_text.split()
    assert [h.history_user for h in stored.history.order_by("history_id")] == [
        None,
        district_officer,
    ]


def test_product_save_stores_a_photo_and_false_clears_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = ProductFactory(photo=png())
    assert product.photo.name.startswith("market/products/")
    stored = tmp_path / product.photo.name
    assert stored.exists()
    services.product_save(by=None, product=product, photo=False)
    product.refresh_from_db()
    assert product.photo.name in ("", None)
    assert not stored.exists()


def test_product_save_without_a_photo_keeps_the_one_it_has(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = ProductFactory(photo=png())
    name = product.photo.name
    services.product_save(by=None, product=product, photo=None, season="Tháng 3 – 11")
    product.refresh_from_db()
    assert (product.photo.name, product.season) == (name, "Tháng 3 – 11")


def test_product_save_refuses_an_unknown_category():
    with pytest.raises(ValidationError) as error:
        ProductFactory(category="coffee")
    assert list(messages(error)) == ["category"]
    assert Product.objects.count() == 0


# --- certification_save -----------------------------------------------------------------------


def test_certification_save_changes_in_place():
    certification = CertificationFactory(kind=CertificationKind.OCOP, stars=3, year=2018)
    services.certification_save(by=None, certification=certification, stars=4, year=2020)
    assert list(Certification.objects.values_list("kind", "stars", "year")) == [("ocop", 4, 2020)]


@pytest.mark.parametrize(
    ("kind", "stars", "message"),
    [
        (CertificationKind.OCOP, 6, "Sản phẩm OCOP được xếp hạng 3, 4 hoặc 5 sao."),
        (CertificationKind.ORGANIC, 3, "Chỉ xếp hạng OCOP mới có số sao."),
    ],
    ids=["ocop-6-stars", "organic-with-stars"],
)
def test_certification_save_refuses_stars_with_a_vietnamese_message(kind, stars, message):
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        services.certification_save(by=None, product=product, kind=kind, stars=stars, year=2019)
    assert messages(error) == {"stars": [message]}
    assert Certification.objects.count() == 0


# --- trademark_save ---------------------------------------------------------------------------


def test_trademark_save_keeps_its_creator_when_another_changes_it(
    province_officer, district_officer
):
    trademark = TrademarkFactory(by=province_officer, name="Chè Bắc Kạn")
    services.trademark_save(by=district_officer, trademark=trademark, number="4-0012345")
    trademark.refresh_from_db()
    assert (trademark.created_by, trademark.number) == (province_officer, "4-0012345")
    assert trademark.history.latest("history_id").history_user == district_officer


def test_trademark_save_needs_a_kind():
    with pytest.raises(ValidationError) as error:
        TrademarkFactory(kind="")
    assert list(messages(error)) == ["kind"]


# --- event_save -------------------------------------------------------------------------------


def test_event_save_records_and_changes_an_event(bac_kan, province_officer):
    event = TradeEventFactory(by=province_officer, area=bac_kan, name="Hội chợ Bắc Kạn 2019")
    services.event_save(by=province_officer, event=event, ends_on=date(2019, 6, 9))
    event.refresh_from_db()
    assert (event.area, event.ends_on, event.created_by) == (
        bac_kan,
        date(2019, 6, 9),
        province_officer,
    )


def test_event_save_refuses_an_end_before_the_start():
    with pytest.raises(ValidationError) as error:
        TradeEventFactory(starts_on=date(2019, 6, 5), ends_on=date(2019, 6, 1))
    assert messages(error) == {"ends_on": ["Ngày kết thúc không được trước ngày bắt đầu."]}


# --- participation_save -----------------------------------------------------------------------


def test_participation_save_changes_the_results():
    participation = ParticipationFactory(contracts=1, sales=None)
    services.participation_save(
        by=None, participation=participation, contracts=3, sales=Decimal(12_500_000)
    )
    assert list(EventParticipation.objects.values_list("contracts", "sales")) == [
        (3, Decimal(12_500_000))
    ]


def test_participation_save_refuses_the_same_htx_twice_at_an_event():
    first = ParticipationFactory()
    with pytest.raises(ValidationError) as error:
        ParticipationFactory(event=first.event, cooperative=first.cooperative)
    assert messages(error) == {"__all__": ["Hợp tác xã này đã được ghi nhận tham gia sự kiện."]}


def test_participation_save_refuses_negative_sales():
    with pytest.raises(ValidationError) as error:
        ParticipationFactory(sales=Decimal(-1))
    assert list(messages(error)) == ["sales"]


# --- company_save -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "province"),
    [
        ("commune_officer", ("legacy", "06")),
        ("district_officer", ("legacy", "06")),
        ("current_officer", ("2025", "19")),
        ("admin", None),
    ],
)
def test_company_save_gives_a_new_company_the_recorders_province(request, actor, province):
    user = request.getfixturevalue(actor)
    company = CompanyFactory(by=user)
    kept = None if company.province is None else (company.province.era, company.province.code)
    assert kept == province
    assert company.created_by == user


def test_company_save_without_an_actor_keeps_no_province():
    assert CompanyFactory(by=None).province is None


def test_company_save_admin_may_name_the_province(admin, thai_nguyen):
    assert CompanyFactory(by=admin, province=thai_nguyen).province == thai_nguyen


def test_company_save_change_keeps_the_province_and_refolds(district_officer, bac_kan):
    company = CompanyFactory(by=district_officer, name="Công ty Chè", tax_code="4700900001")
    services.company_save(by=None, company=company, name="Công ty Đặc sản Việt Bắc")
    company.refresh_from_db()
    assert company.province == bac_kan
    assert company.search_text == "cong ty dac san viet bac 4700900001 bac kan"


def test_company_save_refuses_a_tax_code_taken_but_allows_many_without_one():
    CompanyFactory(tax_code="4700900001")
    CompanyFactory(tax_code="")
    CompanyFactory(tax_code="")
    with pytest.raises(ValidationError) as error:
        CompanyFactory(tax_code="4700900001")
    assert messages(error) == {"__all__": ["Một doanh nghiệp khác đã có mã số thuế này."]}
    assert PartnerCompany.objects.count() == 3


# --- link_save --------------------------------------------------------------------------------


def test_link_save_records_and_changes_a_link(commune_officer):
    product = ProductFactory(name="Chè Shan tuyết")
    link = LinkFactory(
        by=commune_officer, cooperative=product.cooperative, product=product, product_name=""
    )
    assert (link.status, link.subject, link.created_by) == (
        LinkStatus.ACTIVE,
        "Chè Shan tuyết",
        commune_officer,
    )
    services.link_save(by=None, link=link, status=LinkStatus.ENDED, ends_on=date(2020, 1, 1))
    link.refresh_from_db()
    assert (link.status, link.ends_on, link.created_by) == (
        "ended",
        date(2020, 1, 1),
        commune_officer,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"product_name": " "}, "product_name", "Ghi tên sản phẩm hoặc vật tư của liên kết."),
        (
            {"ends_on": date(2018, 12, 31)},
            "ends_on",
            "Ngày kết thúc không được trước ngày bắt đầu.",
        ),
    ],
    ids=["no-subject", "ends-before-start"],
)
def test_link_save_refuses_with_a_vietnamese_message(fields, field, message):
    with pytest.raises(ValidationError) as error:
        LinkFactory(kind=LinkKind.INPUT, **fields)
    assert messages(error) == {field: [message]}


def test_link_save_refuses_a_negative_volume():
    with pytest.raises(ValidationError) as error:
        LinkFactory(volume=Decimal("-0.5"))
    assert list(messages(error)) == ["volume"]
