"""Writes of the registry: placement, history, safe edits, statuses, deletion, members."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hoptac.areas.models import AdminUnit
from hoptac.registry import services
from hoptac.registry.choices import Kind, Sector, Status, SubSector
from hoptac.registry.models import Cooperative, Member, StatusChange
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

pytestmark = pytest.mark.django_db


def test_create_places_in_both_trees_and_records_the_first_status(province_officer, luong_bang):
    cooperative = services.cooperative_create(
        by=province_officer,
        name="HTX Cao Phong",
        sub_sector=SubSector.CROPS,
        commune_legacy=luong_bang,
        founded_on=date(2009, 6, 12),
        tax_code="4700000001",
    )
    assert cooperative.commune.full_name == "Xã Nghĩa Tá, Tỉnh Thái Nguyên"
    assert cooperative.province.code == "19"
    assert cooperative.province_legacy.code == "06"
    assert cooperative.district_legacy.code == "064"
    assert (cooperative.latitude, cooperative.longitude) == (
        luong_bang.latitude,
        luong_bang.longitude,
    )
    assert "htx cao phong" in cooperative.search_text
    assert "luong bang" in cooperative.search_text
    first = cooperative.status_changes.get()
    assert (first.status, first.effective_on, first.by) == (
        Status.ACTIVE,
        date(2009, 6, 12),
        province_officer,
    )
    record = cooperative.history.get()
    assert (record.history_type, record.history_user) == ("+", province_officer)


def test_create_in_the_2025_tree_leaves_the_old_commune_empty(current_officer):
    nghia_ta_2025 = AdminUnit.objects.get(era="2025", code="02071")
    cooperative = services.cooperative_create(
        by=current_officer, name="HTX Mới", sub_sector=SubSector.TRADE,
        sector=Sector.NON_AGRICULTURAL, commune=nghia_ta_2025,
    )  # fmt: skip
    assert cooperative.commune_legacy is None
    assert cooperative.province_legacy is None
    assert cooperative.province.code == "19"


def test_create_needs_a_commune_and_a_valid_code(admin):
    with pytest.raises(ValidationError) as error:
        services.cooperative_create(by=admin, name="HTX Không địa chỉ", tax_code="12345")
    assert set(error.value.message_dict) == {"commune", "tax_code"}
    assert not Cooperative.objects.exists()


def test_tax_code_is_unique_where_present(admin, luong_bang):
    CooperativeFactory(tax_code="4700000001")
    CooperativeFactory(tax_code="")
    CooperativeFactory(tax_code="")  # many without a code are fine
    with pytest.raises(ValidationError) as error:
        CooperativeFactory(tax_code="4700000001")
    assert "tax_code" in error.value.message_dict


def test_sub_sector_must_belong_to_the_sector(admin, luong_bang):
    with pytest.raises(ValidationError) as error:
        CooperativeFactory(sector=Sector.NON_AGRICULTURAL, sub_sector=SubSector.CROPS)
    assert "sub_sector" in error.value.message_dict


def test_update_bumps_the_version_and_records_who_changed_what(cooperative, district_officer):
    services.cooperative_update(
        cooperative=cooperative, by=district_officer, version=1, name="HTX Chè Mỹ Phương Ba Bể"
    )
    cooperative.refresh_from_db()
    assert cooperative.version == 2
    assert cooperative.name == "HTX Chè Mỹ Phương Ba Bể"
    assert "ba be" in cooperative.search_text
    latest = cooperative.history.latest()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        district_officer,
        "HTX Chè Mỹ Phương Ba Bể",
    )


def test_update_on_an_out_of_date_form_is_refused_and_changes_nothing(
    cooperative, district_officer, commune_officer
):
    services.cooperative_update(
        cooperative=cooperative, by=district_officer, version=1, phone="0209 3870 111"
    )
    with pytest.raises(services.EditConflictError) as error:
        services.cooperative_update(
            cooperative=cooperative, by=commune_officer, version=1, name="Tên khác"
        )
    cooperative.refresh_from_db()
    assert cooperative.name == "HTX Chè Mỹ Phương"
    assert cooperative.version == 2
    conflict = error.value
    assert conflict.version == 2
    [entry] = conflict.changes
    assert entry.who == "Hoàng Văn An"
    [change] = entry.changes
    assert (change.field, change.old, change.new) == ("phone", "—", "0209 3870 111")
    assert "0209 3870 111" in " ".join(conflict.messages)
    assert "Hoàng Văn An" in " ".join(conflict.messages)


def test_update_to_another_old_commune_moves_the_derived_places(cooperative, admin):
    nam_cuong = legacy_unit("02026")  # Xã Nam Cường, Chợ Đồn
    services.cooperative_update(
        cooperative=cooperative, by=admin, version=1, commune_legacy=nam_cuong, commune=None
    )
    cooperative.refresh_from_db()
    assert cooperative.commune_legacy == nam_cuong
    assert cooperative.commune == services.default_successor(nam_cuong)
    assert (cooperative.latitude, cooperative.longitude) == (
        nam_cuong.latitude,
        nam_cuong.longitude,
    )


def test_update_to_a_2025_commune_that_is_no_successor_clears_the_old_one(cooperative, admin):
    elsewhere = AdminUnit.objects.filter(era="2025", level=3).exclude(province__code="19").first()
    services.cooperative_update(cooperative=cooperative, by=admin, version=1, commune=elsewhere)
    cooperative.refresh_from_db()
    assert cooperative.commune == elsewhere
    assert cooperative.commune_legacy is None
    assert cooperative.province_legacy is None


def test_unions_and_managers_are_recorded_in_the_history(cooperative, admin, make_user):
    union = CooperativeFactory(name="Liên hiệp HTX Bắc Kạn", kind=Kind.UNION)
    manager = make_user("ql", "coop_manager", None, full_name="Ma Thị Hoa")
    services.cooperative_update(
        cooperative=cooperative, by=admin, version=1, unions=[union], managers=[manager]
    )
    from hoptac.registry import selectors

    changes = {
        c.field: c
        for e in selectors.cooperative_changes(cooperative=cooperative)
        for c in e.changes
    }
    assert changes["unions"].new == "Liên hiệp HTX Bắc Kạn"
    assert changes["managers"].new == "Ma Thị Hoa"


def test_status_change_follows_the_state_machine(cooperative, province_officer):
    services.cooperative_change_status(
        cooperative=cooperative,
        status=Status.SUSPENDED,
        effective_on=date(2020, 4, 1),
        by=province_officer,
        today=date(2026, 1, 1),
    )
    cooperative.refresh_from_db()
    assert cooperative.status == Status.SUSPENDED
    assert cooperative.version == 2
    with pytest.raises(ValidationError) as error:
        services.cooperative_change_status(
            cooperative=cooperative,
            status=Status.DISSOLVED,
            effective_on=date(2021, 1, 1),
            by=province_officer,
            today=date(2026, 1, 1),
        )
    assert "status" in error.value.message_dict
    assert cooperative.status_changes.count() == 2


def test_status_change_may_not_be_in_the_future_nor_before_the_last(cooperative, admin):
    with pytest.raises(ValidationError) as error:
        services.cooperative_change_status(
            cooperative=cooperative, status=Status.SUSPENDED, effective_on=date(2026, 2, 1),
            by=admin, today=date(2026, 1, 1),
        )  # fmt: skip
    assert "effective_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.cooperative_change_status(
            cooperative=cooperative, status=Status.SUSPENDED, effective_on=date(2015, 2, 1),
            by=admin, today=date(2026, 1, 1),
        )  # fmt: skip
    assert "effective_on" in error.value.message_dict
    assert StatusChange.objects.filter(cooperative=cooperative).count() == 1


def test_status_change_is_recorded_with_its_author(cooperative, admin):
    change = services.cooperative_change_status(
        cooperative=cooperative, status=Status.DISSOLVING, effective_on=date(2021, 3, 15),
        by=admin, note="Nghị quyết giải thể", today=date(2026, 1, 1),
    )  # fmt: skip
    assert change.by == admin
    assert change.history.get().history_user == admin


def test_delete_of_a_fresh_record_is_allowed_and_recorded(cooperative, admin):
    pk = cooperative.pk
    services.cooperative_delete(cooperative=cooperative, by=admin)
    assert not Cooperative.objects.filter(pk=pk).exists()
    deleted = Cooperative.history.filter(id=pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", admin)


def test_delete_is_refused_when_the_htx_has_members(cooperative, admin):
    services.member_add(cooperative=cooperative, by=admin, name="Nông Văn Dũng")
    with pytest.raises(ValidationError, match="đã có thành viên"):
        services.cooperative_delete(cooperative=cooperative, by=admin)
    assert Cooperative.objects.filter(pk=cooperative.pk).exists()


def test_delete_is_refused_when_the_status_has_changed(cooperative, admin):
    services.cooperative_change_status(
        cooperative=cooperative, status=Status.SUSPENDED, effective_on=date(2020, 4, 1),
        by=admin, today=date(2026, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="trạng thái đã thay đổi"):
        services.cooperative_delete(cooperative=cooperative, by=admin)
    assert Cooperative.objects.filter(pk=cooperative.pk).exists()


def test_delete_is_refused_for_a_union_with_member_htx(admin):
    union = CooperativeFactory(name="Liên hiệp HTX", kind=Kind.UNION)
    member = CooperativeFactory()
    member.unions.add(union)
    assert services.cooperative_delete_blockers(cooperative=union)
    with pytest.raises(ValidationError):
        services.cooperative_delete(cooperative=union, by=admin)


def test_members_count_follows_the_roster(cooperative, admin):
    today = date(2026, 1, 1)
    first = services.member_add(
        cooperative=cooperative, by=admin, name="Nông Văn Dũng",
        joined_on=date(2015, 3, 1), capital_contributed=Decimal(5_000_000), today=today,
    )  # fmt: skip
    services.member_add(cooperative=cooperative, by=admin, name="Hộ Ma Văn Sơn", today=today)
    cooperative.refresh_from_db()
    assert cooperative.members_count == 2
    services.member_update(member=first, by=admin, left_on=date(2025, 12, 31), today=today)
    cooperative.refresh_from_db()
    assert cooperative.members_count == 1
    assert first.history.latest().history_user == admin


def test_member_cannot_leave_before_joining(cooperative, admin):
    with pytest.raises(ValidationError) as error:
        services.member_add(
            cooperative=cooperative, by=admin, name="Lý Thị Lan",
            joined_on=date(2020, 1, 1), left_on=date(2019, 1, 1),
        )  # fmt: skip
    assert "left_on" in error.value.message_dict
    assert not Member.objects.exists()


def test_the_migration_fills_the_name_key_of_existing_rows_in_batches(monkeypatch, luong_bang):
    """0003's data step: rows written before the key existed get it, batch after batch."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from hoptac.registry.models import Cooperative

    migration = importlib.import_module("hoptac.registry.migrations.0003_cooperative_name_key")
    names = ["HTX Chè Mỹ Phương", "Hợp tác xã Cao Phong", "Tổ hợp tác Rau Sạch", "HTX 'Đông' Nam"]
    for name in names:
        services.cooperative_create(by=None, name=name, commune_legacy=luong_bang)
    Cooperative.objects.update(name_key="")
    monkeypatch.setattr(migration, "BATCH", 3)
    migration.fill_name_keys(apps, SimpleNamespace(connection=connection))
    keys = dict(Cooperative.objects.values_list("name", "name_key"))
    assert keys == {
        "HTX Chè Mỹ Phương": "htx che my phuong",
        "Hợp tác xã Cao Phong": "htx cao phong",
        "Tổ hợp tác Rau Sạch": "tht rau sach",
        "HTX 'Đông' Nam": "htx 'dong' nam",
    }
