"""Two-factor sign-in (TOTP): who must use it (HOPTAC_REQUIRE_2FA), forced enrolment, the
second step after the password, recovery codes, throttling of wrong codes, turning it off,
and an administrator's reset. Pages through the test client, devices in the real database."""

import base64
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from conftest import TEST_PASSWORD
from hoptac.accounts import access
from hoptac.accounts.two_factor import services

pytestmark = pytest.mark.django_db

USERS_URL = reverse("accounts:user_list")
VERIFY_URL = reverse("accounts:two_factor_verify")
SETUP_URL = reverse("accounts:two_factor_setup")
MANAGE_URL = reverse("accounts:two_factor")
REMOVE_URL = reverse("accounts:two_factor_remove")


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods of 30 s later)."""
    if device.pk:
        device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step)
    return f"{value:06d}"


def shown(page) -> TOTPDevice:
    """The app being enrolled, as the user's phone knows it: from the secret the page shows
    (the page stores nothing before a code confirms it)."""
    secret = page.context["secret"].replace(" ", "")
    return TOTPDevice(key=base64.b32decode(secret).hex())


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Give `user` a confirmed authenticator app and recovery codes, through the services."""
    device = services.totp_enrol_start(user=user, key=random_hex(20), save=True)
    codes = services.totp_enrol_confirm(user=user, device=device, code=code_of(device))
    device.refresh_from_db()
    return device, codes


def verified(client) -> bool:
    """Does the session pass the second step (a private page answers instead of redirecting)?"""
    return client.get(USERS_URL).status_code == 200


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def require(settings):
    """Set HOPTAC_REQUIRE_2FA for this test (the test settings' default is "none")."""

    def set_level(level: str) -> None:
        settings.HOPTAC_REQUIRE_2FA = level

    return set_level


# --- who must use it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "forced"),
    [
        ("admin", {"admin1"}),
        ("officer", {"admin1", "tinh1", "huyen1", "xa1"}),
        ("none", set()),
    ],
)
def test_who_must_use_two_factor_follows_the_setting(
    require, level, forced, admin, province_officer, district_officer, commune_officer, make_user
):
    manager = make_user("htx1", "coop_manager", commune_officer.area)
    require(level)
    users = [admin, province_officer, district_officer, commune_officer, manager]
    assert {u.username for u in users if access.must_use_two_factor(u)} == forced


