"""Column specs of an app's spreadsheets, and the matching of a file's headers to them.

An app declares its columns (`Column`, typed by `ColumnType`) once; the import matches a file's
headers to them by name (in Vietnamese or English, with or without diacritics, with a unit in
parentheses) and the export and the blank template write them. Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hoptac.core.tabular.cells import unit_scale
from hoptac.core.text import fold


class ColumnType:
    """How a column's cells are read and written."""

    TEXT = "text"
    CODE = "code"  # an identifier written with digits: kept as text, leading zeros restored
    PHONE = "phone"
    INTEGER = "integer"
    MONEY = "money"  # whole đồng
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    PLACE = "place"  # an address of administrative units, resolved by the app


@dataclass(frozen=True)
class Column:
    """One column of an app's spreadsheets.

    key: the stable key (a model field name, or a key the app reads itself); header: the
    English header (its translation is the Vietnamese one); aliases: other names accepted on
    import, Vietnamese or English, with or without diacritics, each with an optional scale (a
    number of đồng per unit written: "Vốn điều lệ (triệu đồng)"); required: a new row needs it
    (a list's header row must name it); export: written by the export and the template.
    """

    key: str
    header: Promise
    type: str
    aliases: tuple[str | tuple[str, int], ...] = ()
    required: bool = False
    choices: type[models.TextChoices] | None = None
    choice_aliases: dict[str, str] = field(default_factory=dict)
    export: bool = True
    width: int = 16

    def names(self) -> list[tuple[str, int]]:
        """Every name this column is known by, with the scale each names: its key, its header
        in English and in Vietnamese, its aliases."""
        names: list[tuple[str, int]] = [(self.key.replace("_", " "), 1)]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append((str(self.header), 1))
        names += [alias if isinstance(alias, tuple) else (alias, 1) for alias in self.aliases]
        return names


# Headers of columns that are known but never imported: row numbers, notes, the fix-list's
# own error column.
IGNORED_HEADERS = (
    "STT",
    "TT",
    "Số TT",
    "Số thứ tự",
    "No.",
    "Ghi chú",
    "Notes",
    "Note",
    "Lỗi",
    "Error",
    "Errors",
)

_NON_WORD = re.compile(r"[^a-z0-9]+")
PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_PHRASES = (("lien hiep hop tac xa", "lhhtx"), ("hop tac xa", "htx"), ("to hop tac", "tht"))


def normalize_header(text: Any) -> str:
    """A header as compared: folded, words only, the kinds' long names abbreviated.

    "Tên hợp tác xã (*)" and "Ten HTX" both give "ten htx".
    """
    words = _NON_WORD.sub(" ", fold(str(text if text is not None else ""))).strip()
    for phrase, short in _PHRASES:
        words = re.sub(rf"\b{phrase}\b", short, words)
    return words


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What a file's header names: a column (key) and the scale of its unit, or nothing to
    import (key None: a row number, notes, the fix-list's errors)."""

    key: str | None
    scale: int = 1


IGNORED = HeaderMatch(None)

HeaderMatcher = Callable[[Any], HeaderMatch | None]


def header_index(
    columns: Iterable[Column], ignored: Sequence[str] = IGNORED_HEADERS
) -> dict[str, HeaderMatch]:
    """Every accepted name of `columns`, normalized, with what it names; the `ignored` headers
    (and the fix-list's error column, in Vietnamese) name nothing to import."""
    index: dict[str, HeaderMatch] = {}
    for column in columns:
        for name, scale in column.names():
            index.setdefault(normalize_header(name), HeaderMatch(column.key, scale))
    for name in ignored:
        index.setdefault(normalize_header(name), IGNORED)
    with translation.override("vi"):
        index.setdefault(normalize_header(_("Error")), IGNORED)
    return index


_UNIT_WORDS = re.compile(r"\b(?:don vi tinh|don vi|dvt)\b")


def match_in(
    index: dict[str, HeaderMatch], text: Any, money: Collection[str] = ()
) -> HeaderMatch | None:
    """The column a file's header names in `index`, or None when it names none.

    Tried as written (normalized), then without its parenthesised parts ("Số thành viên
    (người)" is "Số thành viên"), then without a unit written after "đơn vị" ("Vốn điều lệ,
    đơn vị: triệu đồng"). A column whose key is in `money` takes the unit its header writes
    ("(nghìn đồng)", "(triệu đồng)", "(tỷ đồng)", "đơn vị: triệu đồng") as its scale.
    """
    normalized = normalize_header(text)
    if not normalized:
        return None
    found = index.get(normalized)
    if found is None:
        bare = normalize_header(PARENTHESES.sub(" ", str(text)))
        if not bare:
            return None
        found = index.get(bare)
        if found is None and _UNIT_WORDS.search(bare):
            found = index.get(_UNIT_WORDS.split(bare)[0].strip())
        if found is None:
            return None
    if found.key is not None and found.key in money:
        scale = unit_scale(str(text))
        if scale is not None:
            return HeaderMatch(found.key, scale)
    return found


def header_matcher(
    columns: Callable[[], Iterable[Column]], ignored: Sequence[str] = IGNORED_HEADERS
) -> HeaderMatcher:
    """A match function over the columns `columns()` gives (match_in: a money column takes
    its header's unit), its index built at the first call (after the translations are ready)
    and kept."""
    built: list[tuple[dict[str, HeaderMatch], frozenset[str]]] = []

    def match(text: Any) -> HeaderMatch | None:
        if not built:
            known = list(columns())
            money = frozenset(c.key for c in known if c.type == ColumnType.MONEY)
            built.append((header_index(known, ignored), money))
        index, money = built[0]
        return match_in(index, text, money)

    return match
