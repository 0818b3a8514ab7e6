"""A written report as plain blocks (headings, paragraphs, tables), rendered to HTML, text,
DOCX, PDF and XLSX by exporting.py. Table cells keep their raw values (int, Decimal, str):
each format writes numbers its own way (Vietnamese text, or typed Excel cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from hoptac.core.officialdoc.frame import Frame

from .formulas.wording import number_vi

Cell = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: str = "body"  # body | note | center | italic


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a title; `key` names its sheet in the XLSX file; `decimals` per column."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    decimals: dict[int, int] = field(default_factory=dict)
    total: list[Cell] | None = None

    def text(self, row: list[Cell], index: int) -> str:
        value = row[index]
        if value is None:
            return "—"
        if isinstance(value, int | Decimal):
            return number_vi(value, self.decimals.get(index, 0))
        return str(value)

    def numeric(self, index: int) -> bool:
        return any(isinstance(r[index], int | Decimal) for r in self.rows)

    @property
    def html_rows(self) -> list[list[dict[str, object]]]:
        """Rows (and the total row) as cells with their text and alignment, for templates."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        numeric = [self.numeric(i) for i in range(len(self.columns))]
        return [
            [{"text": self.text(row, i), "numeric": numeric[i]} for i in range(len(self.columns))]
            for row in rows
        ]


Block = Heading | Paragraph | Table


@dataclass(slots=True)
class Document:
    """The report: its official frame (issuing body, number, place and date, kind and title,
    signature, recipients: core.officialdoc) and blocks."""

    head: Frame
    blocks: list[Block] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return "\n".join(line for line in self.head.body_lines if line)

    @property
    def place_date(self) -> str:
        return self.head.place_date

    @property
    def title(self) -> str:
        return self.head.kind_name

    @property
    def subtitle(self) -> str:
        return self.head.summary

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]
