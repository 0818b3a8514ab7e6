"""The officer's column map (hoptac.core.tabular.layout.ColumnMap) and the header matching of
hoptac.core.tabular.columns, over columns of the tests' own. Pure: no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hoptac.core.tabular import Column, ColumnMap, ColumnType, Layout, header_matcher, parse_value

COLUMNS = (
    Column("name", "Name", ColumnType.TEXT, ("Tên HTX",)),
    Column(
        "charter_capital",
        "Charter capital",
        ColumnType.MONEY,
        ("Vốn điều lệ", ("Vốn điều lệ (triệu đồng)", 1_000_000)),
    ),
    Column("members_count", "Members", ColumnType.INTEGER, ("Số thành viên",)),
)
match = header_matcher(lambda: COLUMNS)


def layout(headers: list[str]) -> Layout:
    found = [match(h) for h in headers]
    return Layout(
        format="xlsx",
        sheet=0,
        sheet_name="Sheet1",
        header_rows=[1],
        first_data_row=2,
        headers=headers,
        proposed=[f.key if f else None for f in found],
        scales=[f.scale if f else 1 for f in found],
    )


def test_a_column_mapped_by_hand_to_money_keeps_its_headers_unit():
    table = layout(["Tên HTX", "Vốn (tr.đ)", "Số thành viên"])
    assert table.proposed == ["name", None, "members_count"]  # "Vốn" alone names nothing
    chosen = ColumnMap.chosen(table, ["name", "charter_capital", "members_count"])
    assert chosen.scales == (1, 1_000_000, 1)
    scale = chosen.scales[chosen.index_of("charter_capital")]
    assert parse_value(COLUMNS[1], "1,5", scale) == Decimal(1_500_000)


def test_a_header_without_a_unit_mapped_by_hand_is_read_as_written():
    chosen = ColumnMap.chosen(layout(["Tên HTX", "Vốn góp"]), ["name", "charter_capital"])
    assert chosen.scales == (1, 1)


def test_a_proposed_column_keeps_the_scale_found_with_it_and_loses_it_when_moved():
    table = layout(["Tên HTX", "Vốn điều lệ (nghìn đồng)"])
    assert table.scales == [1, 1_000]
    assert ColumnMap.chosen(table, ["name", "charter_capital"]).scales == (1, 1_000)
    assert ColumnMap.chosen(table, ["name", None]).scales == (1, 1_000)  # not read anyway
    assert ColumnMap.proposed(table).scales == (1, 1_000)


@pytest.mark.parametrize(
    ("header", "key", "scale"),
    [
        ("Ten HTX", "name", 1),
        ("Tên hợp tác xã", "name", 1),  # "hợp tác xã" is abbreviated as HTX
        ("Tên công ty", None, None),  # names none of these columns
        ("Vốn điều lệ (triệu đồng)", "charter_capital", 1_000_000),
        ("Vốn điều lệ (tỷ đồng)", "charter_capital", 1_000_000_000),
        ("Vốn điều lệ, đơn vị: nghìn đồng", "charter_capital", 1_000),
        ("VON DIEU LE (DONG)", "charter_capital", 1),
        ("Số thành viên (người)", "members_count", 1),
        ("STT", None, 1),  # known, not imported
    ],
)
def test_headers_are_matched_with_the_unit_of_money_columns(header, key, scale):
    found = match(header)
    if scale is None:
        assert found is None
    else:
        assert found is not None
        assert (found.key, found.scale) == (key, scale)
