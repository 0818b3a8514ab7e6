"""Regressions of issue #12 on course participants.

Defect 2: a course's participant list and its export showed a district or commune officer
the people of HTX outside his area. Participants now follow `Participant.objects.visible_to`
(hoptac.accounts.access.restrict_either): an HTX's manager or member where his HTX is, an
officer (no HTX) where the unit he works for is.

Defect 3: an officer could register a participant in any unit of the country; the unit is
now one of his area (and the HTX one he may see), checked on POST.
"""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hoptac.areas.models import AdminUnit
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from hoptac.support import services
from hoptac.support.choices import CourseTopic, ParticipantRole
from hoptac.support.models import Participant

pytestmark = pytest.mark.django_db

# Who takes part in the provincial course below, and where.
IN_LUONG_BANG = ["HTX Lương Bằng: Lục Văn Phong", "Cán bộ xã Lương Bằng"]
IN_NGHIA_TA = ["HTX Nghĩa Tá: Đinh Thị Hoa"]
ELSEWHERE = ["HTX Chợ Mới: Hà Văn Lâm", "Cán bộ huyện Chợ Mới", "Cán bộ tỉnh Bắc Kạn"]


@pytest.fixture
def cho_moi_commune(db):
    """A commune of Huyện Chợ Mới, the district beside Chợ Đồn in Bắc Kạn."""
    return AdminUnit.objects.filter(era="legacy", parent__code="065").order_by("code").first()


def _course(area, title="Tập huấn Luật HTX"):
    return services.course_save(
        by=None, title=title, topic=CourseTopic.COOPERATIVE_LAW, starts_on=date(2019, 3, 1),
        ends_on=date(2019, 3, 2), organiser="UBND", area=area,
    )  # fmt: skip


def _htx_person(course, name, cooperative):
    services.participant_save(
        by=None, course=course, name=name, role=ParticipantRole.MANAGER, cooperative=cooperative
    )


def _officer(course, name, area):
    services.participant_save(
        by=None, course=course, name=name, role=ParticipantRole.OFFICER, area=area
    )


@pytest.fixture
def provincial_course(bac_kan, cooperative, other_cooperative, cho_moi_commune, luong_bang):
    """A course of Tỉnh Bắc Kạn with people of Lương Bằng, Nghĩa Tá (both in Chợ Đồn) and of
    elsewhere in the province."""
    course = _course(bac_kan)
    _htx_person(course, IN_LUONG_BANG[0], cooperative)
    _officer(course, IN_LUONG_BANG[1], luong_bang)
    _htx_person(course, IN_NGHIA_TA[0], other_cooperative)
    _htx_person(course, ELSEWHERE[0], CooperativeFactory(commune_legacy=cho_moi_commune))
    _officer(course, ELSEWHERE[1], legacy_unit("065"))
    _officer(course, ELSEWHERE[2], bac_kan)
    return course


def _names_on_page(client, course):
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return sorted(p.name for p in response.context["participants"])


def _names_in_export(client, course):
    response = client.get(reverse("support:participant_export", args=[course.pk]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    return sorted(row[0] for row in rows if row[0])


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("district_officer", IN_LUONG_BANG + IN_NGHIA_TA),
        ("commune_officer", IN_LUONG_BANG),
        ("outsider", IN_NGHIA_TA),
        ("province_officer", IN_LUONG_BANG + IN_NGHIA_TA + ELSEWHERE),
        ("admin", IN_LUONG_BANG + IN_NGHIA_TA + ELSEWHERE),
    ],
)
def test_officer_sees_only_the_people_of_his_area(
    request, client, provincial_course, actor, expected
):
    client.force_login(request.getfixturevalue(actor))
    assert _names_on_page(client, provincial_course) == sorted(expected)
    assert _names_in_export(client, provincial_course) == sorted(expected)


def test_course_list_counts_only_the_people_of_his_area(
    client, district_officer, provincial_course
):
    client.force_login(district_officer)
    response = client.get(reverse("support:course_list"))
    row = next(c for c in response.context["page"] if c.pk == provincial_course.pk)
    assert row.people == len(IN_LUONG_BANG + IN_NGHIA_TA)


