"""Reads of the registry: scope, filters, search, counting at a date, change history."""

from datetime import date

import pytest

from hoptac.areas.models import AdminUnit
from hoptac.registry import selectors, services
from hoptac.registry.choices import Flag, Kind, Sector, Status, SubSector
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(qs.values_list("name", flat=True))


@pytest.fixture
def registry(db):
    """Four organisations in Bắc Kạn: two communes of Chợ Đồn, one of Ba Bể, one union."""
    return {
        "cao_phong": CooperativeFactory(
            name="HTX Cao Phong", commune_legacy=legacy_unit("02047"), founded_on=date(2009, 6, 12),
            high_tech=True, value_chain=True, representative_name="Lục Văn Phong",
        ),
        "luong_bang": CooperativeFactory(
            name="HTX Vận tải Lương Bằng", sector=Sector.NON_AGRICULTURAL,
            sub_sector=SubSector.TRANSPORT, founded_on=date(2019, 2, 1), street="Thôn Nà Pài",
        ),
        "my_phuong": CooperativeFactory(
            name="HTX Chè Mỹ Phương", commune_legacy=legacy_unit("01927"),
            founded_on=date(2014, 9, 22), model_cooperative=True,
        ),
        "union": CooperativeFactory(
            name="Liên hiệp HTX Bắc Kạn", kind=Kind.UNION, commune_legacy=legacy_unit("01834"),
            founded_on=date(2019, 3, 1),
        ),
    }  # fmt: skip


def test_officers_see_their_area_in_either_tree(
    registry, province_officer, district_officer, commune_officer, outsider, current_officer
):
    assert len(selectors.cooperative_list(user=province_officer)) == 4
    assert names(selectors.cooperative_list(user=district_officer)) == [
        "HTX Cao Phong",
        "HTX Vận tải Lương Bằng",
    ]
    assert names(selectors.cooperative_list(user=commune_officer)) == ["HTX Vận tải Lương Bằng"]
    assert names(selectors.cooperative_list(user=outsider)) == []
    assert len(selectors.cooperative_list(user=current_officer)) == 4  # via the derived commune


def test_htx_manager_sees_only_his_own(registry, make_user):
    manager = make_user("htx.caophong", "coop_manager", legacy_unit("02047"))
    registry["cao_phong"].managers.add(manager)
    registry["my_phuong"].managers.add(make_user("khac", "coop_manager", None))
    assert names(selectors.cooperative_list(user=manager)) == ["HTX Cao Phong"]


def test_anonymous_sees_nothing_here(registry, client):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.cooperative_list(user=AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("era", "code", "expected"),
    [
        ("legacy", "06", 4),
        ("legacy", "064", 2),
        ("legacy", "02062", 1),
        ("legacy", "061", 1),
        ("2025", "19", 4),
        ("2025", "02071", 1),
    ],
)
def test_area_filter_in_either_tree_at_any_level(registry, admin, era, code, expected):
    area = AdminUnit.objects.get(era=era, code=code)
    assert selectors.cooperative_list(user=admin, filters={"area": area}).count() == expected
    assert selectors.cooperative_list(user=admin, filters={"area": area.pk}).count() == expected


def test_filters_by_kind_sector_status_year_and_marks(registry, admin):
    def listed(**filters):
        return names(selectors.cooperative_list(user=admin, filters=filters))

    assert listed(kind=Kind.UNION) == ["Liên hiệp HTX Bắc Kạn"]
    assert listed(sector=Sector.NON_AGRICULTURAL) == ["HTX Vận tải Lương Bằng"]
    assert listed(sub_sector=SubSector.TRANSPORT) == ["HTX Vận tải Lương Bằng"]
    assert listed(founded_year=2019) == ["HTX Vận tải Lương Bằng", "Liên hiệp HTX Bắc Kạn"]
    assert listed(flags=[Flag.HIGH_TECH, Flag.VALUE_CHAIN]) == ["HTX Cao Phong"]
    assert listed(flags=[Flag.MODEL]) == ["HTX Chè Mỹ Phương"]
    assert listed(flags=[Flag.NEWLY_FOUNDED], founded_year=2014) == ["HTX Chè Mỹ Phương"]
    services.cooperative_change_status(
        cooperative=registry["my_phuong"], status=Status.SUSPENDED, effective_on=date(2024, 7, 1),
        by=admin, today=date(2026, 1, 1),
    )  # fmt: skip
    assert listed(status=Status.SUSPENDED) == ["HTX Chè Mỹ Phương"]
    assert listed(status=[Status.SUSPENDED, Status.DISSOLVED]) == ["HTX Chè Mỹ Phương"]


def test_newly_founded_without_a_year_means_this_year(registry, admin):
    found = selectors.cooperative_list(
        user=admin, filters={"flags": [Flag.NEWLY_FOUNDED]}, today=date(2019, 5, 1)
    )
    assert names(found) == ["HTX Vận tải Lương Bằng", "Liên hiệp HTX Bắc Kạn"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("che my phuong", ["HTX Chè Mỹ Phương"]),
        ("Chè Mỹ Phương", ["HTX Chè Mỹ Phương"]),
        ("hop tac xa che", ["HTX Chè Mỹ Phương"]),
        ("luc van phong", ["HTX Cao Phong"]),  # the representative
        ("na pai", ["HTX Vận tải Lương Bằng"]),  # the street
        ("luong bang", ["HTX Vận tải Lương Bằng"]),  # the old commune
        ("yen thinh", ["HTX Cao Phong"]),  # the 2025 commune (Yên Thượng went into Yên Thịnh)
        ("ba be", ["HTX Chè Mỹ Phương"]),  # the district, in the address
        ("che trần", []),
    ],
)
def test_search_without_diacritics_on_name_code_representative_address(
    registry, admin, q, expected
):
    assert names(selectors.cooperative_list(user=admin, filters={"q": q})) == expected


