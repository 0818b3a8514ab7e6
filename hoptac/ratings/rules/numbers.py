"""Decimal helpers: Vietnamese number text, and numbers for JSON (ints where whole)."""

from __future__ import annotations

from decimal import Decimal


def format_vi(x: Decimal) -> str:
    """Vietnamese writing: "." between thousands, "," before decimals (1.200.000, 49,99)."""
    x = x.normalize() if x == x.to_integral_value() else x
    sign = "-" if x < 0 else ""
    text = f"{abs(x):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    fraction = fraction.rstrip("0")
    return sign + ".".join(groups) + ("," + fraction if fraction else "")


def json_number(x: Decimal) -> int | float:
    """An int when whole (7, not 7.0), else the float closest to it (49.99)."""
    if x == x.to_integral_value():
        return int(x)
    return float(x)
