"""Personal API tokens: made by a user for himself or by the administrator for anyone, stored
hashed, shown once, revoked, expired; the page, the command, the audit log."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from hoptac.accounts import access
from hoptac.accounts.models import AuditEntry
from hoptac.api import services
from hoptac.api.models import ApiToken
from hoptac.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cooperatives"


def test_a_token_works_and_its_last_use_is_recorded(admin, alpha):
    issued = services.token_create(by=admin, user=admin, name="n", scope="read")
    assert issued.token.last_used_at is None
    response = ApiClient(issued.text).get(LIST)
    assert response.status_code == 200
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None


def test_the_token_is_stored_hashed(admin):
    issued = services.token_create(by=admin, user=admin, name="n", scope="read")
    row = ApiToken.objects.values().get(pk=issued.token.pk)
    assert all(issued.text not in str(value) for value in row.values())
    secret = issued.text.removeprefix(f"hoptac_{issued.token.lookup}_")
    assert all(secret not in str(value) for value in row.values())


def test_a_revoked_token_is_401(admin):
    issued = services.token_create(by=admin, user=admin, name="n", scope="read")
    services.token_revoke(by=admin, token=issued.token)
    assert ApiClient(issued.text).get(LIST).status_code == 401


def test_a_token_in_use_is_401_at_once_when_revoked(admin):
    """The token is cached once used (selectors.token_find); revoking it forgets it."""
    issued = services.token_create(by=admin, user=admin, name="n", scope="read")
    api = ApiClient(issued.text)
    assert api.get(LIST).status_code == 200
    services.token_revoke(by=admin, token=issued.token)
    assert api.get(LIST).status_code == 401


def test_a_token_in_use_is_read_once_then_from_the_cache_until_it_lapses(
    commune_officer, django_assert_num_queries, settings
):
    import time_machine

    from hoptac.api.selectors import TOKEN_CACHE_SECONDS, token_find

    # This process's memory (as without REDIS_URL), whose clock time-machine moves.
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tokens"}
    settings.CACHES = {**settings.CACHES, "default": local}
    issued = services.token_create(by=commune_officer, user=commune_officer, name="n", scope="read")
    now = timezone.now()
    with django_assert_num_queries(1):
        assert token_find(issued.text, now=now) == issued.token
    with django_assert_num_queries(0):
        assert token_find(issued.text, now=now) == issued.token
    commune_officer.is_active = False
    commune_officer.save()
    later = now + timedelta(seconds=TOKEN_CACHE_SECONDS + 1)
    with time_machine.travel(later, tick=False):  # the cached copy lapsed: read again
        assert token_find(issued.text, now=later) is None


def test_an_expired_token_is_401(admin):
    past = timezone.now() - timedelta(days=10)
    issued = services.token_create(by=admin, user=admin, name="n", scope="read", days=5, now=past)
    assert ApiClient(issued.text).get(LIST).status_code == 401


def test_a_token_of_a_deactivated_account_is_401(commune_officer):
    issued = services.token_create(by=commune_officer, user=commune_officer, name="n", scope="read")
    commune_officer.is_active = False
    commune_officer.save()
    assert ApiClient(issued.text).get(LIST).status_code == 401


def test_a_token_with_a_wrong_secret_is_401(admin):
    issued = services.token_create(by=admin, user=admin, name="n", scope="read")
    forged = issued.text[:-4] + ("AAAA" if not issued.text.endswith("AAAA") else "BBBB")
    assert ApiClient(forged).get(LIST).status_code == 401


def test_an_officer_makes_tokens_for_himself_only(commune_officer, district_officer):
    services.token_create(by=commune_officer, user=commune_officer, name="n", scope="read")
    with pytest.raises(PermissionDenied):
        services.token_create(by=commune_officer, user=district_officer, name="n", scope="read")


def test_the_administrator_makes_a_token_for_a_service_account(admin, make_user, bac_kan):
    service = make_user("svc.thongke", "province_officer", bac_kan)
    issued = services.token_create(by=admin, user=service, name="Cục Thống kê", scope="read")
    assert issued.token.user == service
    assert issued.token.created_by == admin


def test_making_and_revoking_are_in_the_audit_log(commune_officer):
    issued = services.token_create(by=commune_officer, user=commune_officer, name="n", scope="read")
    services.token_revoke(by=commune_officer, token=issued.token)
    details = [e.detail.get("api_token") for e in AuditEntry.objects.filter(actor=commune_officer)]
    assert details.count("created") == 1
    assert details.count("revoked") == 1


def test_the_command_prints_the_token_once_and_revokes_it(commune_officer):
    out = io.StringIO()
    call_command(
        "api_token", "create", "--user", commune_officer.username, "--scope", "read-write",
        "--days", "7", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    text = out.getvalue().strip()
    token = ApiToken.objects.get(user=commune_officer)
    assert token.scope == "read-write"
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert ApiClient(text).get(LIST).status_code == 200
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert ApiClient(text).get(LIST).status_code == 401


def test_the_page_shows_a_new_token_once_and_lists_only_ones_own(
    client, commune_officer, district_officer
):
    services.token_create(
        by=district_officer, user=district_officer, name="Của huyện", scope="read"
    )
    client.force_login(commune_officer)
    response = client.post(
        "/khoa-api/", {"name": "Bảng tính của xã", "scope": "read", "days": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=commune_officer)
    html = response.content.decode()
    assert "hoptac_" + token.lookup in html
    assert "Của huyện" not in html
    again = client.get("/khoa-api/").content.decode()
    assert "Bảng tính của xã" in again
    assert 'data-testid="token-text"' not in again  # shown once only


def test_the_page_revokes_ones_own_token_and_not_anothers(client, commune_officer, outsider):
    own = services.token_create(by=commune_officer, user=commune_officer, name="a", scope="read")
    other = services.token_create(by=outsider, user=outsider, name="b", scope="read")
    client.force_login(commune_officer)
    assert client.post(f"/khoa-api/{other.token.pk}/thu-hoi/").status_code == 404
    assert client.post(f"/khoa-api/{own.token.pk}/thu-hoi/").status_code == 302
    own.token.refresh_from_db()
    other.token.refresh_from_db()
    assert own.token.revoked_at is not None
    assert other.token.revoked_at is None


def test_the_page_is_linked_from_the_header(client, commune_officer):
    client.force_login(commune_officer)
    assert 'href="/khoa-api/"' in client.get("/khoa-api/").content.decode()


def test_a_bad_lifetime_is_refused_naming_the_field(client, commune_officer):
    client.force_login(commune_officer)
    response = client.post("/khoa-api/", {"name": "x", "scope": "read", "days": "9999"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_system_revokes_any_token(commune_officer):
    issued = services.token_create(by=commune_officer, user=commune_officer, name="n", scope="read")
    services.token_revoke(by=access.SYSTEM, token=issued.token)
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
