"""Account management pages for every actor: own scope 200, out of scope 404, may see but
not change 403, anonymous to the sign-in page."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from hoptac.accounts import selectors
from hoptac.accounts.models import User
from hoptac.accounts.tests.factories import locked_out
from hoptac.areas.models import AdminUnit

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Lua-nuong-2026"


def url(name, user=None):
    return reverse(f"accounts:{name}", args=[user.pk] if user else [])


def new_account(**overrides):
    return {
        "username": "xa.moi",
        "full_name": "Nông Thị Mai",
        "role": "commune_officer",
        "area": "",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        **overrides,
    }


def edit_data(user, **overrides):
    data = {
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "email": user.email,
        "role": user.role,
        "area": user.area_id or "",
        "is_active": "on" if user.is_active else "",
        **overrides,
    }
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize("name", ["user_list", "user_create"])
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_sign_in_from_an_account(client, commune_officer):
    response = client.get(url("user_detail", commune_officer))
    assert response.status_code == 302


# --- seeing -------------------------------------------------------------------------------


def _listed(client, actor, query=""):
    client.force_login(actor)
    response = client.get(url("user_list") + query)
    assert response.status_code == 200
    return {u.username for u in response.context["page"]}


def test_list_shows_each_actor_his_scope(
    client, admin, province_officer, commune_officer, outsider, current_officer, coop_manager
):
    assert _listed(client, admin) == {"admin1", "tinh1", "xa1", "xa2", "tinh2", "htx1"}
    assert _listed(client, province_officer) == {"tinh1", "xa1", "xa2", "htx1"}
    assert _listed(client, commune_officer) == {"xa1", "htx1"}
    assert _listed(client, current_officer) == {"tinh2"}


def test_list_search_ignores_diacritics_and_filters_role_and_status(
    client, admin, commune_officer, outsider, district_officer
):
    assert _listed(client, admin, "?q=binh") == {"xa1"}  # Ma Văn Bình
    assert _listed(client, admin, "?q=Đặng lan") == {"xa2"}
    assert _listed(client, admin, "?q=HUYEN") == {"huyen1"}
    assert _listed(client, admin, "?role=commune_officer") == {"xa1", "xa2"}
    outsider.is_active = False
    outsider.save()
    assert _listed(client, admin, "?active=0") == {"xa2"}
    assert "xa2" not in _listed(client, admin, "?active=1")


def test_list_pages_by_fifty_with_flat_query_count(
    client, admin, make_user, luong_bang, django_assert_max_num_queries
):
    for i in range(60):
        make_user(f"tho{i:02}", "commune_officer", luong_bang)
    client.force_login(admin)
    with django_assert_max_num_queries(6):
        first = client.get(url("user_list"))
    assert len(first.context["page"]) == 50
    second = client.get(url("user_list") + "?page=2")
    assert len(second.context["page"]) == 11  # 60 + the admin


def test_list_filter_answers_htmx_with_the_results_only(client, admin, commune_officer):
    client.force_login(admin)
    response = client.get(url("user_list") + "?q=binh", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "xa1" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("admin", "current_officer", 200),
        ("province_officer", "outsider", 200),
        ("province_officer", "admin", 404),
        ("province_officer", "current_officer", 404),
        ("district_officer", "commune_officer", 200),
        ("commune_officer", "commune_officer", 200),
        ("commune_officer", "coop_manager", 200),
        ("commune_officer", "outsider", 404),
        ("commune_officer", "province_officer", 404),
        ("current_officer", "commune_officer", 404),
        ("coop_manager", "commune_officer", 404),
    ],
)
def test_account_page(client, request, actor, target, status):
    actor, target = request.getfixturevalue(actor), request.getfixturevalue(target)
    client.force_login(actor)
    assert client.get(url("user_detail", target)).status_code == status


def test_account_page_404_for_missing_account(client, admin):
    client.force_login(admin)
    assert client.get(reverse("accounts:user_detail", args=[987654])).status_code == 404


# --- changing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("admin", "province_officer", 200),
        ("province_officer", "commune_officer", 200),
        ("province_officer", "coop_manager", 200),
        ("province_officer", "admin", 404),
        ("province_officer", "current_officer", 404),
        ("district_officer", "commune_officer", 403),
        ("commune_officer", "coop_manager", 403),
        ("commune_officer", "commune_officer", 403),
        ("commune_officer", "outsider", 404),
    ],
)
@pytest.mark.parametrize("page", ["user_edit", "user_password"])
def test_change_pages(client, request, page, actor, target, status):
    actor, target = request.getfixturevalue(actor), request.getfixturevalue(target)
    client.force_login(actor)
    assert client.get(url(page, target)).status_code == status
    assert client.post(url(page, target), {}).status_code == status


def test_commune_officer_cannot_change_another_communes_account(client, commune_officer, outsider):
    client.force_login(commune_officer)
    response = client.post(url("user_edit", outsider), edit_data(outsider, full_name="X"))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.full_name == "Đặng Thị Lan"


@pytest.mark.parametrize("role", ["commune_officer", "admin"])
def test_commune_officer_creates_no_account(client, commune_officer, nghia_ta, role):
    client.force_login(commune_officer)
    area = nghia_ta.pk if role != "admin" else ""
    response = client.post(url("user_create"), new_account(role=role, area=area))
    assert response.status_code == 403
    assert not User.objects.filter(username="xa.moi").exists()


def test_create_page_offers_only_roles_the_actor_may_give(client, province_officer, admin):
    client.force_login(province_officer)
    roles = dict(client.get(url("user_create")).context["form"].fields["role"].choices)
    assert "admin" not in roles
    assert "commune_officer" in roles
    client.force_login(admin)
    roles = dict(client.get(url("user_create")).context["form"].fields["role"].choices)
    assert "admin" in roles


def test_province_officer_creates_commune_officer_in_his_province(
    client, province_officer, luong_bang
):
    client.force_login(province_officer)
    response = client.post(url("user_create"), new_account(area=luong_bang.pk))
    user = User.objects.get(username="xa.moi")
    assert response.status_code == 302
    assert response.url == url("user_detail", user)
    assert (user.area, user.role) == (luong_bang, "commune_officer")
    page = client.get(response.url)
    assert "Nông Thị Mai" in page.content.decode()
    assert page.context["history"][0].actor == province_officer


def test_province_officer_cannot_give_admin_role(client, province_officer):
    client.force_login(province_officer)
    response = client.post(url("user_create"), new_account(role="admin"))
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="xa.moi").exists()


def test_province_officer_cannot_create_in_another_province(client, province_officer, thai_nguyen):
    commune = AdminUnit.objects.filter(era="2025", level=3, province=thai_nguyen).first()
    client.force_login(province_officer)
    response = client.post(url("user_create"), new_account(area=commune.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Địa bàn: Hãy chọn một địa bàn nằm trong địa bàn của bạn." in html
    assert not User.objects.filter(username="xa.moi").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"role": "commune_officer", "area": "province"},
            "Địa bàn: Địa bàn của cán bộ cấp xã phải là một xã, phường, thị trấn hoặc đặc khu.",
            id="area-level",
        ),
        pytest.param(
            {"role": "province_officer"},
            "Địa bàn: Cán bộ cần có địa bàn: hãy chọn đơn vị nơi người đó làm việc.",
            id="area-missing",
        ),
        pytest.param(
            {"password": "12345678", "password_again": "12345678", "area": "commune"},
            "Mật khẩu ban đầu: ",
            id="password-validators",
        ),
        pytest.param(
            {"password_again": "khac-hoan-toan-99"},
            "Nhập lại mật khẩu ban đầu: Hai mật khẩu không khớp nhau.",
            id="passwords-differ",
        ),
        pytest.param({"username": "xa1"}, "Tên đăng nhập: ", id="username-taken"),
        pytest.param({"full_name": ""}, "Họ và tên: ", id="full-name-required"),
    ],
)
def test_vietnamese_messages_name_the_field(
    client, admin, commune_officer, bac_kan, luong_bang, overrides, message
):
    units = {"province": bac_kan.pk, "commune": luong_bang.pk}
    overrides = {**overrides, "area": units.get(overrides.get("area"), overrides.get("area", ""))}
    client.force_login(admin)
    response = client.post(url("user_create"), new_account(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="xa.moi").exists()


def test_province_officer_edits_role_area_and_deactivates(
    client, province_officer, commune_officer, cho_don
):
    client.force_login(province_officer)
    data = edit_data(commune_officer, role="district_officer", area=cho_don.pk, is_active="")
    response = client.post(url("user_edit", commune_officer), data)
    assert response.status_code == 302
    commune_officer.refresh_from_db()
    assert (commune_officer.role, commune_officer.area, commune_officer.is_active) == (
        "district_officer",
        cho_don,
        False,
    )
    history = client.get(url("user_detail", commune_officer)).context["history"]
    assert history[0].actor == province_officer
    assert {c.label for c in history[0].changes} == {
        "vai trò",
        "địa bàn",
        "Kích hoạt",
    }  # Django names is_active


def test_deactivated_account_cannot_sign_in(client, admin, commune_officer, sign_in):
    client.force_login(admin)
    client.post(url("user_edit", commune_officer), edit_data(commune_officer, is_active=""))
    client.logout()
    response = sign_in("xa1")
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_own_account_cannot_be_deactivated_by_oneself(client, province_officer):
    client.force_login(province_officer)
    response = client.post(
        url("user_edit", province_officer), edit_data(province_officer, is_active="")
    )
    assert response.status_code == 200
    assert "is_active" in response.context["form"].errors
    province_officer.refresh_from_db()
    assert province_officer.is_active


# --- passwords and lockouts ---------------------------------------------------------------


def test_typed_password_replaces_the_old_one(client, admin, commune_officer):
    client.force_login(admin)
    response = client.post(
        url("user_password", commune_officer),
        {"mode": "type", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )
    assert response.status_code == 200
    assert GOOD_PASSWORD not in response.content.decode()  # a typed one is not echoed
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(GOOD_PASSWORD)


def test_generated_password_is_shown_once_and_works(client, province_officer, commune_officer):
    client.force_login(province_officer)
    response = client.post(url("user_password", commune_officer), {"mode": "generate"})
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(password)
    assert password not in client.get(url("user_detail", commune_officer)).content.decode()


def test_weak_typed_password_is_refused(client, admin, commune_officer):
    client.force_login(admin)
    response = client.post(
        url("user_password", commune_officer),
        {"mode": "type", "password": "1234", "password_again": "1234"},
    )
    assert response.status_code == 200
    assert "Mật khẩu: " in response.content.decode()
    commune_officer.refresh_from_db()
    assert not commune_officer.check_password("1234")


def test_resetting_ones_own_password_keeps_one_signed_in(client, admin):
    client.force_login(admin)
    client.post(url("user_password", admin), {"mode": "generate"})
    assert client.get(url("user_list")).status_code == 200


def test_admin_sees_lock_and_unlocks(client, admin, commune_officer):
    locked_out("xa1")
    client.force_login(admin)
    page = client.get(url("user_detail", commune_officer))
    assert page.context["locked"]
    assert url("user_unlock", commune_officer) in page.content.decode()
    response = client.post(url("user_unlock", commune_officer))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="xa1").exists()
    assert not client.get(url("user_detail", commune_officer)).context["locked"]


def test_unlock_is_admin_only_and_post_only(client, admin, province_officer, commune_officer):
    locked_out("xa1")
    client.force_login(province_officer)
    assert client.post(url("user_unlock", commune_officer)).status_code == 403
    client.force_login(admin)
    assert client.get(url("user_unlock", commune_officer)).status_code == 405
    assert AccessAttempt.objects.filter(username="xa1").exists()


def test_user_list_filters_the_locked_out(client, admin, province_officer, outsider):
    locked_out("xa2")  # Nghĩa Tá, Bắc Kạn
    locked_out("nobody")  # attempts on a name without an account
    client.force_login(admin)
    page = client.get(url("user_list"), {"locked": "on"}).context["page"]
    assert [u.username for u in page] == ["xa2"]
    assert selectors.user_list(user=admin, filters={"locked": True}).count() == 1
    assert selectors.user_list(user=admin, filters={}).count() > 1
