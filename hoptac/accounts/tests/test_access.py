"""Who may see and change which accounts (hoptac.accounts.access).

The first half uses unsaved objects (no database): a unit is its tree and path. The second
half runs the same rules as queries over the real units of both trees.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from hoptac.accounts import access
from hoptac.accounts.models import User
from hoptac.areas.models import AdminUnit

BAC_KAN = AdminUnit(pk=1, era="legacy", level=1, path="legacy/06")
CHO_DON = AdminUnit(pk=2, era="legacy", level=2, path="legacy/06/064")
LUONG_BANG = AdminUnit(pk=3, era="legacy", level=3, path="legacy/06/064/02062")
NGHIA_TA = AdminUnit(pk=4, era="legacy", level=3, path="legacy/06/064/02071")
HA_NOI = AdminUnit(pk=5, era="legacy", level=1, path="legacy/01")
THAI_NGUYEN = AdminUnit(pk=6, era="2025", level=1, path="2025/19")
THAI_NGUYEN_COMMUNE = AdminUnit(pk=7, era="2025", level=3, path="2025/19/02071")


def person(role, area=None, pk=None, **extra):
    return User(pk=pk, username=f"{role}-{pk}", role=role, area=area, **extra)


ADMIN = person("admin", pk=10)
PROVINCE = person("province_officer", BAC_KAN, pk=11)
DISTRICT = person("district_officer", CHO_DON, pk=12)
COMMUNE = person("commune_officer", LUONG_BANG, pk=13)
OTHER_COMMUNE = person("commune_officer", NGHIA_TA, pk=14)
OTHER_PROVINCE = person("province_officer", HA_NOI, pk=15)
CURRENT = person("province_officer", THAI_NGUYEN, pk=16)
MANAGER = person("coop_manager", LUONG_BANG, pk=17)
LOOSE_MANAGER = person("coop_manager", None, pk=18)
ANONYMOUS = AnonymousUser()


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (ADMIN, True),
        (PROVINCE, True),
        (DISTRICT, False),
        (COMMUNE, False),
        (MANAGER, False),
        (ANONYMOUS, False),
    ],
    ids=["admin", "province", "district", "commune", "manager", "anonymous"],
)
def test_who_manages_accounts(actor, expected):
    assert access.may_manage_users(actor) is expected


@pytest.mark.parametrize(
    ("actor", "target", "expected"),
    [
        pytest.param(ADMIN, PROVINCE, True, id="admin-any-officer"),
        pytest.param(ADMIN, LOOSE_MANAGER, True, id="admin-manager-without-area"),
        pytest.param(PROVINCE, COMMUNE, True, id="province-commune-inside"),
        pytest.param(PROVINCE, DISTRICT, True, id="province-district-inside"),
        pytest.param(PROVINCE, MANAGER, True, id="province-manager-inside"),
        pytest.param(PROVINCE, ADMIN, False, id="province-never-admin"),
        pytest.param(PROVINCE, LOOSE_MANAGER, False, id="province-manager-without-area"),
        pytest.param(PROVINCE, OTHER_PROVINCE, False, id="province-other-province"),
        pytest.param(PROVINCE, CURRENT, False, id="province-other-tree"),
        pytest.param(
            PROVINCE,
            person("commune_officer", LUONG_BANG, pk=19, is_superuser=True),
            False,
            id="province-never-superuser",
        ),
        pytest.param(COMMUNE, OTHER_COMMUNE, False, id="commune-other-commune"),
        pytest.param(COMMUNE, MANAGER, False, id="commune-sees-but-does-not-manage"),
        pytest.param(DISTRICT, COMMUNE, False, id="district-does-not-manage"),
        pytest.param(ANONYMOUS, COMMUNE, False, id="anonymous"),
    ],
)
def test_who_changes_which_account(actor, target, expected):
    assert access.may_change_user(actor, target) is expected


def test_roles_each_actor_may_give():
    assert "admin" in access.assignable_roles(ADMIN)
    assert set(access.assignable_roles(PROVINCE)) == {
        "province_officer",
        "district_officer",
        "commune_officer",
        "coop_manager",
    }
    assert access.assignable_roles(COMMUNE) == []
    assert access.assignable_roles(ANONYMOUS) == []


@pytest.mark.parametrize(
    ("actor", "role", "area", "expected"),
    [
        pytest.param(ADMIN, "admin", None, True, id="admin-gives-admin"),
        pytest.param(ADMIN, "coop_manager", None, True, id="admin-manager-anywhere"),
        pytest.param(PROVINCE, "commune_officer", LUONG_BANG, True, id="province-inside"),
        pytest.param(PROVINCE, "admin", None, False, id="province-no-admin"),
        pytest.param(PROVINCE, "commune_officer", THAI_NGUYEN_COMMUNE, False, id="other-tree"),
        pytest.param(PROVINCE, "province_officer", HA_NOI, False, id="other-province"),
        pytest.param(PROVINCE, "coop_manager", None, False, id="province-manager-no-area"),
        pytest.param(COMMUNE, "commune_officer", LUONG_BANG, False, id="commune-officer-none"),
    ],
)
def test_who_may_place_an_account_where(actor, role, area, expected):
    assert access.may_assign(actor, role=role, area=area) is expected


def test_only_administrators_unlock():
    assert access.may_unlock_user(ADMIN, COMMUNE)
    assert not access.may_unlock_user(PROVINCE, COMMUNE)
    assert not access.may_unlock_user(ANONYMOUS, COMMUNE)


def test_inactive_or_arealess_officer_reaches_nothing():
    assert access.scope_of(person("commune_officer", LUONG_BANG, pk=20, is_active=False)).nothing
    assert access.scope_of(person("commune_officer", None, pk=21)).nothing


# --- the same rules as queries ------------------------------------------------------------


@pytest.mark.django_db
def test_area_q_follows_the_tree_of_the_officers_area(province_officer, current_officer):
    """restrict() over AdminUnit itself: `parent` stands for an old-tree unit field and
    `province` for a 2025-tree one; each officer is matched on the field of his own tree."""
    units = AdminUnit.objects.all()
    legacy_seen = access.restrict(units, province_officer, legacy="parent", current="province")
    expected = units.filter(path__startswith="legacy/06/")
    assert set(legacy_seen) == set(expected)
    assert legacy_seen.count() > 100  # Bắc Kạn's districts and communes

    current_seen = access.restrict(units, current_officer, legacy="parent", current="province")
    assert current_seen.exists()
    assert all(u.era == "2025" and u.province.path == "2025/19" for u in current_seen)
    assert not current_seen.filter(era="legacy").exists()


@pytest.mark.django_db
def test_restrict_gives_admin_everything_and_others_nothing_without_field(
    admin, commune_officer, coop_manager
):
    units = AdminUnit.objects.all()
    assert access.restrict(units, admin, legacy="parent").count() == units.count()
    # an old-tree officer and an object with only a 2025 field: nothing
    assert not access.restrict(units, commune_officer, current="province").exists()
    # an HTX manager reaches only what is bound to him; units are not
    assert not access.restrict(units, coop_manager, legacy="parent").exists()
    assert not access.restrict(units, AnonymousUser(), legacy="parent").exists()


@pytest.mark.django_db
def test_users_visible_to_each_actor(
    admin,
    province_officer,
    district_officer,
    commune_officer,
    outsider,
    current_officer,
    coop_manager,
):
    everyone = User.objects.all()

    def seen(actor):
        return set(access.users_visible_to(actor, everyone).values_list("username", flat=True))

    assert seen(admin) == {"admin1", "tinh1", "huyen1", "xa1", "xa2", "tinh2", "htx1"}
    assert seen(province_officer) == {"tinh1", "huyen1", "xa1", "xa2", "htx1"}
    assert seen(district_officer) == {"huyen1", "xa1", "xa2", "htx1"}
    assert seen(commune_officer) == {"xa1", "htx1"}
    assert seen(outsider) == {"xa2"}
    assert seen(current_officer) == {"tinh2"}
    assert seen(coop_manager) == {"htx1"}
    assert seen(AnonymousUser()) == set()


@pytest.mark.django_db
def test_area_q_takes_a_denormalised_column_of_the_areas_level(province_officer, district_officer):
    """With `area_fields`, an officer whose area's (era, level) has a column is matched on it
    (`province = area`, no join to the units); another level falls back to the path."""
    units = AdminUnit.objects.all()
    by_column = access.restrict(
        units, province_officer, legacy="parent", area_fields={("legacy", 1): "province"}
    )
    sql = str(by_column.query)
    assert f'"areas_adminunit"."province_id" = {province_officer.area_id}' in sql
    assert "JOIN" not in sql
    by_path = access.restrict(units, province_officer, legacy="parent")
    assert set(by_column) == set(by_path)
    assert "JOIN" in str(by_path.query)

    district = access.restrict(
        units, district_officer, legacy="parent", area_fields={("legacy", 1): "province"}
    )
    assert "JOIN" in str(district.query)
    assert set(district) == set(access.restrict(units, district_officer, legacy="parent"))
