"""The API's fixtures: HTX in and out of the actors' areas, tokens, and a client that calls
with a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hoptac.accounts import access
from hoptac.api import services
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit


@pytest.fixture
def fresh_rate_limits(db, settings):
    """Each test starts with empty rate-limit counters (they live in the shared cache)."""
    from django.core.cache import caches

    from hoptac.api.throttling import forget_leases

    caches[settings.RATELIMIT_USE_CACHE].clear()
    forget_leases()


@pytest.fixture
def alpha(db):
    """An HTX in Xã Lương Bằng (old tree; Xã Nghĩa Tá of Thái Nguyên in the 2025 tree)."""
    return CooperativeFactory(name="HTX Alpha", tax_code="4700000001")


@pytest.fixture
def bravo(db):
    """An HTX in Xã Nghĩa Tá (old tree), Chợ Đồn: outside the commune officer's area."""
    return CooperativeFactory(
        name="HTX Bravo", tax_code="4700000002", commune_legacy=legacy_unit("02071")
    )


@pytest.fixture
def delta(db):
    """An HTX in Hà Nội: outside every Bắc Kạn / Thái Nguyên officer's area."""
    return CooperativeFactory(
        name="HTX Delta", tax_code="4700000004", commune_legacy=legacy_unit("00001")
    )


@pytest.fixture
def manager(make_user, luong_bang, alpha):
    user = make_user("htx.alpha", "coop_manager", luong_bang, full_name="Quản lý Alpha")
    alpha.managers.add(user)
    return user


class ApiClient(Client):
    """Django's test client calling the API with a token (or none) and JSON bodies."""

    def __init__(self, token: str | None = None, **defaults: Any) -> None:
        if token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**defaults)

    def send(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        call = getattr(self, method.lower())
        if body is None:
            return call(path, **headers)
        return call(path, data=body, content_type="application/json", **headers)


@pytest.fixture
def token_for(db):
    """token_for(user, scope="read-write") → an ApiClient with a fresh token of that user."""

    def make(user: Any, scope: str = "read-write", **extra: Any) -> ApiClient:
        issued = services.token_create(
            by=access.SYSTEM, user=user, name="test", scope=scope, **extra
        )
        client = ApiClient(issued.text)
        client.issued = issued  # type: ignore[attr-defined]
        return client

    return make
