"""The support pages: each renders, and each actor reaches what his scope allows (own area 200,
another area 404, an HTX manager only his own HTX and no recording)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from hoptac.support import services
from hoptac.support.choices import CourseTopic, FundingSource, ParticipantRole
from hoptac.support.models import SupportGrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(cooperative, local_policy):
    return services.grant_record(
        by=None, cooperative=cooperative, policy=local_policy, granted_on=date(2019, 5, 2),
        source=FundingSource.PROVINCE, amount=Decimal(12_000_000),
    )  # fmt: skip


@pytest.fixture
def course(luong_bang, cooperative):
    course = services.course_save(
        by=None, title="Tập huấn Luật HTX", topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1), ends_on=date(2019, 3, 2), organiser="UBND xã", area=luong_bang,
    )  # fmt: skip
    services.participant_save(
        by=None, course=course, name="Lục Văn Phong", role=ParticipantRole.MANAGER,
        cooperative=cooperative,
    )  # fmt: skip
    return course


@pytest.fixture
def case(cooperative):
    return services.remediation_open(
        cooperative=cooperative, year=2019, by=None, causes="Thiếu vốn"
    )


def tab_url(cooperative):
    return reverse("registry:cooperative_detail", args=[cooperative.pk]) + "?tab=support"


PAGES = [
    "support:overview",
    "support:policy_list",
    "support:budget_list",
    "support:grant_list",
    "support:totals",
    "support:course_list",
    "support:trained",
    "support:case_list",
    "support:dissolution_list",
]


@pytest.mark.parametrize("name", PAGES)
def test_lists_render_for_an_officer(client, province_officer, grant, course, case, name):
    client.force_login(province_officer)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_lists_need_sign_in(client, name):
    assert client.get(reverse(name)).status_code == 302


def test_overview_shows_the_share_reached(
    client, province_officer, grant, other_cooperative, bac_kan
):
    client.force_login(province_officer)
    response = client.get(reverse("support:overview"), {"year": 2019, "area": bac_kan.pk})
    reach = response.context["reach"]
    assert (reach.numerator, reach.denominator) == (1, 2)
    assert "50.0%" in response.content.decode() or "50,0%" in response.content.decode()


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("province_officer", 200),
        ("district_officer", 200),
        ("commune_officer", 200),
        ("outsider", 404),
        ("current_officer", 200),
        ("admin", 200),
    ],
)
def test_grant_detail_by_scope(client, request, grant, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(grant.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"), [("commune_officer", 200), ("outsider", 404), ("htx_manager", 200)]
)
def test_support_tab_by_scope(client, request, grant, cooperative, actor, status):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(tab_url(cooperative))
    assert response.status_code == status
    if status == 200:
        assert (
            "12.000.000" in response.content.decode() or "12,000,000" in response.content.decode()
        )


def test_manager_sees_only_his_own_htx_support(
    client, htx_manager, grant, other_cooperative, local_policy
):
    other = services.grant_record(
        by=None, cooperative=other_cooperative, policy=local_policy, granted_on=date(2019, 5, 2),
        source=FundingSource.PROVINCE, amount=Decimal(1),
    )  # fmt: skip
    client.force_login(htx_manager)
    assert client.get(grant.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(tab_url(other_cooperative)).status_code == 404
    listed = client.get(reverse("support:grant_list")).context["page"].object_list
    assert [g.pk for g in listed] == [grant.pk]


def test_manager_may_not_record_support(client, htx_manager, cooperative, grant):
    client.force_login(htx_manager)
    assert client.get(reverse("support:grant_create", args=[cooperative.pk])).status_code == 403
    assert client.get(reverse("support:grant_edit", args=[grant.pk])).status_code == 403


def test_outsider_cannot_reach_the_record_page(client, outsider, cooperative):
    client.force_login(outsider)
    assert client.get(reverse("support:grant_create", args=[cooperative.pk])).status_code == 404


def test_officer_records_support_through_the_page(
    client, commune_officer, cooperative, local_policy, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(commune_officer)
    url = reverse("support:grant_create", args=[cooperative.pk])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "policy": local_policy.pk, "granted_on": "2019-07-01", "amount": "15000000",
            "source": FundingSource.COMMUNE, "note": "Bao bì chè",
            "files": [SimpleUploadedFile("bien-ban.pdf", b"%PDF demo")],
        },
    )  # fmt: skip
    assert response.status_code == 302
    grant = SupportGrant.objects.get()
    assert (grant.amount, grant.created_by) == (Decimal(15_000_000), commune_officer)
    assert grant.attachments.get().name == "bien-ban.pdf"
    download = client.get(reverse("support:attachment_download", args=[grant.attachments.get().pk]))
    assert download.status_code == 200


def test_attachment_is_404_for_the_outsider(client, outsider, grant, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.attachment_add(
        grant=grant, file=SimpleUploadedFile("a.pdf", b"x"), by=None
    )
    client.force_login(outsider)
    assert (
        client.get(reverse("support:attachment_download", args=[attachment.pk])).status_code == 404
    )


def test_not_shown_eligible_asks_for_a_reason_then_records_it(
    client, commune_officer, cooperative, state_policy
):
    client.force_login(commune_officer)
    url = reverse("support:grant_create", args=[cooperative.pk])
    data = {
        "policy": state_policy.pk,
        "granted_on": "2025-03-01",
        "amount": "1000000",
        "source": FundingSource.CENTRAL,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["warning"]
    assert "Lý do" in response.content.decode() or "reason" in response.content.decode()
    assert not SupportGrant.objects.exists()
    response = client.post(url, {**data, "override_reason": "Xác nhận của UBND xã"})
    assert response.status_code == 302
    grant = SupportGrant.objects.get()
    assert grant.override_reason == "Xác nhận của UBND xã"


def test_local_policy_of_another_province_is_404(client, province_officer):
    from hoptac.areas.models import AdminUnit
    from hoptac.support.models import Policy

    ha_noi = AdminUnit.objects.get(era="legacy", code="01")
    policy = Policy.objects.create(name="Chính sách Hà Nội", kind="other", area=ha_noi)
    client.force_login(province_officer)
    assert client.get(policy.get_absolute_url()).status_code == 404


def test_commune_officer_sees_the_provinces_policy_but_may_not_edit_it(
    client, commune_officer, local_policy
):
    client.force_login(commune_officer)
    assert client.get(local_policy.get_absolute_url()).status_code == 200
    assert client.get(reverse("support:policy_edit", args=[local_policy.pk])).status_code == 403


def test_province_officer_adds_a_local_policy(client, province_officer, bac_kan):
    client.force_login(province_officer)
    response = client.post(
        reverse("support:policy_create"),
        {
            "name": "Hỗ trợ chuyển đổi số",
            "kind": "science_technology",
            "area": bac_kan.pk,
            "is_active": "on",
            "criteria": ["dao_tao_5_phan_tram"],
        },
    )
    assert response.status_code == 302
    from hoptac.support.models import Policy

    policy = Policy.objects.get(name="Hỗ trợ chuyển đổi số")
    assert (policy.area, policy.criteria) == (bac_kan, ["dao_tao_5_phan_tram"])


@pytest.mark.parametrize(
    ("actor", "status"), [("commune_officer", 200), ("outsider", 404), ("province_officer", 200)]
)
def test_course_detail_by_scope(client, request, course, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(course.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"), [("commune_officer", 200), ("outsider", 404), ("htx_manager", 200)]
)
def test_case_detail_by_scope(client, request, case, actor, status):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(case.get_absolute_url()).status_code == status


def test_manager_may_not_change_a_case(client, htx_manager, case):
    client.force_login(htx_manager)
    assert client.get(reverse("support:case_edit", args=[case.pk])).status_code == 403


def test_officer_opens_and_works_a_case(client, commune_officer, cooperative):
    client.force_login(commune_officer)
    response = client.post(
        reverse("support:case_create", args=[cooperative.pk]),
        {"year": 2019, "causes": "Không có hợp đồng tiêu thụ", "responsible": commune_officer.pk},
    )
    assert response.status_code == 302
    case = cooperative.remediation_cases.get()
    client.post(
        reverse("support:action_create", args=[case.pk]), {"description": "Kết nối doanh nghiệp"}
    )
    client.post(
        reverse("support:note_add", args=[case.pk]), {"text": "Đã họp", "written_on": "2020-02-01"}
    )
    client.post(
        reverse("support:case_close", args=[case.pk]),
        {"outcome": "improved", "closed_on": "2020-12-31"},
    )
    case.refresh_from_db()
    assert (case.actions.count(), case.notes.count(), case.status) == (1, 1, "closed")


def test_open_cases_list_is_per_area(client, district_officer, outsider, case):
    client.force_login(district_officer)
    assert [c.pk for c in client.get(reverse("support:case_list")).context["page"]] == [case.pk]
    client.force_login(outsider)
    assert list(client.get(reverse("support:case_list")).context["page"]) == []


def test_totals_by_area_group_the_districts(client, province_officer, grant):
    client.force_login(province_officer)
    response = client.get(reverse("support:totals"), {"by": "area"})
    rows = response.context["rows"]
    assert [(r.label, r.grants, r.amount) for r in rows] == [
        ("Huyện Chợ Đồn", 1, Decimal(12_000_000))
    ]


def test_list_query_count_is_flat(
    client, province_officer, cooperative, local_policy, django_assert_max_num_queries
):
    for index in range(30):
        services.grant_record(
            by=None, cooperative=cooperative, policy=local_policy,
            granted_on=date(2019, 1, 1 + index % 28), source=FundingSource.PROVINCE,
            amount=Decimal(index + 1),
        )  # fmt: skip
    client.force_login(province_officer)
    with django_assert_max_num_queries(14):
        client.get(reverse("support:grant_list"))


def test_attachment_over_the_limit_is_refused(
    client, commune_officer, cooperative, local_policy, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(commune_officer)
    response = client.post(
        reverse("support:grant_create", args=[cooperative.pk]),
        {
            "policy": local_policy.pk, "granted_on": "2019-07-01", "amount": "1",
            "source": "province", "files": [SimpleUploadedFile("lon.pdf", b"x" * 2048)],
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "lon.pdf" in response.content.decode()
    assert not SupportGrant.objects.exists()


def test_manager_sees_only_his_own_people_on_a_national_course(
    client, htx_manager, cooperative, other_cooperative
):
    course = services.course_save(
        by=None, title="Luật HTX toàn quốc", topic=CourseTopic.COOPERATIVE_LAW,
        starts_on=date(2019, 3, 1), ends_on=date(2019, 3, 2), organiser="Bộ",
    )  # fmt: skip
    services.participant_save(
        by=None,
        course=course,
        name="Người HTX mình",
        role=ParticipantRole.MEMBER,
        cooperative=cooperative,
    )
    services.participant_save(
        by=None,
        course=course,
        name="Người HTX khác",
        role=ParticipantRole.MEMBER,
        cooperative=other_cooperative,
    )
    client.force_login(htx_manager)
    response = client.get(course.get_absolute_url())
    assert [p.name for p in response.context["participants"]] == ["Người HTX mình"]


def test_editing_keeps_a_policy_no_longer_in_use(client, commune_officer, grant, local_policy):
    local_policy.is_active = False
    local_policy.save()
    client.force_login(commune_officer)
    response = client.post(
        reverse("support:grant_edit", args=[grant.pk]),
        {
            "policy": local_policy.pk,
            "granted_on": "2019-05-02",
            "amount": "13000000",
            "source": "province",
        },
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.amount == Decimal(13_000_000)