def test_search_by_registration_code(registry, admin):
    code = registry["my_phuong"].tax_code
    assert names(selectors.cooperative_list(user=admin, filters={"q": code})) == [
        "HTX Chè Mỹ Phương"
    ]


def test_sorting(registry, admin):
    def order(sort):
        qs = selectors.cooperative_list(user=admin, filters={"sort": sort})
        return list(qs.values_list("name", flat=True))

    assert order("founded_on")[0] == "HTX Cao Phong"
    assert order("-founded_on")[0] == "Liên hiệp HTX Bắc Kạn"
    assert order("name") == sorted(order("name"))
    assert order("not-a-field") == order("name")


def test_listed_existing_on_a_date_follows_the_status_history(registry, admin):
    bac_kan = legacy_unit("06")
    my_phuong = registry["my_phuong"]
    for status, on in [
        (Status.DISSOLVING, date(2021, 3, 15)),
        (Status.DISSOLVED, date(2022, 1, 10)),
    ]:
        services.cooperative_change_status(
            cooperative=my_phuong, status=status, effective_on=on, by=admin, today=date(2026, 1, 1)
        )

    def count(on, **filters):
        listed = selectors.cooperative_list(user=admin, filters={"area": bac_kan, **filters})
        return listed.existing_on(on).count()

    assert count(date(2009, 6, 11)) == 0  # nothing founded yet
    assert count(date(2014, 12, 31)) == 2  # Cao Phong, Chè Mỹ Phương
    assert count(date(2019, 4, 30)) == 4
    assert count(date(2021, 12, 31)) == 4  # being dissolved still counts
    assert count(date(2022, 1, 10)) == 3  # dissolved that day
    assert count(date(2022, 1, 10), kind=Kind.COOPERATIVE) == 2
    assert len(selectors.cooperative_list(user=admin, filters={"area": bac_kan})) == 4


def test_listed_existing_on_a_date_is_scoped(registry, commune_officer):
    listed = selectors.cooperative_list(user=commune_officer)
    assert listed.existing_on(date(2025, 1, 1)).count() == 1


def test_change_history_lists_field_old_new_who_when(registry, district_officer):
    cao_phong = registry["cao_phong"]
    services.cooperative_update(
        cooperative=cao_phong, by=district_officer, version=1,
        members_count=85, sub_sector=SubSector.AGRI_GENERAL,
    )  # fmt: skip
    newest, created = selectors.cooperative_changes(cooperative=cao_phong)
    assert created.action == "+"
    assert newest.who == "Hoàng Văn An"
    shown = {(c.field, c.old, c.new) for c in newest.changes}
    assert ("members_count", "—", "85") in shown
    assert ("sub_sector", str(SubSector.CROPS.label), str(SubSector.AGRI_GENERAL.label)) in shown


def test_list_query_is_a_single_select(registry, admin, django_assert_num_queries):
    bac_kan = legacy_unit("06")
    with django_assert_num_queries(1):
        rows = list(selectors.cooperative_list(user=admin, filters={"area": bac_kan}))
    with django_assert_num_queries(0):
        [(r.commune_legacy.name, r.district_legacy.name, r.commune.name) for r in rows]


def test_officers_scope_is_a_denormalised_column_without_a_join(
    registry, province_officer, district_officer, commune_officer, outsider, current_officer,
    make_user,
):  # fmt: skip
    """Each officer's scope filters on the organisation's own column of his area's (era,
    level), not on the commune's path (a join to the units); it selects the same rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hoptac.registry.models import Cooperative

    nghia_ta_2025 = AdminUnit.objects.get(era="2025", code="02071")
    current_commune = make_user("xa2025", "commune_officer", nghia_ta_2025)
    officers = [
        (province_officer, "province_legacy_id", "commune_legacy"),
        (district_officer, "district_legacy_id", "commune_legacy"),
        (commune_officer, "commune_legacy_id", "commune_legacy"),
        (outsider, "commune_legacy_id", "commune_legacy"),
        (current_officer, "province_id", "commune"),
        (current_commune, "commune_id", "commune"),
    ]
    for officer, column, commune in officers:
        seen = Cooperative.objects.visible_to(officer)
        sql = str(seen.query)
        assert "areas_adminunit" not in sql
        assert f'"registry_cooperative"."{column}" = {officer.area_id}' in sql
        by_path = Cooperative.objects.filter(**{f"{commune}__path__startswith": officer.area.path})
        assert set(seen) == set(by_path)
        with CaptureQueriesContext(connection) as queries:
            selectors.cooperative_list(user=officer, filters={"area": officer.area}).count()
        assert "areas_adminunit" not in queries[0]["sql"]
    assert Cooperative.objects.visible_to(current_commune).count() == 1
