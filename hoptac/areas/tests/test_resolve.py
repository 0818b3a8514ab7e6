"""`areas convert`: what an address of the old tree is called since 1 July 2025."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hoptac.areas.resolve import (
    AddressText,
    has_diacritics,
    normalize_tones,
    resolve_legacy_address,
    split_type,
    unit_matches,
)

# --- pure text helpers (no database) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hoà Bình", "Hòa Bình"), ("Thuỷ", "Thủy"), ("khoẻ", "KHỎE"), ("Hoàng", "hoàng")],
)
def test_normalize_tones_makes_both_placements_equal(a, b):
    assert normalize_tones(a) == normalize_tones(b)


def test_normalize_tones_keeps_different_letters_apart():
    assert normalize_tones("Lương Bàng") != normalize_tones("Lương Bằng")


@pytest.mark.parametrize(("text", "expected"), [("Chợ Đồn", True), ("Cho Don", False), ("", False)])
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


def test_split_type_takes_the_longest_type_word():
    assert split_type(["thi", "tran", "bang", "lung"]) == ("thi tran", ["bang", "lung"])
    assert split_type(["luong", "bang"]) == ("", ["luong", "bang"])


@pytest.mark.parametrize(
    ("address", "name", "exact", "typed"),
    [
        ("Xã Lương Bằng, Huyện Chợ Đồn", "Lương Bằng", True, "Lương Bằng"),
        ("xa luong bang, huyen cho don", "Lương Bằng", True, "luong bang"),
        ("Xã Lương Bàng, Huyện Chợ Đồn", "Lương Bằng", False, "Lương Bàng"),
        ("Luong Bangg, Cho Don, Bac Kan", "Lương Bằng", False, "Luong Bangg"),
        ("Lương Bằng, Chợ Đồn", "Bắc Kạn", False, None),
    ],
)
def test_spot_finds_a_name_verbatim_misspelt_or_not_at_all(address, name, exact, typed):
    spot = AddressText(address).spot(name)
    assert (spot.exact, spot.typed) == (exact, typed)


def test_leftovers_are_the_parts_not_read_as_a_unit():
    address = AddressText("Xã Tân Lập, Tỉnh Long An")
    address.consume(address.spot("Long An"))
    assert address.leftovers() == ["Xã Tân Lập"]


@pytest.mark.parametrize(
    ("query", "matches"),
    [("Xã Tân Lập", True), ("tan lap", True), ("Phường Tân Lập", False), ("Tân Lạc", False)],
)
def test_unit_matches_by_name_and_type(query, matches):
    assert unit_matches(query, "Xã Tân Lập", "Tân Lập", "xa") is matches


# --- resolution over the loaded trees ------------------------------------------------------------


def convert(*args: str) -> str:
    out = StringIO()
    call_command("areas", "convert", *args, stdout=out)
    return out.getvalue()


def convert_fails(*args: str) -> tuple[CommandError, str]:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("areas", "convert", *args, stdout=out)
    return failure.value, out.getvalue()


@pytest.mark.django_db
def test_the_issue_example_gives_old_codes_and_the_new_commune():
    text = convert("Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn")
    assert text.splitlines() == [
        "Đơn vị cũ: Xã Lương Bằng (02062), Huyện Chợ Đồn (064), Tỉnh Bắc Kạn (06)",
        "Đơn vị mới: Xã Nghĩa Tá (02071), Tỉnh Thái Nguyên (19)",
    ]


@pytest.mark.django_db
def test_an_address_without_diacritics_resolves_the_same_and_is_not_a_correction():
    resolution = resolve_legacy_address("xa luong bang, huyen cho don, tinh bac kan")
    assert (resolution.commune.code, resolution.district.code, resolution.province.code) == (
        "02062",
        "064",
        "06",
    )
    assert [s.commune.code for s in resolution.new] == ["02071"]
    assert not resolution.corrected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "typed"),
    [
        ("Xã Lương Bàng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", "Lương Bàng"),
        ("Luong Bangg, Cho Don, Bac Kan", "Luong Bangg"),
    ],
)
def test_a_misspelt_commune_is_converted_and_the_correction_is_told(address, typed):
    text = convert(address)
    assert "Đơn vị mới: Xã Nghĩa Tá (02071), Tỉnh Thái Nguyên (19)" in text
    assert "Đã hiểu địa chỉ là: Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn." in text
    assert f"“{typed}” được hiểu là Xã Lương Bằng." in text


@pytest.mark.django_db
def test_a_missing_province_is_inferred_and_said_so():
    resolution = resolve_legacy_address("Lương Bằng, Chợ Đồn")
    assert resolution.ok
    assert [(r.unit.code, r.typed) for r in resolution.readings] == [("06", None)]
    assert "Địa chỉ không ghi Tỉnh Bắc Kạn" in resolution.message


@pytest.mark.django_db
def test_a_commune_unique_in_its_province_is_found_without_its_district():
    # Bắc Kạn has one Xã Tân Lập (in Chợ Đồn) in the package's old tree.
    resolution = resolve_legacy_address("Xã Tân Lập, Tỉnh Bắc Kạn")
    assert (resolution.commune.code, resolution.district.code) == ("02032", "064")
    assert "Địa chỉ không ghi Huyện Chợ Đồn" in resolution.message


@pytest.mark.django_db
def test_written_diacritics_settle_between_communes_that_differ_only_by_them():
    # Hà Nội has Xã Tiên Phong (Ba Vì) and two Xã Tiền Phong.
    assert resolve_legacy_address("Xã Tiên Phong, Thành phố Hà Nội").commune.code == "09682"
    assert not resolve_legacy_address("Xa Tien Phong, Ha Noi").ok


@pytest.mark.django_db
def test_an_ambiguous_commune_exits_2_and_lists_the_communes_of_that_name():
    error, _ = convert_fails("Xã Tân Lập, Tỉnh Long An")
    assert error.returncode == 2
    message = str(error)
    assert "Tỉnh Long An có nhiều xã tên “Xã Tân Lập”: hãy ghi thêm huyện." in message
    assert "Xã Tân Lập, Huyện Mộc Hóa, Tỉnh Long An (27820)" in message
    assert "Xã Tân Lập, Huyện Tân Thạnh, Tỉnh Long An (27838)" in message


@pytest.mark.django_db
def test_an_unknown_address_exits_2_with_a_vietnamese_message():
    error, _ = convert_fails("abc xyz")
    assert error.returncode == 2
    assert "Không tìm thấy tỉnh hay huyện nào" in str(error)


@pytest.mark.django_db
def test_an_unknown_commune_exits_2_and_offers_close_names_of_the_district():
    error, _ = convert_fails("Xã Luong Bag, Huyện Chợ Đồn, Tỉnh Bắc Kạn")
    assert error.returncode == 2
    assert "Không tìm thấy xã “Xã Luong Bag” trong Huyện Chợ Đồn, Tỉnh Bắc Kạn." in str(error)
    assert "Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn (02062)" in str(error)


@pytest.mark.django_db
def test_only_a_district_exits_2_and_lists_its_communes():
    error, _ = convert_fails("Huyện Chợ Đồn, Tỉnh Bắc Kạn")
    assert error.returncode == 2
    assert "Chỉ tìm thấy huyện" in str(error)
    assert "Xã Nghĩa Tá, Huyện Chợ Đồn, Tỉnh Bắc Kạn (02071)" in str(error)


@pytest.mark.django_db
def test_only_a_province_exits_2_and_lists_its_districts():
    error, _ = convert_fails("Tỉnh Bắc Kạn")
    assert error.returncode == 2
    assert "Huyện Chợ Đồn, Tỉnh Bắc Kạn (064)" in str(error)


@pytest.mark.django_db
def test_a_divided_commune_lists_every_new_commune_default_first():
    text = convert("Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert "Đơn vị mới: Xã Trường Thành (31288), Thành phố Cần Thơ (92) (mặc định)" in text
    assert "Đơn vị mới: Xã Tân Thạnh (31666), Thành phố Cần Thơ (92)" in text
    assert "Xã cũ được chia cho 2 xã mới; Xã Trường Thành là xã mặc định." in text


@pytest.mark.django_db
def test_an_island_district_without_communes_converts_whole():
    resolution = resolve_legacy_address("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu")
    assert resolution.commune is None
    assert [(s.commune.name, s.province.code) for s in resolution.new] == [
        ("Đặc khu Côn Đảo", "79")
    ]


@pytest.mark.django_db
def test_json_format_of_a_resolved_address():
    data = json.loads(convert("Xã Lương Bàng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", "--format", "json"))
    assert data["input"] == "Xã Lương Bàng, Huyện Chợ Đồn, Tỉnh Bắc Kạn"
    assert data["old"] == {
        "commune": {"code": "02062", "name": "Xã Lương Bằng"},
        "district": {"code": "064", "name": "Huyện Chợ Đồn"},
        "province": {"code": "06", "name": "Tỉnh Bắc Kạn"},
    }
    assert data["new"] == [
        {
            "commune": {"code": "02071", "name": "Xã Nghĩa Tá"},
            "province": {"code": "19", "name": "Tỉnh Thái Nguyên"},
            "default": True,
        }
    ]
    assert data["corrected"] is True
    assert "được hiểu là Xã Lương Bằng" in data["message"]


@pytest.mark.django_db
def test_json_format_of_an_ambiguous_address_exits_2_with_candidates():
    error, out = convert_fails("Xã Tân Lập, Tỉnh Long An", "--format", "json")
    assert error.returncode == 2
    data = json.loads(out)
    assert set(data) == {"input", "error", "candidates"}
    assert {c["code"] for c in data["candidates"]} == {"27820", "27838"}
    assert data["candidates"][0]["full_name"].startswith("Xã Tân Lập, Huyện")
