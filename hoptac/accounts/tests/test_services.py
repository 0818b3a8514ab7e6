"""Writes to accounts: who may do what, what is checked, and what the history records."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.accounts import selectors, services
from hoptac.accounts.models import User
from hoptac.accounts.tests.factories import locked_out
from hoptac.areas.models import AdminUnit

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Lua-nuong-2026"


def _create(by, **overrides):
    data = {
        "username": "xa.moi",
        "role": "commune_officer",
        "password": GOOD_PASSWORD,
        "full_name": "Nông Thị Mai",
        **overrides,
    }
    return services.user_create(by=by, **data)


def test_province_officer_creates_commune_officer_inside_his_province(province_officer, luong_bang):
    user = _create(province_officer, area=luong_bang)
    user.refresh_from_db()
    assert (user.role, user.area, user.is_active) == ("commune_officer", luong_bang, True)
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    assert user.search_name == "xa.moi nong thi mai"
    assert user.history.get().history_user == province_officer


def test_admin_role_gets_the_admin_site_and_no_area(admin):
    user = _create(admin, username="qt2", role="admin")
    assert user.is_staff
    assert user.is_superuser


@pytest.mark.parametrize(
    ("role", "area_code", "field"),
    [
        pytest.param("commune_officer", ("legacy", "06"), "area", id="province-as-commune"),
        pytest.param("district_officer", ("legacy", "02062"), "area", id="commune-as-district"),
        pytest.param("province_officer", None, "area", id="officer-without-area"),
        pytest.param("admin", ("legacy", "06"), "area", id="admin-with-area"),
    ],
)
def test_area_must_fit_the_role(admin, role, area_code, field):
    area = AdminUnit.objects.get(era=area_code[0], code=area_code[1]) if area_code else None
    with pytest.raises(ValidationError) as caught:
        _create(admin, role=role, area=area)
    assert field in caught.value.error_dict
    assert not User.objects.filter(username="xa.moi").exists()


def test_province_officer_cannot_give_admin_role(province_officer):
    with pytest.raises(ValidationError) as caught:
        _create(province_officer, role="admin")
    assert "role" in caught.value.error_dict


def test_province_officer_cannot_place_account_outside_his_province(province_officer, thai_nguyen):
    commune_2025 = AdminUnit.objects.filter(era="2025", level=3, province=thai_nguyen).first()
    with pytest.raises(ValidationError) as caught:
        _create(province_officer, area=commune_2025)
    assert "area" in caught.value.error_dict


def test_province_officer_must_give_a_manager_an_area(province_officer):
    with pytest.raises(ValidationError) as caught:
        _create(province_officer, role="coop_manager")
    assert "area" in caught.value.error_dict


@pytest.mark.parametrize("actor", ["commune_officer", "district_officer"])
def test_officers_below_province_create_no_account(request, actor, luong_bang):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(actor), area=luong_bang)


def test_password_validators_apply(admin, luong_bang):
    with pytest.raises(ValidationError) as caught:
        _create(admin, area=luong_bang, password="12345678")
    assert "password" in caught.value.error_dict


def test_username_must_be_free(admin, commune_officer, luong_bang):
    with pytest.raises(ValidationError) as caught:
        _create(admin, area=luong_bang, username=commune_officer.username)
    assert "username" in caught.value.error_dict


def _update(by, user, **changes):
    data = {
        "role": user.role,
        "area": user.area,
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        **changes,
    }
    return services.user_update(by=by, user=user, **data)


def test_history_records_role_and_area_change_with_the_actor(
    admin, commune_officer, cho_don, luong_bang
):
    _update(admin, commune_officer, role="district_officer", area=cho_don)
    latest = commune_officer.history.first()
    assert latest.history_user == admin
    assert (latest.role, latest.area_id) == ("district_officer", cho_don.pk)

    entry = selectors.user_history(user=commune_officer)[0]
    assert entry.actor == admin
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["vai trò"] == ("Cán bộ cấp xã", "Cán bộ cấp huyện")
    assert changes["địa bàn"] == (str(luong_bang), str(cho_don))


def test_deactivate_then_reactivate(province_officer, commune_officer):
    _update(province_officer, commune_officer, is_active=False)
    commune_officer.refresh_from_db()
    assert not commune_officer.is_active
    _update(province_officer, commune_officer, is_active=True)
    commune_officer.refresh_from_db()
    assert commune_officer.is_active
    assert User.objects.filter(pk=commune_officer.pk).exists()


def test_nobody_changes_his_own_role_area_or_activity(province_officer, cho_don):
    with pytest.raises(ValidationError) as caught:
        _update(
            province_officer,
            province_officer,
            role="district_officer",
            area=cho_don,
            is_active=False,
        )
    assert set(caught.value.error_dict) == {"role", "area", "is_active"}
    _update(province_officer, province_officer, phone="0209 3870 000")  # details are fine


def test_province_officer_cannot_change_admin_or_other_province(
    province_officer, admin, current_officer
):
    for target in (admin, current_officer):
        with pytest.raises(PermissionDenied):
            _update(province_officer, target, full_name="X")


def test_province_officer_cannot_move_account_out_of_his_province(
    province_officer, commune_officer, thai_nguyen
):
    with pytest.raises(ValidationError) as caught:
        _update(province_officer, commune_officer, role="province_officer", area=thai_nguyen)
    assert "area" in caught.value.error_dict


def test_demoting_an_admin_takes_the_admin_site_away(admin, make_user, bac_kan):
    other = make_user("qt3", "admin", is_staff=True, is_superuser=True)
    _update(admin, other, role="province_officer", area=bac_kan)
    other.refresh_from_db()
    assert not (other.is_staff)
    assert not (other.is_superuser)


def test_set_typed_and_generated_password(admin, commune_officer):
    services.user_set_password(by=admin, user=commune_officer, password=GOOD_PASSWORD)
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(GOOD_PASSWORD)
    generated = services.user_set_password(by=admin, user=commune_officer)
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(generated)
    latest = commune_officer.history.first()
    assert (latest.history_user, latest.history_change_reason) == (admin, "password_set")


def test_set_password_checks_validators_and_rights(admin, province_officer, commune_officer):
    with pytest.raises(ValidationError):
        services.user_set_password(by=admin, user=commune_officer, password="abc")
    with pytest.raises(PermissionDenied):
        services.user_set_password(by=commune_officer, user=commune_officer)
    with pytest.raises(PermissionDenied):
        services.user_set_password(by=province_officer, user=admin)


def test_unlock_removes_the_attempts_of_that_user_only(admin, province_officer, commune_officer):
    for name in ("xa1", "xa2"):
        locked_out(name)
    assert selectors.user_is_locked(user=commune_officer)
    with pytest.raises(PermissionDenied):
        services.user_unlock(by=province_officer, user=commune_officer)
    assert services.user_unlock(by=admin, user=commune_officer) == 1
    assert not selectors.user_is_locked(user=commune_officer)
    assert AccessAttempt.objects.filter(username="xa2").exists()