def test_an_unknown_level_is_refused_at_start():
    env = {**os.environ, "HOPTAC_REQUIRE_2FA": "officers", "DJANGO_SETTINGS_MODULE": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.test"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: HOPTAC_REQUIRE_2FA must be one of admin, officer, none" in (
        result.stderr
    )


# --- forced enrolment -------------------------------------------------------------------------


def test_admin_without_app_is_sent_to_enrol_before_any_page(client, sign_in, require, admin):
    require("admin")
    response = sign_in("admin1", next=USERS_URL)
    assert response.url == USERS_URL  # the password step as before
    for url in (USERS_URL, reverse("portal:home"), MANAGE_URL, reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{SETUP_URL}?next={url.replace('/', '%2F')}"


def test_forced_enrolment_shows_qr_and_secret_then_ten_recovery_codes_once(
    client, sign_in, require, admin
):
    require("admin")
    sign_in("admin1")
    page = client.get(f"{SETUP_URL}?next={USERS_URL}")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg width="' in html  # the QR code, drawn on the server
    assert "Thiết lập xác thực hai bước" in html
    assert not TOTPDevice.objects.filter(user=admin).exists()  # showing it writes nothing
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")

    done = client.post(SETUP_URL, {"code": code_of(shown(page)), "next": USERS_URL})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert verified(client)
    assert not any(code in client.get(MANAGE_URL).content.decode() for code in codes)


def test_a_wrong_code_does_not_confirm_the_enrolment(client, sign_in, require, admin):
    require("admin")
    sign_in("admin1")
    device = shown(client.get(SETUP_URL))
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP_URL, {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực: Mã này không đúng hoặc đã hết hạn." in response.content.decode()
    assert not TOTPDevice.objects.get(user=admin).confirmed  # kept, with its throttle
    assert not verified(client)


def test_a_malformed_code_gets_a_vietnamese_message_naming_the_field(
    client, sign_in, require, admin
):
    require("admin")
    sign_in("admin1")
    response = client.post(SETUP_URL, {"code": "12ab"})
    assert "Mã xác thực: Hãy nhập 6 chữ số từ ứng dụng xác thực." in response.content.decode()


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, sign_in, require, admin):
    require("admin")
    sign_in("admin1")
    first = client.get(SETUP_URL).context["secret"]
    assert client.get(SETUP_URL).context["secret"] == first
    assert not TOTPDevice.objects.filter(user=admin).exists()  # the secret is in the session


def test_officer_level_forces_a_commune_officer(client, sign_in, require, commune_officer):
    require("officer")
    sign_in("xa1")
    response = client.get(USERS_URL)
    assert response.status_code == 302
    assert response.url.startswith(SETUP_URL)


def test_admin_level_does_not_force_an_officer(client, sign_in, require, commune_officer):
    require("admin")
    sign_in("xa1")
    assert verified(client)


def test_none_level_forces_nobody_but_anyone_may_enrol(client, sign_in, require, admin):
    require("none")
    sign_in("admin1")
    assert verified(client)
    page = client.get(MANAGE_URL).content.decode()
    assert "Tài khoản của bạn chưa bật xác thực hai bước." in page
    device = shown(client.get(SETUP_URL))
    response = client.post(SETUP_URL, {"code": code_of(device)})
    assert len(response.context["codes"]) == 10
    assert services.status_of(admin).enrolled


# --- the second step --------------------------------------------------------------------------


def test_a_user_with_an_app_owes_a_code_after_his_password(client, sign_in, commune_officer):
    enrol(commune_officer)
    sign_in("xa1", next=USERS_URL)
    response = client.get(USERS_URL)
    assert response.status_code == 302
    assert response.url == f"{VERIFY_URL}?next=%2Faccounts%2Fusers%2F"
    assert "Xác thực hai bước" in client.get(response.url).content.decode()


def test_a_wrong_code_is_refused(client, sign_in, commune_officer):
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    wrong = f"{(int(code_of(device, steps_ahead=3)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY_URL, {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực: Mã này không đúng hoặc đã hết hạn." in response.content.decode()
    assert not verified(client)


def test_the_right_code_passes_and_goes_to_next(client, sign_in, commune_officer):
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    response = client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1), "next": USERS_URL})
    assert response.status_code == 302
    assert response.url == USERS_URL
    assert verified(client)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_second_step_ignores_a_foreign_next(client, sign_in, commune_officer, next_url):
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    response = client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1), "next": next_url})
    assert response.url == reverse(django_settings.LOGIN_REDIRECT_URL)


