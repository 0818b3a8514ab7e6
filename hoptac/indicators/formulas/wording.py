"""Numbers, dates and sentences as Vietnamese administrative documents write them.

- thousands with ".", decimals with "," (1.234.567,5);
- counts under 10 with a leading zero, as officials write them ("02 HTX", "05 hợp tác xã");
- "Đến hết tháng 4/2019" for the last day of a month, "Đến hết năm 2019" for 31 December.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MILLION = Decimal(1_000_000)


def number_vi(x: Decimal | int | float, decimals: int = 0) -> str:
    """1234567.5 -> "1.234.567,5" (with `decimals` figures after the comma, trailing zeros
    dropped)."""
    value = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    fraction = fraction.rstrip("0")
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def count_vi(n: Decimal | int) -> str:
    """A count as officials write it: a leading zero under 10 ("02"), "0" for none."""
    n = int(n)
    if 0 < n < 10:
        return f"{n:02d}"
    return number_vi(n)


def percent_vi(x: Decimal | float | None, decimals: int = 1, space: bool = False) -> str:
    """83.5 -> "83,5%" ("83,5 %" with `space`); "—" when there is no value."""
    if x is None:
        return "—"
    return number_vi(x, decimals) + (" %" if space else "%")


def money_vi(x: Decimal | int | None) -> str:
    """An amount in VND as reports write it: millions with one decimal ("1.234,5 triệu
    đồng") from a million up, else whole đồng."""
    if x is None:
        return "—"
    value = Decimal(x)
    if abs(value) >= MILLION:
        return f"{number_vi(value / MILLION, 1)} triệu đồng"
    return f"{number_vi(value)} đồng"


def is_month_end(on: date) -> bool:
    return on.day == calendar.monthrange(on.year, on.month)[1]


def as_of_vi(on: date) -> str:
    """The opening words of a situation: "Đến hết tháng 4/2019", "Đến hết năm 2019", or
    "Đến ngày 15/04/2019"."""
    if on.month == 12 and on.day == 31:
        return f"Đến hết năm {on.year}"
    if is_month_end(on):
        return f"Đến hết tháng {on.month}/{on.year}"
    return f"Đến ngày {on:%d/%m/%Y}"


TYPE_WORDS = {
    "tinh": "tỉnh",
    "thanh_pho_tw": "thành phố",
    "quan": "quận",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thanh_pho": "thành phố",
    "xa": "xã",
    "phuong": "phường",
    "thi_tran": "thị trấn",
    "dac_khu": "đặc khu",
}


def place_vi(unit_type: str | None, short_name: str | None) -> str:
    """An administrative unit inside a sentence: ("tinh", "Bắc Kạn") -> "tỉnh Bắc Kạn",
    ("thanh_pho", "Bắc Kạn") -> "thành phố Bắc Kạn"; no unit: "cả nước"."""
    if not short_name:
        return "cả nước"
    return f"{TYPE_WORDS.get(unit_type or '', '')} {short_name}".strip()


def situation_vi(
    *, on: date, place: str, total: int, agricultural: int, non_agricultural: int
) -> str:
    """ "Đến hết tháng 4/2019, tỉnh Bắc Kạn có 167 hợp tác xã, trong đó có 123 hợp tác xã nông
    nghiệp và 44 hợp tác xã phi nông nghiệp." """
    opening = f"{as_of_vi(on)}, {place}"
    if total == 0:
        return f"{opening} chưa có hợp tác xã nào."
    parts = []
    if agricultural:
        parts.append(f"{count_vi(agricultural)} hợp tác xã nông nghiệp")
    if non_agricultural:
        parts.append(f"{count_vi(non_agricultural)} hợp tác xã phi nông nghiệp")
    return f"{opening} có {count_vi(total)} hợp tác xã, trong đó có {' và '.join(parts)}."


def enumerate_vi(items: Sequence[str]) -> str:
    """ "A, B và C" """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def cooperative_long_name(name: str) -> str:
    """ "HTX Cao Phong" -> "Hợp tác xã Cao Phong" (the written form of a document)."""
    for short in ("HTX ", "Htx "):
        if name.startswith(short):
            return "Hợp tác xã " + name[len(short) :]
    return name
