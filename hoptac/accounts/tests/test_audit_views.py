"""The administrator's page of the audit log: who may read it, its filters and its paging."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hoptac.accounts import audit
from hoptac.accounts.choices import AuditAction
from hoptac.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("accounts:audit_entry_list")


def _at(day: str, hour: int = 12):
    return timezone.make_aware(datetime.fromisoformat(f"{day}T{hour:02d}:00"))


@pytest.fixture
def log(commune_officer, admin):
    """Four entries over three days (Asia/Ho_Chi_Minh): two users, three kinds of action."""
    made = [
        AuditEntry(action=AuditAction.SIGN_IN, actor=commune_officer, username="xa1",
                   at=_at("2026-03-01", 8), ip_address="203.0.113.7"),
        AuditEntry(action=AuditAction.SIGN_IN_FAILED, username="ke-la", at=_at("2026-03-02", 0)),
        AuditEntry(action=AuditAction.EXPORT, actor=admin, username="admin1",
                   at=_at("2026-03-02", 23), object_repr="",
                   detail={"view": "registry:cooperative_export", "rows": 12}),
        AuditEntry(action=AuditAction.ROLE_CHANGED, actor=admin, username="admin1",
                   at=_at("2026-03-03", 9), object_repr="Ma Văn Bình"),
    ]  # fmt: skip
    for entry in made:
        entry.save()
    return made


def shown(response) -> list[str]:
    """The actions of the rows on the page, top to bottom."""
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-action="')[1:]]


def test_administrator_reads_the_log_newest_first(client, admin, log):
    client.force_login(admin)  # a sign-in entry of its own, today
    response = client.get(URL)
    assert response.status_code == 200
    assert shown(response) == ["sign_in", "role_changed", "export", "sign_in_failed", "sign_in"]
    html = response.content.decode()
    assert "Nhật ký hệ thống" in html
    assert "Đổi vai trò hoặc địa bàn" in html  # the action's label, in Vietnamese
    assert "Số dòng:</span> 12" in html  # the export's detail


@pytest.mark.parametrize("actor", ["province_officer", "district_officer", "commune_officer"])
def test_officers_are_refused(client, request, actor, log):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, log):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_menu_shows_the_log_to_the_administrator_only(client, admin, province_officer):
    client.force_login(province_officer)
    assert URL not in client.get(reverse("accounts:user_list")).content.decode()
    client.force_login(admin)
    assert f'href="{URL}"' in client.get(reverse("accounts:user_list")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "ADMIN"}, ["role_changed", "export"]),  # part of the name, any case
        ({"actor": "ke-la"}, ["sign_in_failed"]),  # a name typed at a failed sign-in
        ({"action": "export"}, ["export"]),
        ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, ["export", "sign_in_failed"]),
        ({"date_to": "2026-03-01"}, ["sign_in"]),
        ({"q": "Văn Bình"}, ["role_changed"]),  # the object
        ({"q": "113.7"}, ["sign_in"]),  # the address
        ({"q": "cooperative_export"}, ["export"]),  # the detail
        ({"actor": "admin", "action": "role_changed"}, ["role_changed"]),
    ],
)
def test_filters(client, admin, log, query, expected):
    client.force_login(admin)
    response = client.get(URL, {"date_to": "2026-03-31", **query})
    assert shown(response) == expected


def test_a_bad_date_is_an_error_in_vietnamese_that_names_the_field(client, admin, log):
    client.force_login(admin)
    response = client.get(URL, {"date_from": "2026-02-30"})
    assert response.status_code == 200
    assert "Từ ngày: " in response.content.decode()
    response = client.get(URL, {"date_from": "2026-03-03", "date_to": "2026-03-01"})
    assert "Đến ngày: " in response.content.decode()


def test_htmx_request_gets_the_results_only(client, admin, log):
    client.force_login(admin)
    response = client.get(URL, {"action": "export"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert shown(response) == ["export"]


def test_pages_of_fifty_with_a_flat_query_count(
    client, admin, commune_officer, django_assert_max_num_queries
):
    for _ in range(60):
        audit.record(AuditAction.SIGN_IN, actor=commune_officer)
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        first = client.get(URL)
    assert len(shown(first)) == 50
    assert len(shown(client.get(URL, {"page": 2}))) == 11  # and the administrator's sign-in