def test_a_code_is_accepted_once(client, sign_in, commune_officer):
    device, _codes = enrol(commune_officer)
    code = code_of(device, steps_ahead=1)
    sign_in("xa1")
    assert client.post(VERIFY_URL, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in("xa1")
    assert client.post(VERIFY_URL, {"code": code}).status_code == 200  # replayed: refused
    assert not verified(client)


def test_a_recovery_code_works_once(client, sign_in, commune_officer):
    _device, codes = enrol(commune_officer)
    sign_in("xa1")
    response = client.post(VERIFY_URL, {"code": codes[0].upper(), "next": USERS_URL})
    assert response.url == USERS_URL
    page = client.get(USERS_URL, follow=True).content.decode()
    assert "Bạn đã đăng nhập bằng một mã dự phòng; còn lại 9 mã." in page
    client.post(reverse("accounts:logout"))

    sign_in("xa1")
    response = client.post(VERIFY_URL, {"code": codes[0]})
    assert response.status_code == 200
    assert not verified(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # after the wrong one's wait
        assert client.post(VERIFY_URL, {"code": codes[1]}).status_code == 302


def test_after_a_wrong_code_the_device_waits_before_the_next(client, sign_in, commune_officer):
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    wrong = f"{(int(code_of(device, steps_ahead=3)) + 1) % 1_000_000:06d}"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post(VERIFY_URL, {"code": wrong})
        right = code_of(device, steps_ahead=1)
        response = client.post(VERIFY_URL, {"code": right})
        assert "Nhập sai mã quá nhiều lần: hãy đợi 1 giây rồi thử lại." in (
            response.content.decode()
        )
        traveller.shift(timedelta(seconds=2))
        assert client.post(VERIFY_URL, {"code": right}).status_code == 302


def test_wrong_codes_count_as_failed_sign_ins_and_lock_out(
    client, sign_in, settings, commune_officer
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between codes: axes alone is tested here
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    wrong = f"{(int(code_of(device, steps_ahead=3)) + 1) % 1_000_000:06d}"
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY_URL, {"code": wrong}).status_code == 200
    assert AccessAttempt.objects.get(username="xa1").failures_since_start == 4
    response = client.post(VERIFY_URL, {"code": wrong})
    assert response.status_code == 429
    assert not signed_in(client)  # the half-done sign-in ended
    assert sign_in("xa1").status_code == 429  # and the password is refused for a while


# --- what the second step lets through ----------------------------------------------------


def test_sign_out_and_language_switch_work_before_the_second_step(client, sign_in, commune_officer):
    enrol(commune_officer)
    sign_in("xa1")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/en/"})
    assert response.status_code == 302
    assert response.url == "/en/"
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not signed_in(client)


def test_an_htmx_request_before_the_second_step_is_told_to_load_the_page(
    client, sign_in, commune_officer
):
    enrol(commune_officer)
    sign_in("xa1")
    response = client.get(USERS_URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(VERIFY_URL)


def test_the_enrolment_page_asks_for_the_code_of_an_existing_app_first(
    client, sign_in, commune_officer
):
    """The password alone must not let anyone put his own app in place of the user's."""
    device, _codes = enrol(commune_officer)
    sign_in("xa1")
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY_URL)
    assert client.post(SETUP_URL, {"code": "123456"}).url.startswith(VERIFY_URL)
    assert list(TOTPDevice.objects.filter(user=commune_officer)) == [device]


# --- the user's own page --------------------------------------------------------------------


def test_moving_to_a_new_app_replaces_the_old_one_and_the_recovery_codes(client, commune_officer):
    old, old_codes = enrol(commune_officer)
    client.force_login(commune_officer)
    client.post(VERIFY_URL, {"code": code_of(old, steps_ahead=1)})
    new = shown(client.get(SETUP_URL))
    response = client.post(SETUP_URL, {"code": code_of(new)})
    assert set(response.context["codes"]).isdisjoint(old_codes)
    (kept,) = TOTPDevice.objects.filter(user=commune_officer)
    assert kept.key == new.key
    assert verified(client)


def test_new_recovery_codes_void_the_old_ones(client, commune_officer):
    device, old_codes = enrol(commune_officer)
    client.force_login(commune_officer)
    client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1)})
    response = client.post(reverse("accounts:two_factor_recovery_codes"))
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)
    tokens = set(StaticToken.objects.filter(device__user=commune_officer).values_list("token"))
    assert tokens == {(code.replace("-", ""),) for code in new_codes}


