"""Market pages: each renders; own area 200, other area 404; an HTX manager manages his own
HTX's products and links only; photos are served only to those who may see the product."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hoptac.market import services
from hoptac.market.choices import EventKind, LinkKind
from hoptac.market.models import Product, ValueChainLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 120, 0)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def event(bac_kan, cooperative):
    event = services.event_save(
        by=None,
        name="Hội chợ nông sản 2019",
        kind=EventKind.FAIR,
        starts_on=date(2019, 11, 2),
        area=bac_kan,
    )
    services.participation_save(
        by=None, event=event, cooperative=cooperative, contracts=2, sales=5_000_000
    )
    return event


@pytest.fixture
def a_link(cooperative, company):
    return services.link_save(
        by=None,
        cooperative=cooperative,
        company=company,
        kind=LinkKind.OUTPUT,
        product_name="Chè",
        starts_on=date(2019, 1, 1),
    )


PAGES = ["market:product_list", "market:event_list", "market:company_list", "market:link_list"]


@pytest.mark.parametrize("name", PAGES)
def test_lists_render(client, province_officer, product, event, a_link, name):
    client.force_login(province_officer)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("province_officer", 200),
        ("commune_officer", 200),
        ("outsider", 404),
        ("htx_manager", 200),
        ("current_officer", 200),
    ],
)
def test_product_detail_by_scope(client, request, product, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(product.get_absolute_url()).status_code == status


@pytest.mark.parametrize("tab", ["products", "links"])
@pytest.mark.parametrize(
    ("actor", "status"), [("commune_officer", 200), ("outsider", 404), ("htx_manager", 200)]
)
def test_tabs_by_scope(client, request, cooperative, product, a_link, event, tab, actor, status):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(
        reverse("registry:cooperative_detail", args=[cooperative.pk]) + f"?tab={tab}"
    )
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert (
            "Chè Shan tuyết Mỹ Phương" if tab == "products" else "Công ty TNHH Nông sản Việt Bắc"
        ) in text


def test_manager_adds_a_product_with_a_photo_to_his_own_htx(
    client, htx_manager, cooperative, other_cooperative
):
    client.force_login(htx_manager)
    response = client.post(
        reverse("market:product_create", args=[cooperative.pk]),
        {
            "name": "Chè xanh",
            "category": "tea",
            "unit": "kg",
            "photo": SimpleUploadedFile("che.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Chè xanh")
    assert product.photo.name.endswith(".png")
    assert client.get(reverse("market:product_photo", args=[product.pk])).status_code == 200
    assert (
        client.get(reverse("market:product_create", args=[other_cooperative.pk])).status_code == 404
    )


def test_not_an_image_is_refused(client, commune_officer, cooperative):
    client.force_login(commune_officer)
    response = client.post(
        reverse("market:product_create", args=[cooperative.pk]),
        {"name": "Chè", "category": "tea", "photo": SimpleUploadedFile("x.png", b"not an image")},
    )
    assert response.status_code == 200
    assert not Product.objects.exists()


def test_photo_is_404_for_the_outsider(client, outsider, product):
    services.product_save(by=None, product=product, photo=SimpleUploadedFile("a.png", png()))
    client.force_login(outsider)
    assert client.get(reverse("market:product_photo", args=[product.pk])).status_code == 404


def test_officer_records_ocop_through_the_page(client, commune_officer, product):
    client.force_login(commune_officer)
    url = reverse("market:certification_create", args=[product.pk])
    response = client.post(url, {"kind": "ocop", "stars": "6", "year": 2019})
    assert response.status_code == 200  # 6 stars is not a choice
    response = client.post(url, {"kind": "ocop", "stars": "4", "year": 2019})
    assert response.status_code == 302
    assert str(product.certifications.get()) == "OCOP 4★ (2019)"


def test_officer_adds_a_link_and_the_share_shows(client, commune_officer, cooperative, company):
    client.force_login(commune_officer)
    response = client.post(
        reverse("market:link_create", args=[cooperative.pk]),
        {
            "company": company.pk,
            "kind": "both",
            "product_name": "Chè búp",
            "starts_on": "2019-01-01",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert ValueChainLink.objects.get().kind == "both"
    page = client.get(reverse("market:link_list"), {"on": "2019-12-31"})
    share = page.context["share"]
    assert (share.numerator, share.denominator) == (1, 1)


def test_event_participation_by_code_and_scope(
    client, commune_officer, outsider, event, other_cooperative
):
    client.force_login(commune_officer)
    url = reverse("market:participation_create", args=[event.pk])
    response = client.post(url, {"cooperative_text": other_cooperative.tax_code})
    assert response.status_code == 200  # not in his commune
    client.force_login(outsider)
    response = client.post(url, {"cooperative_text": other_cooperative.tax_code, "contracts": 1})
    assert response.status_code == 302
    participations = client.get(event.get_absolute_url()).context["participations"]
    assert [p.cooperative.name for p in participations] == ["HTX Nghĩa Tá"]  # only his HTX


def test_exports(client, province_officer, product, a_link):
    client.force_login(province_officer)
    for name in ("market:product_export", "market:link_export"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        import openpyxl

        rows = list(
            openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values
        )
        assert len(rows) == 2


def test_product_list_query_count_is_flat(
    client, province_officer, cooperative, django_assert_max_num_queries
):
    for index in range(30):
        services.product_save(
            by=None, cooperative=cooperative, name=f"Sản phẩm {index}", category="tea"
        )
    client.force_login(province_officer)
    with django_assert_max_num_queries(12):
        client.get(reverse("market:product_list"))