def test_htx_manager_still_sees_only_his_own_htx(
    client, htx_manager, cooperative, other_cooperative, luong_bang
):
    national = _course(None, "Luật HTX toàn quốc")
    _htx_person(national, IN_LUONG_BANG[0], cooperative)
    _officer(national, IN_LUONG_BANG[1], luong_bang)
    _htx_person(national, IN_NGHIA_TA[0], other_cooperative)
    client.force_login(htx_manager)
    assert _names_on_page(client, national) == [IN_LUONG_BANG[0]]


def test_person_of_another_area_cannot_be_opened_by_id(
    client, district_officer, cho_don, cho_moi_commune
):
    course = _course(cho_don, "Tập huấn của huyện")
    _officer(course, "Cán bộ lạc chỗ", cho_moi_commune)  # an old row, entered before the fix
    stranger = Participant.objects.get()
    client.force_login(district_officer)
    for name in ("participant_edit", "participant_delete"):
        url = reverse(f"support:{name}", args=[course.pk, stranger.pk])
        assert client.get(url).status_code == 404
    assert client.post(reverse("support:participant_delete", args=[course.pk, stranger.pk]))
    assert Participant.objects.filter(pk=stranger.pk).exists()


# --- defect 3: registering a participant ------------------------------------------------------


def _register(client, course, **data):
    url = reverse("support:participant_create", args=[course.pk])
    return client.post(url, {"name": "Người mới", "attended": "on", **data})


def test_officer_cannot_register_an_officer_of_a_unit_outside_his_area(
    client, district_officer, cho_don, cho_moi_commune
):
    course = _course(cho_don)
    client.force_login(district_officer)
    response = _register(client, course, role=ParticipantRole.OFFICER, area=cho_moi_commune.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["area"] == [
        "Địa bàn công tác của cán bộ: Chọn một đơn vị trong địa bàn của bạn."
    ]
    assert not Participant.objects.exists()


def test_officer_registers_an_officer_of_a_unit_in_his_area(
    client, district_officer, cho_don, nghia_ta
):
    course = _course(cho_don)
    client.force_login(district_officer)
    response = _register(client, course, role=ParticipantRole.OFFICER, area=nghia_ta.pk)
    assert response.status_code == 302
    assert Participant.objects.get().area == nghia_ta


def test_officer_cannot_register_a_person_of_an_htx_outside_his_area(
    client, district_officer, cho_don, cho_moi_commune
):
    outside = CooperativeFactory(commune_legacy=cho_moi_commune, tax_code="4700999999")
    course = _course(cho_don)
    client.force_login(district_officer)
    response = _register(
        client, course, role=ParticipantRole.MEMBER, cooperative_text=outside.tax_code
    )
    assert response.status_code == 200
    assert "cooperative_text" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_unit_picker_offers_only_units_of_his_area(district_officer, cho_don):
    from hoptac.support.forms import ParticipantForm

    units = ParticipantForm(user=district_officer).fields["area"].queryset
    assert units.filter(pk=cho_don.pk).exists()
    assert not units.exclude(path__startswith=cho_don.path).exists()


def test_import_refuses_an_officer_of_a_unit_outside_his_area(
    client,
    district_officer,
    cho_don,
    cho_moi_commune,
    tmp_path,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.VAR_DIR = tmp_path
    course = _course(cho_don)
    book = Workbook()
    book.active.append(["Họ và tên", "Vai trò", "Đơn vị"])
    book.active.append(["Cán bộ ngoài", "Cán bộ", cho_moi_commune.full_name])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=True):  # the check runs as a job
        response = client.post(
            reverse("support:participant_import", args=[course.pk]),
            {"file": SimpleUploadedFile("hv.xlsx", buffer.getvalue())},
        )
    page = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "import"})
    plans = client.get(page).context["plans"]
    assert [(plan["row"], plan["errors"]) for plan in plans] == [
        (2, [["Đơn vị", "Địa bàn công tác của cán bộ: Chọn một đơn vị trong địa bàn của bạn."]])
    ]
    assert not Participant.objects.exists()