def test_a_user_turns_it_off_with_a_current_code(client, require, commune_officer):
    require("admin")
    device, _codes = enrol(commune_officer)
    client.force_login(commune_officer)
    client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1)})
    wrong = f"{(int(code_of(device, steps_ahead=3)) + 1) % 1_000_000:06d}"
    refused = client.post(REMOVE_URL, {"code": wrong})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=commune_officer).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # after the wrong one's wait
        response = client.post(REMOVE_URL, {"code": code_of(device, steps_ahead=2)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=commune_officer).exists()
    assert not StaticDevice.objects.filter(user=commune_officer).exists()
    assert verified(client)  # not required of a commune officer at this level


def test_turning_it_off_is_refused_where_the_role_requires_it(client, require, admin):
    require("admin")
    device, _codes = enrol(admin)
    client.force_login(admin)
    client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1)})
    page = client.get(MANAGE_URL).content.decode()
    assert REMOVE_URL not in page
    response = client.post(REMOVE_URL, {"code": code_of(device, steps_ahead=2)})  # a good code
    assert response.status_code == 400
    assert response.context["remove_form"].non_field_errors() == [
        "Xác thực hai bước là bắt buộc với vai trò của bạn: bạn có thể chuyển sang thiết bị mới "
        "nhưng không thể tắt."
    ]
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_the_header_links_to_the_two_factor_page(client, commune_officer):
    client.force_login(commune_officer)
    assert f'href="{MANAGE_URL}"' in client.get(USERS_URL).content.decode()


# --- an administrator's reset ---------------------------------------------------------------


def _reset_url(user) -> str:
    return reverse("accounts:user_two_factor_reset", args=[user.pk])


def test_admin_resets_an_officers_two_factor_from_the_edit_page(client, admin, commune_officer):
    enrol(commune_officer)
    client.force_login(admin)
    edit = client.get(reverse("accounts:user_edit", args=[commune_officer.pk]))
    assert _reset_url(commune_officer) in edit.content.decode()
    response = client.post(_reset_url(commune_officer))
    assert response.url == reverse("accounts:user_edit", args=[commune_officer.pk])
    assert not services.status_of(commune_officer).enrolled
    assert not StaticDevice.objects.filter(user=commune_officer).exists()

    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "xa1", "password": TEST_PASSWORD})
    assert verified(client)  # the password alone again


def test_a_reset_ends_the_verified_state_of_the_users_open_session(
    client, require, admin, commune_officer
):
    require("officer")
    device, _codes = enrol(commune_officer)
    client.force_login(commune_officer)
    client.post(VERIFY_URL, {"code": code_of(device, steps_ahead=1)})
    assert verified(client)
    from hoptac.accounts.services import two_factor_reset

    two_factor_reset(user=commune_officer, by=admin)
    response = client.get(USERS_URL)
    assert response.status_code == 302
    assert client.get(response.url).url.startswith(SETUP_URL)  # required: enrol again


def test_a_provincial_officer_may_not_reset_two_factor(client, province_officer, commune_officer):
    enrol(commune_officer)
    client.force_login(province_officer)
    edit = client.get(reverse("accounts:user_edit", args=[commune_officer.pk]))
    assert edit.status_code == 200
    assert _reset_url(commune_officer) not in edit.content.decode()
    assert client.post(_reset_url(commune_officer)).status_code == 403
    assert services.status_of(commune_officer).enrolled


def test_an_officer_of_another_tree_gets_404(client, current_officer, commune_officer):
    enrol(commune_officer)
    client.force_login(current_officer)
    assert client.post(_reset_url(commune_officer)).status_code == 404
    assert services.status_of(commune_officer).enrolled


def test_reset_is_post_only(client, admin, commune_officer):
    enrol(commune_officer)
    client.force_login(admin)
    assert client.get(_reset_url(commune_officer)).status_code == 405


def test_the_secret_is_base32_in_groups_for_typing(commune_officer):
    device = services.totp_enrol_start(user=commune_officer, key=random_hex(20), save=False)
    secret = services.secret_of(device)
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", secret)
    assert len(secret.replace(" ", "")) == 32  # 20 random bytes
