"""Each read of hoptac/market/selectors.py: exact rows for each actor, each filter, and 404 for
what lies outside the user's scope (the data made by hoptac/market/tests/factories.py).

Places: Xã Lương Bằng (02062) and Xã Nghĩa Tá (02071) of Huyện Chợ Đồn, Xã Bằng Phúc (01927)
of Huyện Ba Bể, all of Tỉnh Bắc Kạn (old tree); Hà Nội (01) is another province.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from hoptac.areas.models import AdminUnit
from hoptac.market import selectors
from hoptac.market.choices import (
    Category,
    CertificationKind,
    EventKind,
    LinkKind,
    LinkStatus,
)
from hoptac.market.models import TradeEvent
from hoptac.market.tests.factories import (
    CertificationFactory,
    CompanyFactory,
    LinkFactory,
    ParticipationFactory,
    ProductFactory,
    TradeEventFactory,
    TrademarkFactory,
)
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.support.choices import FundingSource, PolicyKind
from hoptac.support.tests.factories import GrantFactory, PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def luong_bang_htx(db):
    return CooperativeFactory(name="HTX Lương Bằng")


@pytest.fixture
def nghia_ta_htx(db):
    return CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit("02071"))


@pytest.fixture
def ba_be_htx(db):
    return CooperativeFactory(name="HTX Ba Bể", commune_legacy=legacy_unit("01927"))


@pytest.fixture
def manager(make_user, luong_bang, luong_bang_htx):
    user = make_user("htx.lb", "coop_manager", luong_bang)
    luong_bang_htx.managers.add(user)
    return user


def names(rows) -> list[str]:
    return [str(row) for row in rows]


# --- may_change_for ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "may"),
    [
        ("admin", True),
        ("province_officer", True),
        ("district_officer", True),
        ("commune_officer", True),
        ("manager", True),
        ("outsider", False),
        ("current_officer", True),
    ],
)
def test_may_change_for_follows_the_htx_place_and_managers(request, luong_bang_htx, actor, may):
    user = request.getfixturevalue(actor)
    assert selectors.may_change_for(user=user, cooperative=luong_bang_htx) is may


def test_a_manager_may_not_change_another_htx_of_his_commune(manager):
    neighbour = CooperativeFactory(name="HTX Hàng xóm")
    assert selectors.may_change_for(user=manager, cooperative=neighbour) is False


# --- products ---------------------------------------------------------------------------------


@pytest.fixture
def products(luong_bang_htx, nghia_ta_htx, ba_be_htx):
    tea = ProductFactory(cooperative=luong_bang_htx, name="Chè Shan tuyết")
    CertificationFactory(product=tea, kind=CertificationKind.VIETGAP)
    honey = ProductFactory(
        cooperative=nghia_ta_htx, name="Mật ong bạc hà", category=Category.PROCESSED_FOOD
    )
    CertificationFactory(product=honey, kind=CertificationKind.OCOP, stars=4)
    ProductFactory(cooperative=ba_be_htx, name="Gạo Bao thai", category=Category.GRAIN)
    return {"tea": tea, "honey": honey}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", ["Chè Shan tuyết", "Gạo Bao thai", "Mật ong bạc hà"]),
        ("province_officer", ["Chè Shan tuyết", "Gạo Bao thai", "Mật ong bạc hà"]),
        ("district_officer", ["Chè Shan tuyết", "Mật ong bạc hà"]),
        ("commune_officer", ["Chè Shan tuyết"]),
        ("outsider", ["Mật ong bạc hà"]),
        ("manager", ["Chè Shan tuyết"]),
    ],
)
def test_product_list_is_the_users_scope(request, products, actor, expected):
    user = request.getfixturevalue(actor)
    assert names(selectors.product_list(user=user)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "mat ong"}, ["Mật ong bạc hà"]),
        ({"q": "CHÈ shan"}, ["Chè Shan tuyết"]),
        ({"q": "processed"}, ["Mật ong bạc hà"]),  # the category in English
        ({"q": "ba be"}, ["Gạo Bao thai"]),  # the HTX's name
        ({"q": "che gao"}, []),  # every word must match
        ({"category": "grain"}, ["Gạo Bao thai"]),
        ({"certification": "vietgap"}, ["Chè Shan tuyết"]),
        ({"certification": "organic"}, []),
    ],
    ids=["name", "case", "category-en", "htx", "all-words", "category", "cert", "no-cert"],
)
def test_product_list_filters(province_officer, products, filters, expected):
    assert names(selectors.product_list(user=province_officer, filters=filters)) == expected


def test_product_list_filters_by_area_and_htx(province_officer, products, cho_don, nghia_ta_htx):
    ids = {"area": cho_don}
    assert names(selectors.product_list(user=province_officer, filters=ids)) == [
        "Chè Shan tuyết",
        "Mật ong bạc hà",
    ]
    by_htx = {"cooperative": nghia_ta_htx.pk}
    assert names(selectors.product_list(user=province_officer, filters=by_htx)) == [
        "Mật ong bạc hà"
    ]


def test_product_get_for_user_is_404_outside_the_scope(commune_officer, outsider, products):
    tea = products["tea"]
    assert selectors.product_get_for_user(user=commune_officer, pk=tea.pk) == tea
    with pytest.raises(Http404):
        selectors.product_get_for_user(user=outsider, pk=tea.pk)
    with pytest.raises(Http404):
        selectors.product_get_for_user(user=commune_officer, pk=tea.pk + 1000)


def test_cooperative_products_and_trademarks_are_the_htx_own(luong_bang_htx, nghia_ta_htx):
    ProductFactory(cooperative=luong_bang_htx, name="Trà hoa vàng")
    ProductFactory(cooperative=luong_bang_htx, name="Chè xanh")
    ProductFactory(cooperative=nghia_ta_htx, name="Miến dong")
    TrademarkFactory(cooperative=luong_bang_htx, name="Chè Lương Bằng")
    TrademarkFactory(cooperative=nghia_ta_htx, name="Miến Nghĩa Tá")
    assert names(selectors.cooperative_products(cooperative=luong_bang_htx)) == [
        "Chè xanh",
        "Trà hoa vàng",
    ]
    assert names(selectors.cooperative_trademarks(cooperative=luong_bang_htx)) == ["Chè Lương Bằng"]


def test_trademark_get_for_user_is_404_outside_the_scope(manager, outsider, luong_bang_htx):
    mark = TrademarkFactory(cooperative=luong_bang_htx)
    assert selectors.trademark_get_for_user(user=manager, pk=mark.pk) == mark
    with pytest.raises(Http404):
        selectors.trademark_get_for_user(user=outsider, pk=mark.pk)


# --- trade promotion --------------------------------------------------------------------------


@pytest.fixture
def events(bac_kan, cho_don, luong_bang_htx, nghia_ta_htx, ba_be_htx):
    """A fair of Bắc Kạn (2019) with three HTX, a market week of Chợ Đồn (2019) with one, an
    online campaign nationwide (2020), and a fair of Hà Nội (2019)."""
    fair = TradeEventFactory(name="Hội chợ Bắc Kạn", area=bac_kan)
    for htx, contracts in ((luong_bang_htx, 2), (nghia_ta_htx, 1), (ba_be_htx, 4)):
        ParticipationFactory(
            event=fair, cooperative=htx, contracts=contracts,
            contract_value=Decimal(100_000_000) * contracts, sales=Decimal(10_000_000),
        )  # fmt: skip
    week = TradeEventFactory(
        name="Tuần nông sản Chợ Đồn", area=cho_don, kind=EventKind.MARKET,
        starts_on=date(2019, 9, 1), ends_on=date(2019, 9, 7),
    )  # fmt: skip
    ParticipationFactory(event=week, cooperative=luong_bang_htx)
    TradeEventFactory(
        name="Sàn thương mại điện tử", kind=EventKind.ONLINE, starts_on=date(2020, 3, 1),
        ends_on=None,
    )  # fmt: skip
    TradeEventFactory(name="Hội chợ Hà Nội", area=AdminUnit.objects.get(era="legacy", code="01"))
    return {"fair": fair, "week": week}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (
            "admin",
            [("Sàn thương mại điện tử", 0), ("Tuần nông sản Chợ Đồn", 1),
             ("Hội chợ Bắc Kạn", 3), ("Hội chợ Hà Nội", 0)],
        ),
        (
            "district_officer",
            [("Sàn thương mại điện tử", 0), ("Tuần nông sản Chợ Đồn", 1), ("Hội chợ Bắc Kạn", 2)],
        ),
        (
            "outsider",
            [("Sàn thương mại điện tử", 0), ("Tuần nông sản Chợ Đồn", 0), ("Hội chợ Bắc Kạn", 1)],
        ),
    ],
)  # fmt: skip
def test_event_list_counts_only_the_participations_the_user_sees(request, events, actor, expected):
    user = request.getfixturevalue(actor)
    rows = selectors.event_list(user=user)
    assert [(e.name, e.taking_part) for e in rows] == expected


def test_event_list_filters_by_year_and_kind(admin, events):
    assert names(selectors.event_list(user=admin, filters={"year": "2020"})) == [
        "Sàn thương mại điện tử"
    ]
    assert names(selectors.event_list(user=admin, filters={"kind": "market"})) == [
        "Tuần nông sản Chợ Đồn"
    ]
    assert names(selectors.event_list(user=admin, filters={"year": 2019, "kind": "fair"})) == [
        "Hội chợ Bắc Kạn",
        "Hội chợ Hà Nội",
    ]


def test_event_get_for_user_is_404_for_another_provinces_event(province_officer, events):
    hanoi_fair = TradeEvent.objects.get(name="Hội chợ Hà Nội")
    with pytest.raises(Http404):
        selectors.event_get_for_user(user=province_officer, pk=hanoi_fair.pk)
    fair = events["fair"]
    assert selectors.event_get_for_user(user=province_officer, pk=fair.pk) == fair


@pytest.mark.parametrize(
    ("actor", "fair", "week"),
    [
        ("admin", True, True),
        ("province_officer", True, True),
        ("district_officer", False, True),
        ("commune_officer", False, False),
    ],
)
def test_event_may_change_inside_the_organising_area(request, events, actor, fair, week):
    user = request.getfixturevalue(actor)
    assert selectors.event_may_change(user=user, event=events["fair"]) is fair
    assert selectors.event_may_change(user=user, event=events["week"]) is week


def test_event_participations_and_results_are_scoped(district_officer, province_officer, events):
    fair = events["fair"]
    seen = selectors.event_participations(user=district_officer, event=fair)
    assert [p.cooperative.name for p in seen] == ["HTX Lương Bằng", "HTX Nghĩa Tá"]
    assert selectors.event_results(participations=seen) == {
        "contracts": 3,
        "contract_value": Decimal(300_000_000),
        "sales": Decimal(20_000_000),
    }
    everyone = selectors.event_participations(user=province_officer, event=fair)
    assert selectors.event_results(participations=everyone)["contracts"] == 7


def test_event_results_of_nobody_are_none(outsider, events):
    none = selectors.event_participations(user=outsider, event=events["week"])
    assert selectors.event_results(participations=none) == {
        "contracts": None,
        "contract_value": None,
        "sales": None,
    }


def test_cooperative_events_newest_first(events, luong_bang_htx, ba_be_htx):
    assert [p.event.name for p in selectors.cooperative_events(cooperative=luong_bang_htx)] == [
        "Tuần nông sản Chợ Đồn",
        "Hội chợ Bắc Kạn",
    ]
    assert [p.event.name for p in selectors.cooperative_events(cooperative=ba_be_htx)] == [
        "Hội chợ Bắc Kạn"
    ]


def test_events_attended_between_counts_the_start_day(events, luong_bang_htx, nghia_ta_htx):
    def attended(start, end):
        return set(
            selectors.events_attended_between(start, end).values_list("cooperative_id", flat=True)
        )

    assert attended(date(2019, 6, 2), date(2019, 9, 1)) == {luong_bang_htx.pk}
    assert len(attended(date(2019, 6, 1), date(2019, 6, 1))) == 3
    assert attended(date(2019, 9, 2), date(2020, 12, 31)) == set()
    assert nghia_ta_htx.pk in attended(date(2019, 1, 1), date(2019, 12, 31))


# --- value chains -----------------------------------------------------------------------------


@pytest.fixture
def links(luong_bang_htx, nghia_ta_htx, ba_be_htx):
    """Two companies; four links of three HTX."""
    buyer = CompanyFactory(name="Công ty Chè Thái", tax_code="4600111222", address="Thái Nguyên")
    seller = CompanyFactory(name="Công ty Phân bón Bắc Kạn", tax_code="4700111333")
    return {
        "tea": LinkFactory(cooperative=luong_bang_htx, company=buyer, starts_on=date(2018, 1, 1)),
        "seed": LinkFactory(
            cooperative=luong_bang_htx, company=seller, kind=LinkKind.INPUT,
            product_name="Phân bón", starts_on=date(2019, 3, 1), ends_on=date(2019, 10, 31),
        ),
        "honey": LinkFactory(
            cooperative=nghia_ta_htx, company=buyer, starts_on=date(2019, 5, 1),
            status=LinkStatus.SUSPENDED,
        ),
        "rice": LinkFactory(
            cooperative=ba_be_htx, company=buyer, starts_on=date(2020, 1, 1),
            kind=LinkKind.BOTH,
        ),
    }  # fmt: skip


def link_keys(rows, links) -> list[str]:
    by_pk = {link.pk: key for key, link in links.items()}
    return [by_pk[row.pk] for row in rows]


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", ["rice", "honey", "seed", "tea"]),
        ("district_officer", ["honey", "seed", "tea"]),
        ("manager", ["seed", "tea"]),
        ("outsider", ["honey"]),
    ],
)
def test_link_list_is_the_users_scope_newest_first(request, links, actor, expected):
    user = request.getfixturevalue(actor)
    assert link_keys(selectors.link_list(user=user), links) == expected


def test_link_list_filters(admin, links, cho_don, luong_bang_htx):
    def keys(**filters):
        return link_keys(selectors.link_list(user=admin, filters=filters), links)

    buyer = links["tea"].company
    assert keys(status="suspended") == ["honey"]
    assert keys(kind="input") == ["seed"]
    assert keys(company=buyer.pk) == ["rice", "honey", "tea"]
    assert keys(cooperative=luong_bang_htx.pk) == ["seed", "tea"]
    assert keys(area=cho_don) == ["honey", "seed", "tea"]
    assert keys(active_on=date(2019, 6, 1)) == ["seed", "tea"]
    assert keys(active_on=date(2019, 11, 1)) == ["tea"]
    assert keys(active_on=date(2020, 1, 1), kind="both") == ["rice"]


def test_link_get_for_user_is_404_outside_the_scope(manager, outsider, links):
    tea = links["tea"]
    assert selectors.link_get_for_user(user=manager, pk=tea.pk) == tea
    with pytest.raises(Http404):
        selectors.link_get_for_user(user=outsider, pk=tea.pk)


def test_cooperative_links_newest_first(links, luong_bang_htx):
    assert link_keys(selectors.cooperative_links(cooperative=luong_bang_htx), links) == [
        "seed",
        "tea",
    ]


def test_links_running_between_includes_suspended_and_touching_ends(
    links, luong_bang_htx, nghia_ta_htx, ba_be_htx
):
    def running(start, end):
        return set(
            selectors.links_running_between(start, end).values_list("cooperative_id", flat=True)
        )

    # the tea link runs from 2018 without an end; the seed link ends on 31/10/2019
    assert running(date(2017, 1, 1), date(2017, 12, 31)) == set()
    assert running(date(2017, 1, 1), date(2018, 1, 1)) == {luong_bang_htx.pk}
    assert running(date(2019, 5, 1), date(2019, 5, 1)) == {luong_bang_htx.pk, nghia_ta_htx.pk}
    assert running(date(2020, 1, 1), date(2020, 1, 1)) == {
        luong_bang_htx.pk,
        nghia_ta_htx.pk,
        ba_be_htx.pk,
    }


def test_company_list_searches_and_counts_links(links):
    CompanyFactory(name="Công ty Không liên kết", tax_code="0100000001", address="Hà Nội")
    rows = selectors.company_list()
    assert [(c.name, c.links_count) for c in rows] == [
        ("Công ty Chè Thái", 3),
        ("Công ty Không liên kết", 0),
        ("Công ty Phân bón Bắc Kạn", 1),
    ]
    assert names(selectors.company_list(filters={"q": "thai nguyen"})) == ["Công ty Chè Thái"]
    assert names(selectors.company_list(filters={"q": "4700111333"})) == [
        "Công ty Phân bón Bắc Kạn"
    ]
    assert names(selectors.company_list(filters={"q": "cong ty ha noi"})) == [
        "Công ty Không liên kết"
    ]


def test_company_get_reads_any_company_and_404s_a_missing_one(district_officer, bac_kan):
    company = CompanyFactory(by=district_officer)
    got = selectors.company_get(pk=company.pk)
    assert (got, got.province) == (company, bac_kan)
    with pytest.raises(Http404):
        selectors.company_get(pk=company.pk + 1000)


@pytest.mark.parametrize(
    ("actor", "may"),
    [
        ("admin", True),
        ("province_officer", True),
        ("commune_officer", True),
        ("current_officer", True),  # Thái Nguyên took in Bắc Kạn
        ("manager", False),
    ],
)
def test_company_may_change_by_the_keeping_province(request, district_officer, actor, may):
    company = CompanyFactory(by=district_officer)
    user = request.getfixturevalue(actor)
    assert selectors.company_may_change(user=user, company=company) is may


def test_company_of_no_province_is_changed_by_the_administrator_only(admin, province_officer):
    company = CompanyFactory(by=admin)
    assert selectors.company_may_change(user=admin, company=company) is True
    assert selectors.company_may_change(user=province_officer, company=company) is False


# --- support for products ---------------------------------------------------------------------


def test_product_support_grants_are_those_with_product_support(luong_bang_htx, bac_kan):
    policy = PolicyFactory(area=bac_kan, kind=PolicyKind.BRANDING)
    label = GrantFactory(
        cooperative=luong_bang_htx, policy=policy, granted_on=date(2019, 5, 1),
        product_support="label", amount=Decimal(20_000_000), source=FundingSource.PROVINCE,
    )  # fmt: skip
    GrantFactory(cooperative=luong_bang_htx, policy=policy, granted_on=date(2019, 6, 1))
    assert list(selectors.product_support_grants(cooperative=luong_bang_htx)) == [label]
