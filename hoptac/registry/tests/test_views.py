"""Pages of the registry for every actor: own scope 200, out of scope 404, may see but not
change 403, anonymous to the sign-in page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoptac.registry.choices import Sector, Status, SubSector
from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


def url(name, cooperative=None):
    return reverse(f"registry:{name}", args=[cooperative.pk] if cooperative else [])


def form_data(cooperative, **overrides):
    data = {
        "kind": cooperative.kind,
        "name": cooperative.name,
        "tax_code": cooperative.tax_code,
        "sector": cooperative.sector,
        "sub_sector": cooperative.sub_sector,
        "founded_on": cooperative.founded_on.isoformat() if cooperative.founded_on else "",
        "place": (cooperative.commune_legacy or cooperative.commune).pk,
        "version": cooperative.version,
        **overrides,
    }
    return {k: v for k, v in data.items() if v not in ("", None)}


@pytest.mark.parametrize("name", ["cooperative_detail", "cooperative_edit", "cooperative_status"])
def test_anonymous_is_sent_to_sign_in(client, cooperative, name):
    response = client.get(url(name, cooperative))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["cooperative_list", "cooperative_create"])
def test_anonymous_is_sent_to_sign_in_from_list_and_create(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "actor",
    ["admin", "province_officer", "district_officer", "commune_officer", "current_officer"],
)
@pytest.mark.parametrize("name", ["cooperative_detail", "cooperative_edit", "cooperative_status"])
def test_officers_of_the_area_reach_its_htx(client, cooperative, request, actor, name):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url(name, cooperative)).status_code == 200


@pytest.mark.parametrize("name", ["cooperative_detail", "cooperative_edit", "cooperative_status"])
def test_officer_of_another_commune_gets_404(client, cooperative, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name, cooperative)).status_code == 404


def test_list_shows_only_the_own_area_with_the_total(
    client, cooperative, other_cooperative, commune_officer
):
    client.force_login(commune_officer)
    response = client.get(url("cooperative_list"))
    content = response.content.decode()
    assert cooperative.name in content
    assert other_cooperative.name not in content
    assert response.context["page"].paginator.count == 1


def test_htx_manager_sees_and_edits_only_his_own(
    client, htx_manager, cooperative, other_cooperative
):
    client.force_login(htx_manager)
    listed = client.get(url("cooperative_list")).context["page"].object_list
    assert [c.pk for c in listed] == [cooperative.pk]
    assert client.get(url("cooperative_detail", cooperative)).status_code == 200
    assert client.get(url("cooperative_detail", other_cooperative)).status_code == 404
    form = client.get(url("cooperative_edit", cooperative)).context["form"]
    assert "tax_code" not in form.fields  # legal facts are the authority's
    assert client.get(url("cooperative_status", cooperative)).status_code == 403
    assert client.get(url("cooperative_create")).status_code == 403


def test_htx_manager_updates_contact_details(client, htx_manager, cooperative):
    client.force_login(htx_manager)
    response = client.post(
        url("cooperative_edit", cooperative),
        {"phone": "0912345678", "members_count": "30", "version": cooperative.version},
    )
    assert response.status_code == 302
    cooperative.refresh_from_db()
    assert (cooperative.phone, cooperative.members_count) == ("0912345678", 30)
    assert cooperative.name == "HTX Chè Mỹ Phương"


def test_list_filters_searches_and_answers_htmx_with_the_results_only(client, cooperative, admin):
    CooperativeFactory(
        name="HTX Vận tải Chợ Đồn", sector=Sector.NON_AGRICULTURAL, sub_sector=SubSector.TRANSPORT
    )
    client.force_login(admin)
    response = client.get(
        url("cooperative_list"), {"q": "che my phuong"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="results"' in content
    assert "HTX Chè Mỹ Phương" in content
    assert "HTX Vận tải Chợ Đồn" not in content
    response = client.get(url("cooperative_list"), {"sector": Sector.NON_AGRICULTURAL})
    assert [c.name for c in response.context["page"].object_list] == ["HTX Vận tải Chợ Đồn"]
    area = legacy_unit("064")
    response = client.get(url("cooperative_list"), {"area": area.pk})
    assert response.context["page"].paginator.count == 2


def test_list_query_count_does_not_grow_with_rows(
    client, province_officer, django_assert_max_num_queries
):
    """The ceiling covers session, user, the filter form and its area picker, the count and
    one select of the page's rows (with their places)."""
    chodon = {"area": legacy_unit("064").pk, "sort": "-founded_on"}
    client.force_login(province_officer)
    CooperativeFactory(name="HTX Số 0")
    with CaptureQueriesContext(connection) as one_row:
        client.get(url("cooperative_list"), chodon)
    for n in range(1, 60):
        CooperativeFactory(
            name=f"HTX Số {n}", commune_legacy=legacy_unit("02026" if n % 2 else "02062")
        )
    with django_assert_max_num_queries(15):
        response = client.get(url("cooperative_list"), chodon)
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50
    with CaptureQueriesContext(connection) as full_page:
        client.get(url("cooperative_list"), chodon)
    assert len(full_page) == len(one_row)


