"""Writes of products and markets: certifications, search text, links, participations."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hoptac.market import services
from hoptac.market.choices import CertificationKind, EventKind, LinkKind, LinkStatus
from hoptac.market.models import Certification, ValueChainLink

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "stars", "ok"),
    [
        (CertificationKind.OCOP, 3, True),
        (CertificationKind.OCOP, 5, True),
        (CertificationKind.OCOP, 2, False),
        (CertificationKind.OCOP, None, False),
        (CertificationKind.VIETGAP, None, True),
        (CertificationKind.VIETGAP, 4, False),
    ],
    ids=["ocop-3", "ocop-5", "ocop-2-refused", "ocop-no-stars", "vietgap", "vietgap-with-stars"],
)
def test_ocop_has_three_to_five_stars_and_only_ocop(product, kind, stars, ok):
    if ok:
        services.certification_save(by=None, product=product, kind=kind, stars=stars, year=2019)
        assert Certification.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            services.certification_save(by=None, product=product, kind=kind, stars=stars, year=2019)
        assert "stars" in error.value.message_dict


def test_product_search_text_is_folded_in_both_languages(product):
    assert product.search_text.startswith("che shan tuyet my phuong ")
    assert "tea" in product.search_text.split()
    assert product.search_text.endswith(" htx che my phuong")


def test_product_history_is_kept(product, province_officer):
    services.product_save(by=province_officer, product=product, season="Tháng 3 – 11")
    assert product.history.count() == 2
    assert product.history.first().history_user == province_officer


def test_link_needs_a_subject_and_dates_in_order(cooperative, company):
    base = {
        "cooperative": cooperative,
        "company": company,
        "kind": LinkKind.OUTPUT,
        "starts_on": date(2019, 1, 1),
    }
    with pytest.raises(ValidationError) as error:
        services.link_save(by=None, **base)
    assert "product_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.link_save(by=None, product_name="Chè", ends_on=date(2018, 1, 1), **base)
    assert "ends_on" in error.value.message_dict
    link = services.link_save(by=None, product_name="Chè", value=Decimal(5), **base)
    assert link.status == LinkStatus.ACTIVE
    assert ValueChainLink.objects.count() == 1


def test_company_tax_code_is_unique(company):
    with pytest.raises(ValidationError):
        services.company_save(by=None, name="Khác", tax_code="4700900001")


def test_one_participation_per_event_and_htx(cooperative):
    event = services.event_save(
        by=None, name="Hội chợ", kind=EventKind.FAIR, starts_on=date(2019, 6, 1)
    )
    services.participation_save(by=None, event=event, cooperative=cooperative, contracts=2)
    with pytest.raises(ValidationError):
        services.participation_save(by=None, event=event, cooperative=cooperative)
