"""The audit log (hoptac.accounts.audit): each kind of event is recorded, with who, from which
address and browser; entries cannot be changed or deleted, except by the retention purge."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone

from conftest import TEST_PASSWORD
from hoptac.accounts import audit, services
from hoptac.accounts.choices import AuditAction
from hoptac.accounts.models import AppendOnlyError, AuditEntry, User

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("accounts:login")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def post_sign_in(client, username: str, password: str = TEST_PASSWORD, **meta: str):
    meta.setdefault("REMOTE_ADDR", "203.0.113.7")
    meta.setdefault("HTTP_USER_AGENT", BROWSER)
    return client.post(LOGIN_URL, {"username": username, "password": password}, **meta)


# --- sign-in, sign-out, failed sign-in, lockout -----------------------------------------------


def test_sign_in_through_the_login_page_is_recorded(client, commune_officer):
    assert post_sign_in(client, "xa1").status_code == 302
    [entry] = entries(AuditAction.SIGN_IN)
    assert entry.actor == commune_officer
    assert entry.username == "xa1"
    assert entry.ip_address == "203.0.113.7"
    assert entry.user_agent == BROWSER


def test_a_long_user_agent_is_cut(client, commune_officer):
    post_sign_in(client, "xa1", HTTP_USER_AGENT="x" * 1000)
    assert len(entries(AuditAction.SIGN_IN)[0].user_agent) == audit.USER_AGENT_LENGTH


def test_failed_sign_in_keeps_the_name_as_typed_and_no_actor(client, commune_officer):
    assert post_sign_in(client, "XA1", "wrong-password").status_code == 200
    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert entry.actor is None
    assert entry.username == "XA1"  # as typed, not the account's "xa1"
    assert entry.ip_address == "203.0.113.7"
    assert "wrong-password" not in str(entry.detail)
    assert not entries(AuditAction.SIGN_IN)


def test_failed_sign_in_of_an_unknown_name_is_recorded(client):
    post_sign_in(client, "nobody", "whatever")
    assert [e.username for e in entries(AuditAction.SIGN_IN_FAILED)] == ["nobody"]


def test_sign_out_is_recorded(client, commune_officer):
    post_sign_in(client, "xa1")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="203.0.113.8")
    [entry] = entries(AuditAction.SIGN_OUT)
    assert entry.actor == commune_officer
    assert entry.ip_address == "203.0.113.8"


def test_lockout_is_recorded_once_and_refused_attempts_as_failures(client, commune_officer):
    for _ in range(5):  # AXES_FAILURE_LIMIT: the fifth failure sets the lock
        post_sign_in(client, "xa1", "wrong-password")
    [lock] = entries(AuditAction.LOCKED_OUT)
    assert lock.username == "xa1"
    assert lock.actor is None
    assert lock.ip_address == "203.0.113.7"
    assert lock.detail == {"failures": 5}
    assert post_sign_in(client, "xa1").status_code == 429  # the right password, while locked
    assert len(entries(AuditAction.LOCKED_OUT)) == 1
    failures = entries(AuditAction.SIGN_IN_FAILED)
    assert len(failures) == 6
    assert [f.detail for f in failures[-2:]] == [{}, {"locked_out": True}]
    assert not entries(AuditAction.SIGN_IN)


def test_unlock_by_the_administrator_is_recorded(client, admin, commune_officer):
    for _ in range(5):
        post_sign_in(client, "xa1", "wrong-password")
    client.force_login(admin)
    client.post(
        reverse("accounts:user_unlock", args=[commune_officer.pk]), REMOTE_ADDR="198.51.100.2"
    )
    [entry] = entries(AuditAction.UNLOCKED)
    assert entry.actor == admin
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(commune_officer.pk))
    assert entry.object_repr == "Ma Văn Bình"
    assert entry.detail == {"records": 1}
    assert entry.ip_address == "198.51.100.2"  # the request's, though a service wrote it


# --- the address behind proxies: the audit log and django-axes agree -------------------------


def test_behind_a_proxy_the_forwarded_address_is_recorded_by_both(
    client, settings, commune_officer
):
    settings.HOPTAC_PROXY_COUNT = 1
    post_sign_in(
        client,
        "xa1",
        "wrong-password",
        REMOTE_ADDR="10.0.0.1",  # nginx
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.50",
    )
    assert entries(AuditAction.SIGN_IN_FAILED)[0].ip_address == "203.0.113.50"
    # before AXES_CLIENT_IP_CALLABLE, axes (without django-ipware) saw only the proxy
    assert AccessAttempt.objects.get(username="xa1").ip_address == "203.0.113.50"


def test_a_forged_forwarded_address_is_not_recorded(client, settings, commune_officer):
    settings.HOPTAC_PROXY_COUNT = 1
    post_sign_in(client, "xa1", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert entries(AuditAction.SIGN_IN_FAILED)[0].ip_address is None


# --- accounts and roles ---------------------------------------------------------------------


def test_account_created_through_the_page_is_recorded(client, admin, luong_bang):
    client.force_login(admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "xa9",
            "full_name": "Lý Thị Mai",
            "role": "commune_officer",
            "area": luong_bang.pk,
            "password": "Lua-nuong-2026",
            "password_again": "Lua-nuong-2026",
        },
        REMOTE_ADDR="198.51.100.3",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = entries(AuditAction.USER_CREATED)
    created = User.objects.get(username="xa9")
    assert entry.actor == admin
    assert entry.object_id == str(created.pk)
    assert entry.detail == {"role": "commune_officer", "area": luong_bang.path}
    assert (entry.ip_address, entry.user_agent) == ("198.51.100.3", BROWSER)


def _update(by: User, user: User, **changes):
    current = {
        "role": user.role,
        "area": user.area,
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
    }
    return services.user_update(by=by, user=user, **{**current, **changes})


def test_role_and_area_change_is_recorded_with_old_and_new(
    admin, commune_officer, luong_bang, cho_don
):
    _update(admin, commune_officer, role="district_officer", area=cho_don)
    [entry] = entries(AuditAction.ROLE_CHANGED)
    assert entry.actor == admin
    assert entry.detail == {
        "role": ["commune_officer", "district_officer"],
        "area": ["legacy/06/064/02062", "legacy/06/064"],
    }
    assert [luong_bang.path, cho_don.path] == entry.detail["area"]
    assert not entries(AuditAction.USER_CHANGED)


def test_deactivation_and_activation_are_recorded(admin, commune_officer):
    _update(admin, commune_officer, is_active=False)
    _update(admin, commune_officer, is_active=True)
    assert [e.object_id for e in entries(AuditAction.USER_DEACTIVATED)] == [str(commune_officer.pk)]
    assert len(entries(AuditAction.USER_ACTIVATED)) == 1
    assert not entries(AuditAction.ROLE_CHANGED)


def test_a_change_of_details_names_the_fields_not_their_values(admin, commune_officer):
    _update(admin, commune_officer, phone="0912345678", email="binh@example.vn")
    [entry] = entries(AuditAction.USER_CHANGED)
    assert entry.detail == {"fields": ["phone", "email"]}
    assert "0912345678" not in str(entry.detail)


def test_saving_without_a_change_records_nothing(admin, commune_officer):
    _update(admin, commune_officer)
    assert not AuditEntry.objects.exclude(action=AuditAction.SIGN_IN).exists()


def test_password_reset_is_recorded_without_the_password(client, admin, commune_officer):
    client.force_login(admin)
    client.post(reverse("accounts:user_password", args=[commune_officer.pk]), {"mode": "generate"})
    [entry] = entries(AuditAction.PASSWORD_SET)
    assert entry.actor == admin
    assert entry.object_id == str(commune_officer.pk)
    assert set(entry.detail) == {"generated"}


def test_two_factor_reset_is_recorded(admin, commune_officer):
    services.two_factor_reset(user=commune_officer, by=admin)
    [entry] = entries(AuditAction.TWO_FACTOR_RESET)
    assert (entry.actor, entry.object_id) == (admin, str(commune_officer.pk))
    assert entry.detail == {"devices": 0}


def test_a_refused_change_records_nothing(admin, commune_officer):
    with pytest.raises(PermissionDenied):
        _update(commune_officer, admin, role="commune_officer")
    assert not entries(AuditAction.ROLE_CHANGED)


# --- append-only ----------------------------------------------------------------------------


def test_a_stored_entry_cannot_be_changed_or_deleted_from_the_app(commune_officer):
    entry = audit.record(AuditAction.SIGN_IN, actor=commune_officer)
    entry.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(username="someone-else")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["username"])
    assert AuditEntry.objects.get(pk=entry.pk).username == "xa1"


def test_a_deleted_account_leaves_its_entries_naming_it(client, commune_officer):
    post_sign_in(client, commune_officer.username)
    officer_id = commune_officer.pk
    commune_officer.delete()  # accounts are deactivated as a rule; deleting must still work
    (entry,) = entries(AuditAction.SIGN_IN)
    assert (entry.actor_id, entry.username) == (officer_id, "xa1")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_in_sql(commune_officer):
    entry = audit.record(AuditAction.SIGN_IN, actor=commune_officer)
    for statement in (
        "UPDATE accounts_auditentry SET username = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):  # noqa: SIM117
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, username="xa1").exists()


# --- retention ------------------------------------------------------------------------------


@pytest.fixture
def old_and_new(commune_officer, settings):
    settings.HOPTAC_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = AuditEntry(action=AuditAction.SIGN_IN, username="xa1", at=now - timedelta(days=31))
    old.save()
    new = AuditEntry(action=AuditAction.SIGN_IN, username="xa1", at=now - timedelta(days=29))
    new.save()
    return old, new


def test_purge_is_a_dry_run_without_yes(old_and_new):
    out = StringIO()
    call_command("audit_purge", stdout=out)
    assert "1 entries older than" in out.getvalue()
    assert "dry run" in out.getvalue()
    assert AuditEntry.objects.count() == 2


def test_purge_deletes_entries_past_the_retention_time_and_records_itself(old_and_new):
    old, new = old_and_new
    out = StringIO()
    call_command("audit_purge", "--yes", stdout=out)
    assert "1 entries older than" in out.getvalue()
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=new.pk).exists()
    [purge] = entries(AuditAction.PURGED)
    assert purge.username == audit.SYSTEM
    assert purge.actor is None
    assert purge.detail["deleted"] == 1


def test_purge_days_overrides_the_setting(old_and_new):
    call_command("audit_purge", "--yes", "--days", "10", stdout=StringIO())
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [AuditAction.PURGED]


# --- downloads: the middleware records every attachment -------------------------------------


def test_any_attachment_is_recorded_even_from_a_view_that_ignores_the_audit(rf, commune_officer):
    def view(request):
        return FileResponse(io.BytesIO(b"x"), as_attachment=True, filename="Danh sách.xlsx")

    request = rf.get("/any/?q=Bắc&q=Kạn&page=2", REMOTE_ADDR="192.0.2.5", HTTP_USER_AGENT=BROWSER)
    request.user = commune_officer
    audit.AuditMiddleware(view)(request)
    [entry] = entries(AuditAction.DOWNLOAD)
    assert entry.actor == commune_officer
    assert (entry.ip_address, entry.user_agent) == ("192.0.2.5", BROWSER)
    assert entry.detail == {
        "view": "",
        "path": "/any/",
        "args": {},
        "query": {"q": ["Bắc", "Kạn"], "page": "2"},
        "file": "Danh sách.xlsx",  # from filename*=utf-8''… (RFC 6266)
        "format": "xlsx",
    }


def test_a_page_or_an_inline_file_is_not_a_download(rf, commune_officer):
    request = rf.get("/any/")
    request.user = commune_officer
    audit.AuditMiddleware(lambda r: HttpResponse("<p>page</p>"))(request)
    audit.AuditMiddleware(lambda r: FileResponse(io.BytesIO(b"x"), filename="a.png"))(request)
    assert not AuditEntry.objects.exists()


def test_the_request_is_forgotten_after_its_response(rf, commune_officer):
    request = rf.get("/any/", REMOTE_ADDR="192.0.2.5")
    request.user = commune_officer

    def view(request):
        audit.record(AuditAction.SIGN_IN, actor=request.user)  # as a service would
        return HttpResponse("ok")

    audit.AuditMiddleware(view)(request)
    audit.record(AuditAction.SIGN_OUT, actor=commune_officer)  # a command: no request
    assert [e.ip_address for e in AuditEntry.objects.order_by("id")] == ["192.0.2.5", None]