def test_create_by_an_officer(client, district_officer):
    client.force_login(district_officer)
    response = client.post(
        url("cooperative_create"),
        {
            "kind": "hop_tac_xa",
            "name": "HTX Miến dong Nam Cường",
            "tax_code": "4700999999",
            "sector": Sector.AGRICULTURAL,
            "sub_sector": SubSector.CROPS,
            "founded_on": "2018-05-02",
            "place": legacy_unit("02026").pk,
            "charter_capital": "1.500.000.000",
        },
    )
    cooperative = Cooperative.objects.get(name="HTX Miến dong Nam Cường")
    assert response.status_code == 302
    assert response.url == cooperative.get_absolute_url()
    assert cooperative.charter_capital == 1_500_000_000
    assert cooperative.status_changes.get().by == district_officer


def test_create_refuses_a_commune_outside_the_area(client, commune_officer):
    client.force_login(commune_officer)
    response = client.post(
        url("cooperative_create"),
        {"kind": "hop_tac_xa", "name": "HTX Ngoài vùng", "sector": Sector.AGRICULTURAL,
         "place": legacy_unit("02071").pk},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Cooperative.objects.filter(name="HTX Ngoài vùng").exists()
    assert "place" in response.context["form"].errors


def test_validation_messages_are_vietnamese_and_name_the_field(
    client, district_officer, cooperative
):
    client.force_login(district_officer)
    response = client.post(
        url("cooperative_create"),
        {"kind": "hop_tac_xa", "sector": Sector.AGRICULTURAL, "place": legacy_unit("02062").pk,
         "tax_code": "47001", "email": "khong-phai-email"},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert errors["name"] == ["Tên: Trường này là bắt buộc."]
    assert errors["tax_code"][0].startswith("Mã số HTX: ")
    assert "10 chữ số" in errors["tax_code"][0]
    assert errors["email"][0].startswith("Thư điện tử: ")
    response = client.post(
        url("cooperative_create"),
        {"kind": "hop_tac_xa", "name": "HTX Trùng mã", "sector": Sector.AGRICULTURAL,
         "place": legacy_unit("02062").pk, "tax_code": cooperative.tax_code},
    )  # fmt: skip
    assert response.context["form"].errors["tax_code"] == [
        "Mã số HTX: Một hợp tác xã khác đã có mã số này."
    ]


def test_edit_on_an_out_of_date_form_shows_what_changed_and_saves_nothing(
    client, cooperative, district_officer, commune_officer
):
    client.force_login(district_officer)
    stale = form_data(cooperative)
    assert (
        client.post(
            url("cooperative_edit", cooperative), form_data(cooperative, phone="0209 3870 111")
        ).status_code
        == 302
    )
    client.force_login(commune_officer)
    response = client.post(url("cooperative_edit", cooperative), {**stale, "name": "HTX Tên mới"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Người khác đã sửa hợp tác xã này" in content
    assert "0209 3870 111" in content
    assert "Hoàng Văn An" in content
    cooperative.refresh_from_db()
    assert cooperative.name == "HTX Chè Mỹ Phương"
    # The editor has now seen the changes: saving again applies his values.
    assert response.context["form"]["version"].value() == "2"
    again = client.post(
        url("cooperative_edit", cooperative), {**stale, "name": "HTX Tên mới", "version": 2}
    )
    assert again.status_code == 302
    cooperative.refresh_from_db()
    assert cooperative.name == "HTX Tên mới"


def test_status_change_page_records_a_transition(client, cooperative, province_officer):
    client.force_login(province_officer)
    response = client.post(
        url("cooperative_status", cooperative),
        {"status": Status.SUSPENDED, "effective_on": "2020-04-01", "note": "Tạm ngừng"},
    )
    assert response.status_code == 302
    cooperative.refresh_from_db()
    assert cooperative.status == Status.SUSPENDED
    response = client.get(url("cooperative_status", cooperative))
    offered = [value for value, _label in response.context["form"].fields["status"].choices]
    assert Status.ACTIVE in offered
    assert Status.DISSOLVED not in offered


def test_status_change_refuses_a_date_before_the_last(client, cooperative, province_officer):
    client.force_login(province_officer)
    response = client.post(
        url("cooperative_status", cooperative),
        {"status": Status.SUSPENDED, "effective_on": "2010-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_on"][0].startswith("Có hiệu lực từ: ")
    cooperative.refresh_from_db()
    assert cooperative.status == Status.ACTIVE


@pytest.mark.parametrize("tab", ["profile", "history", "members", "reports", "links"])
def test_detail_tabs(client, cooperative, admin, tab):
    client.force_login(admin)
    response = client.get(url("cooperative_detail", cooperative), {"tab": tab})
    assert response.status_code == 200
    assert response.context["tab"] == tab


def test_detail_shows_timeline_and_change_history(client, cooperative, admin, district_officer):
    client.force_login(district_officer)
    client.post(url("cooperative_edit", cooperative), form_data(cooperative, members_count=42))
    client.force_login(admin)
    content = client.get(url("cooperative_detail", cooperative)).content.decode()
    assert "Đang hoạt động" in content
    assert date(2015, 3, 1).strftime("%d/%m/%Y") in content
    history = client.get(
        url("cooperative_detail", cooperative), {"tab": "history"}
    ).content.decode()
    assert "Hoàng Văn An" in history
    assert "42" in history


def test_main_navigation_links_to_the_registry(client, district_officer):
    client.force_login(district_officer)
    assert url("cooperative_list") in client.get("/").content.decode()


@pytest.mark.parametrize(
    "actor",
    ["admin", "province_officer", "district_officer", "commune_officer", "current_officer",
     "htx_manager"],
)  # fmt: skip
def test_list_area_picker_starts_where_the_plain_picker_would(request, actor):
    """The list's picker knows its root from the scope (no query on the units' paths); it is
    the root the areas app's picker computes from the units the user may pick."""
    from hoptac.areas.forms import AreaField
    from hoptac.areas.models import AdminUnit
    from hoptac.registry import forms

    user = request.getfixturevalue(actor)
    levels = (1, 2, 3)
    units = forms._units_for(user)
    plain = AreaField(levels=levels, units=units, required=False).widget
    assert forms._picker_root(user) == plain._root()
    form = forms.CooperativeFilterForm({}, user=user)
    assert form.fields["area"].widget._root() == plain._root()
    assert set(form.fields["area"].queryset) == set(units.filter(level__in=levels))
    assert AdminUnit.objects.exists()


def test_list_reads_only_the_shown_columns_and_the_picker_reuses_the_chosen_area(
    client, cooperative, province_officer
):
    client.force_login(province_officer)
    area = legacy_unit("064")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("cooperative_list"), {"area": area.pk})
    assert "HTX Chè Mỹ Phương" in response.content.decode()
    rows = [q["sql"] for q in queries if "registry_cooperative" in q["sql"] and "LIMIT" in q["sql"]]
    assert rows, "the page's rows were read"
    assert all("search_text" not in sql and "business_lines" not in sql for sql in rows)
    assert not any('MIN("areas_adminunit"."path")' in q["sql"] for q in queries)
    by_pk = [q["sql"] for q in queries if f'"areas_adminunit"."id" = {area.pk}' in q["sql"]]
    assert len(by_pk) == 1  # cleaning the form; the picker shows that same unit


# --- members and delete ------------------------------------------------------------------------


def member_url(cooperative, member):
    return reverse("registry:member_edit", args=[cooperative.pk, member.pk])


def test_officer_adds_a_member_and_the_count_follows(client, cooperative, commune_officer):
    client.force_login(commune_officer)
    page = client.get(f"{url('cooperative_detail', cooperative)}?tab=members")
    assert url("member_create", cooperative).encode() in page.content
    response = client.post(
        url("member_create", cooperative),
        {
            "kind": "ca_nhan",
            "name": "Nông Văn Dũng",
            "joined_on": "2015-03-01",
            "is_official": "on",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{url('cooperative_detail', cooperative)}?tab=members"
    cooperative.refresh_from_db()
    assert cooperative.members_count == 1
    member = cooperative.members.get()
    assert (member.name, member.joined_on, member.is_official) == (
        "Nông Văn Dũng",
        date(2015, 3, 1),
        True,
    )
    assert member.history.latest().history_user == commune_officer


def test_manager_records_that_a_member_left(client, htx_manager, cooperative):
    from hoptac.registry import services

    member = services.member_add(cooperative=cooperative, by=None, name="Hộ Ma Văn Sơn")
    client.force_login(htx_manager)
    page = client.get(f"{url('cooperative_detail', cooperative)}?tab=members")
    assert member_url(cooperative, member).encode() in page.content
    response = client.post(
        member_url(cooperative, member),
        {"kind": "ho_gia_dinh", "name": "Hộ Ma Văn Sơn", "left_on": "2020-01-01"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    cooperative.refresh_from_db()
    assert (member.left_on, cooperative.members_count) == (date(2020, 1, 1), 0)


def test_member_form_names_the_field_of_a_bad_date(client, cooperative, commune_officer):
    client.force_login(commune_officer)
    response = client.post(
        url("member_create", cooperative),
        {
            "kind": "person",
            "name": "Lý Thị Lan",
            "joined_on": "2020-01-01",
            "left_on": "2019-01-01",
        },
    )
    assert response.status_code == 200
    assert "Ngày ra khỏi: Ngày ra khỏi không thể trước ngày gia nhập." in response.content.decode()
    assert not cooperative.members.exists()


def test_member_of_another_htx_or_area_answers_404(
    client, cooperative, other_cooperative, commune_officer, outsider
):
    from hoptac.registry import services

    theirs = services.member_add(cooperative=other_cooperative, by=None, name="Người ngoài")
    client.force_login(commune_officer)
    assert client.get(member_url(cooperative, theirs)).status_code == 404  # not of this HTX
    client.force_login(outsider)
    assert client.get(url("member_create", cooperative)).status_code == 404
    assert client.post(url("member_create", cooperative), {"name": "X"}).status_code == 404
    assert not cooperative.members.exists()


def test_officer_deletes_a_record_made_by_mistake(client, cooperative, commune_officer):
    client.force_login(commune_officer)
    page = client.get(url("cooperative_detail", cooperative))
    assert url("cooperative_delete", cooperative).encode() in page.content
    response = client.post(url("cooperative_delete", cooperative))
    assert response.status_code == 302
    assert response.url == url("cooperative_list")
    assert not Cooperative.objects.filter(pk=cooperative.pk).exists()


def test_delete_of_an_htx_with_data_is_refused_with_the_reasons(
    client, cooperative, commune_officer
):
    from hoptac.registry import services

    services.member_add(cooperative=cooperative, by=None, name="Nông Văn Dũng")
    client.force_login(commune_officer)
    response = client.post(url("cooperative_delete", cooperative))
    assert response.status_code == 200
    assert "đã có thành viên" in response.content.decode()
    assert 'data-testid="delete-blockers"' in response.content.decode()
    assert Cooperative.objects.filter(pk=cooperative.pk).exists()


def test_manager_may_not_delete_his_htx(client, htx_manager, cooperative):
    client.force_login(htx_manager)
    assert (
        url("cooperative_delete", cooperative).encode()
        not in client.get(url("cooperative_detail", cooperative)).content
    )
    assert client.post(url("cooperative_delete", cooperative)).status_code == 403
    assert Cooperative.objects.filter(pk=cooperative.pk).exists()
