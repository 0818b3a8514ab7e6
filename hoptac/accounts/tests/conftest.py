"""Accounts' own fixtures, beside the actors of the root conftest.py."""

import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD

LOGIN_URL = reverse("accounts:login")


@pytest.fixture
def coop_manager(make_user, luong_bang):
    """An HTX manager whose HTX lies in Xã Lương Bằng (the commune officer's commune)."""
    return make_user("htx1", "coop_manager", luong_bang, full_name="Lục Văn Phong")


@pytest.fixture
def sign_in(client):
    """POST the sign-in form as a person would (django-axes sees every attempt)."""

    def post(username: str, password: str = TEST_PASSWORD, **extra: str):
        return client.post(LOGIN_URL, {"username": username, "password": password, **extra})

    return post
