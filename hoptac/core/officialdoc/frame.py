"""The texts of an official document's frame, as plain functions over plain data (no Django):
the motto, the issuing body under its parent body, the number line, the place and date line,
the kind and summary, the signature block and the recipients (Nghị định 30/2020/NĐ-CP, Phụ lục
I; the facts, sizes and styles are data in hoptac/core/data/document_format.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "document_format.yaml"

# The type words of administrative units, upper case, as they stand in a body's name.
UNIT_WORDS = {
    "tinh": "TỈNH",
    "thanh_pho_tw": "THÀNH PHỐ",
    "quan": "QUẬN",
    "huyen": "HUYỆN",
    "thi_xa": "THỊ XÃ",
    "thanh_pho": "THÀNH PHỐ",
    "xa": "XÃ",
    "phuong": "PHƯỜNG",
    "thi_tran": "THỊ TRẤN",
    "dac_khu": "ĐẶC KHU",
}
PROVINCIAL = ("tinh", "thanh_pho_tw")


@cache
def document_format() -> dict[str, Any]:
    """The data file, read once."""
    with DATA.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def element(name: str) -> dict[str, Any]:
    """The size and style of one element (`motto`, `issuing_body`, `body`, …)."""
    spec: dict[str, Any] = document_format()["elements"][name]
    return spec


def size(name: str) -> float:
    """The size in points hoptac uses for an element."""
    return float(element(name)["size"]["value"])


def margins_mm() -> dict[str, float]:
    """Top, bottom, left and right margins in millimetres."""
    return {side: float(v["value"]) for side, v in document_format()["margins_mm"].items()}


def two_digits(number: int) -> str:
    """05 for 5, 12 for 12: numbers below 10 take a leading zero."""
    return f"{number:02d}"


def date_line(place: str, on: date) -> str:
    """ "Bắc Kạn, ngày 03 tháng 12 năm 2026": the day below 10 and months 1 and 2 take a leading
    zero, the other months do not ("ngày 13 tháng 5")."""
    padded = element("place_date")["zero_padded_months"]
    month = two_digits(on.month) if on.month in padded else str(on.month)
    return f"{place}, ngày {two_digits(on.day)} tháng {month} năm {on.year}"


def symbol(kind_abbreviation: str, body_abbreviation: str) -> str:
    """ "BC-UBND" for a report of an UBND; "UBND" alone for a letter (công văn)."""
    return "-".join(part for part in (kind_abbreviation, body_abbreviation) if part)


def number_line(symbol_text: str, number: int | None = None) -> str:
    """ "Số: 05/BC-UBND", or with the number left blank for the records office to fill on the
    day of signing: "Số:      /BC-UBND"."""
    spec = element("number")
    shown = f" {two_digits(number)}" if number is not None else " " * int(spec["blank_width"])
    return f"{spec['prefix']}{shown}/{symbol_text}"


def recipient_lines(recipients: list[str] | tuple[str, ...]) -> list[str]:
    """The list under "Nơi nhận:": each item after a dash and ending with a semicolon, the
    last (the archive, "Lưu: VT") with a full stop."""
    items = [r.strip().lstrip("-").strip().rstrip(";.").strip() for r in recipients]
    items = [item for item in items if item]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues and signs an area's documents (the settings of an area, or their defaults)."""

    issuing_body: str
    place: str
    symbol: str  # the issuing body's abbreviation: "UBND", "STC"
    parent_body: str = ""
    signer_authority: tuple[str, ...] = ()  # ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")
    signer_title: str = ""  # "PHÓ CHỦ TỊCH"
    signer_name: str = ""
    recipients: tuple[str, ...] = ("Lưu: VT",)


def default_issuer(unit_type: str | None, name: str, province_name: str = "") -> Issuer:
    """The issuer when an area has no settings. A province (or a city under the centre): the
    Department of Finance (Sở Tài chính, in charge of cooperatives since Sở Kế hoạch và Đầu tư
    merged into it in 2025) under the provincial People's Committee; a district or commune: its
    People's Committee, signed on its behalf by a vice-chairman; the whole country: the
    Ministry of Finance. The signer's name is left blank."""
    if unit_type is None:
        return Issuer(
            issuing_body="BỘ TÀI CHÍNH",
            place="Hà Nội",
            symbol="BTC",
            signer_authority=("KT. BỘ TRƯỞNG",),
            signer_title="THỨ TRƯỞNG",
            recipients=("Lưu: VT",),
        )
    word = UNIT_WORDS.get(unit_type, "")
    if unit_type in PROVINCIAL:
        return Issuer(
            parent_body=f"UBND {word} {name.upper()}",
            issuing_body="SỞ TÀI CHÍNH",
            place=name,
            symbol="STC",
            signer_authority=("KT. GIÁM ĐỐC",),
            signer_title="PHÓ GIÁM ĐỐC",
            recipients=("Bộ Tài chính", f"UBND {word.lower()} {name}", "Lưu: VT"),
        )
    return Issuer(
        issuing_body=f"ỦY BAN NHÂN DÂN {word} {name.upper()}".replace("  ", " "),
        place=name,
        symbol="UBND",
        signer_authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
        signer_title="PHÓ CHỦ TỊCH",
        recipients=(
            *([f"Sở Tài chính tỉnh {province_name}"] if province_name else []),
            "Lưu: VT",
        ),
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """One document's frame: its issuer, kind (`report` or `letter`), summary and date."""

    issuer: Issuer
    kind: str
    summary: str
    on: date
    number: int | None = None
    addressees: tuple[str, ...] = field(default=())  # "Kính gửi: …" of a letter

    @property
    def motto(self) -> tuple[str, str]:
        return element("motto")["text"], element("motto_line")["text"]

    @property
    def kind_name(self) -> str:
        """ "BÁO CÁO"; "" for a letter, whose summary stands under the number as "V/v …"."""
        name: str = document_format()["kinds"][self.kind]["name"]
        return name

    @property
    def number_line(self) -> str:
        abbreviation = document_format()["kinds"][self.kind]["abbreviation"]
        return number_line(symbol(abbreviation, self.issuer.symbol), self.number)

    @property
    def place_date(self) -> str:
        return date_line(self.issuer.place, self.on)

    @property
    def body_lines(self) -> tuple[str, str]:
        """The parent body ("" when none) and the issuing body, upper case."""
        return self.issuer.parent_body.upper(), self.issuer.issuing_body.upper()

    @property
    def signature_lines(self) -> list[str]:
        """Authority and title, upper case: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ
        TỊCH"."""
        lines = [*self.issuer.signer_authority, self.issuer.signer_title]
        return [line.strip().upper() for line in lines if line.strip()]

    @property
    def recipients_heading(self) -> str:
        text: str = element("recipients_heading")["text"]
        return text

    @property
    def recipient_lines(self) -> list[str]:
        return recipient_lines(self.issuer.recipients)


def text_lines(frame: Frame) -> tuple[list[str], list[str]]:
    """The frame as plain text: the lines above the body and those below it."""
    parent, body = frame.body_lines
    head = [line for line in (parent, body) if line]
    head += [frame.number_line, *frame.motto, frame.place_date, ""]
    head += [frame.kind_name, frame.summary] if frame.kind_name else [f"V/v {frame.summary}"]
    if frame.addressees:
        head += ["", "Kính gửi: " + "; ".join(frame.addressees) + "."]
    tail = [*frame.signature_lines, "", frame.issuer.signer_name, ""]
    tail += [frame.recipients_heading, *frame.recipient_lines]
    return [*head, ""], tail
