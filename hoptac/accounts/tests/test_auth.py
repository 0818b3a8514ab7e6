"""Signing in and out: safe `next`, POST-only sign-out, and throttling by django-axes
(AXES_FAILURE_LIMIT = 5 failures per user name and address, then a 15-minute lockout)."""

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

USERS_URL = reverse("accounts:user_list")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_follows_a_local_next(client, sign_in, commune_officer):
    response = sign_in("xa1", next=USERS_URL)
    assert response.status_code == 302
    assert response.url == USERS_URL
    assert signed_in(client)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/users", "javascript:alert(1)"],
)
def test_sign_in_ignores_a_foreign_next(client, sign_in, commune_officer, next_url):
    response = sign_in("xa1", next=next_url)
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_private_page_sends_to_sign_in_and_back(client, commune_officer):
    response = client.get(USERS_URL)
    assert response.url == f"{reverse('accounts:login')}?next={USERS_URL}"
    page = client.get(response.url)
    assert f'value="{USERS_URL}"' in page.content.decode()  # the form carries `next`


def test_sign_out_is_post_only(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert signed_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not signed_in(client)


def test_sign_out_follows_only_a_local_next(client, commune_officer):
    client.force_login(commune_officer)
    response = client.post(reverse("accounts:logout"), {"next": "https://evil.example/"})
    assert response.url == reverse(settings.LOGOUT_REDIRECT_URL)


def test_change_own_password(client, commune_officer):
    client.force_login(commune_officer)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Lua-nuong-2026",
            "new_password2": "Lua-nuong-2026",
        },
        follow=True,
    )
    assert "Mật khẩu của bạn đã được thay đổi." in response.content.decode()
    commune_officer.refresh_from_db()
    assert commune_officer.check_password("Lua-nuong-2026")
    assert signed_in(client)


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, sign_in, commune_officer
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in("xa1", "wrong-password").status_code == 200
    fifth = sign_in("xa1", "wrong-password")
    assert fifth.status_code == 429  # the failure that reaches the limit locks at once
    sixth = sign_in("xa1", TEST_PASSWORD)
    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in html
    assert "Tài khoản tạm thời bị khóa" in html
    assert not signed_in(client)


def test_lockout_is_per_user_name(client, sign_in, commune_officer, outsider):
    for _ in range(5):
        sign_in("xa1", "wrong-password")
    assert sign_in("xa2").status_code == 302


def test_success_resets_the_failure_count(client, sign_in, commune_officer):
    for _ in range(4):
        sign_in("xa1", "wrong-password")
    assert sign_in("xa1").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert sign_in("xa1", "wrong-password").status_code == 200
    assert sign_in("xa1").status_code == 302  # 8 failures in all, but never 5 in a row


def test_admin_unlock_lets_the_locked_user_in_again(client, sign_in, admin, commune_officer):
    for _ in range(5):
        sign_in("xa1", "wrong-password")
    assert sign_in("xa1").status_code == 429
    client.force_login(admin)
    client.post(reverse("accounts:user_unlock", args=[commune_officer.pk]))
    client.post(reverse("accounts:logout"))
    assert sign_in("xa1").status_code == 302
    assert int(client.session["_auth_user_id"]) == commune_officer.pk


def test_login_page_shows_the_system_name_not_the_host(client):
    response = client.get("/accounts/login/")
    assert "Hệ thống quản lý phát triển hợp tác xã" in response.content.decode()
    assert "<title>testserver" not in response.content.decode()
