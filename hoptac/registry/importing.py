"""Import of the registry from a spreadsheet, the same code for the page and the command.

1. `read_layout`: open the file (excel.open_spreadsheet), find the header row (it may sit
   below a title block and span merged cells) and propose a column for each file column.
2. `run_import`: read every row, parse its cells (excel.parse_cell), resolve its address of
   either tree, match it to an existing organisation (registration code, else name + commune),
   validate it with the registry's own profile form (forms.CooperativeForm, one row at a time,
   as STYLE 2.7 says) and then the model's full_clean (the one-row rules of
   Cooperative.clean), check the user's scope, and classify it as new / changed / unchanged /
   error. Unless it is a dry run, valid rows are written in one transaction, chunk by chunk:
   new organisations with simple-history's bulk_create_with_history (and their first
   StatusChange), changed ones through services.cooperative_update and
   services.cooperative_change_status, so every change is in the history. By default an error
   anywhere rolls everything back; `valid_only` writes the valid rows and returns the others
   for a fix-list (the file's layout plus an error column).

Rows are read and written in chunks, so memory holds one chunk, the keys already seen (for
duplicates inside the file) and the error rows.
"""

from __future__ import annotations

import copy
import json
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms as django_forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.forms.models import construct_instance
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from hoptac.accounts import access
from hoptac.areas.choices import Era, Level
from hoptac.areas.models import AdminUnit, Succession
from hoptac.areas.resolve import (
    has_diacritics,
    normalize_tones,
    resolve_legacy_address,
    split_type,
)
from hoptac.core.text import fold
from hoptac.registry import excel, rules, services
from hoptac.registry.choices import Kind, Status, sector_of
from hoptac.registry.excel import COLUMNS_BY_KEY, Column, HeaderMatch, ImportFileError
from hoptac.registry.forms import CooperativeForm
from hoptac.registry.models import Cooperative, StatusChange

if TYPE_CHECKING:
    from hoptac.accounts.models import User

HEADER_SCAN_ROWS = 30
CHUNK_SIZE = 500
MIN_HEADER_MATCHES = 2
PLACE_FIELDS = ("commune_legacy", "commune", "province_legacy", "district_legacy", "province")
# Model fields the profile form sets, in the order of COLUMNS.
FORM_FIELDS = tuple(c.key for c in excel.COLUMNS if c.is_field)
# Required fields whose empty cell means "keep what is recorded" for an existing organisation.
KEEP_WHEN_EMPTY = ("name", "kind", "sector", "status")

Progress = Callable[[str, int, int], None]
HeaderMatcher = Callable[[Any], HeaderMatch | None]


def max_import_bytes() -> int:
    """The largest file accepted (HOPTAC_MAX_IMPORT_MB)."""
    return int(settings.HOPTAC_MAX_IMPORT_MB) * 1024 * 1024


def check_size(size: int) -> None:
    """Refuse a file larger than HOPTAC_MAX_IMPORT_MB."""
    if size > max_import_bytes():
        raise excel.too_large(size, settings.HOPTAC_MAX_IMPORT_MB)


# --- layout: where the table is and what its columns are ---------------------------------------


@dataclass
class Layout:
    """Where the table sits in the file and what its columns are.

    headers: each file column's header as the file writes it (merged cells take the value of
    their top-left cell); proposed: the column key each header names (None: not imported).
    """

    format: str
    sheet: int
    sheet_name: str
    header_rows: list[int]
    first_data_row: int
    headers: list[str]
    proposed: list[str | None]
    scales: list[int]
    title_rows: list[list[Any]] = field(default_factory=list)
    header_values: list[list[Any]] = field(default_factory=list)
    samples: list[list[Any]] = field(default_factory=list)  # the first data rows
    csv_dialect: tuple[str, str] | None = None

    def label(self, index: int) -> str:
        """A file column as the officer knows it: its header, else its letter."""
        from openpyxl.utils import get_column_letter

        header = self.headers[index] if index < len(self.headers) else ""
        return header or _("column %(letter)s") % {"letter": get_column_letter(index + 1)}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["title_rows"] = [[_jsonable(v) for v in row] for row in self.title_rows]
        data["header_values"] = [[_jsonable(v) for v in row] for row in self.header_values]
        data["samples"] = [[_jsonable(v) for v in row] for row in self.samples]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        data = dict(data)
        if data.get("csv_dialect"):
            data["csv_dialect"] = tuple(data["csv_dialect"])
        return cls(**data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _filled_grid(rows: list[list[Any]], merges: Iterable[excel.Merge]) -> list[list[Any]]:
    """The first rows with every merged cell holding its range's top-left value."""
    grid = [list(row) for row in rows]
    for merge in merges:
        if merge.first_row > len(grid):
            continue
        top = grid[merge.first_row - 1]
        value = top[merge.first_col - 1] if merge.first_col - 1 < len(top) else None
        for r in range(merge.first_row - 1, min(merge.last_row, len(grid))):
            row = grid[r]
            if len(row) < merge.last_col:
                row.extend([None] * (merge.last_col - len(row)))
            for c in range(merge.first_col - 1, merge.last_col):
                row[c] = value
    return grid


def _matches(
    row: Sequence[Any], match: HeaderMatcher = excel.match_header
) -> list[HeaderMatch | None]:
    return [match(v) if v not in (None, "") else None for v in row]


def _score(matches: Sequence[HeaderMatch | None]) -> int:
    return len({m.key for m in matches if m is not None and m.key is not None})


def _is_numbering_row(row: Sequence[Any]) -> bool:
    """A row under the header that numbers the columns: 1 2 3… or (1) (2) (3)…"""
    values = [str(v).strip().strip("()") for v in row if v not in (None, "")]
    return len(values) >= 3 and all(v.isdigit() for v in values) and values[0] in ("1", "A")


def _sheet_layout(
    sheet: excel.Sheet, index: int, fmt: str, match: HeaderMatcher = excel.match_header
) -> tuple[int, Layout] | None:
    head: list[tuple[int, list[Any]]] = []
    for number, values in sheet.rows():
        head.append((number, values))
        if len(head) >= HEADER_SCAN_ROWS + 2:
            break
    if not head:
        return None
    numbers = [n for n, _v in head]
    offset = numbers[0] - 1  # rows before the first one read (an .ods starting lower)
    raw: list[list[Any]] = [[] for _ in range(offset)] + [list(v) for _n, v in head]
    grid = _filled_grid(raw, sheet.merges)
    width = max(len(row) for row in grid)
    grid = [row + [None] * (width - len(row)) for row in grid]
    matches = [_matches(row, match) for row in grid]
    scan = range(offset, min(len(grid), offset + HEADER_SCAN_ROWS))
    best = max(scan, key=lambda r: (_score(matches[r]), -r))
    score = _score(matches[best])
    if score < MIN_HEADER_MATCHES:
        return None
    chosen: list[HeaderMatch | None] = list(matches[best])
    headers = [_text(v) for v in grid[best]]
    header_rows = [best]
    used = {m.key for m in chosen if m is not None and m.key}
    for neighbour in (best - 1, best + 1):  # a two-row header: groups above, parts below
        if not offset <= neighbour < len(grid):
            continue
        taken = {
            c: found
            for c, found in enumerate(matches[neighbour])
            if found is not None and found.key and found.key not in used and chosen[c] is None
        }
        unknown = sum(
            1
            for c, value in enumerate(grid[neighbour])
            if value not in (None, "") and matches[neighbour][c] is None and value != grid[best][c]
        )
        if not taken or unknown > len(taken):  # a data row, not a header
            continue
        for c, found in taken.items():
            chosen[c], headers[c] = found, _text(grid[neighbour][c])
            used.add(found.key)  # type: ignore[arg-type]
        header_rows.append(neighbour)
    last = max(header_rows)
    first_data = last + 1
    if first_data < len(grid) and _is_numbering_row(grid[first_data]):
        first_data += 1
    proposed: list[str | None] = []
    scales: list[int] = []
    seen: set[str] = set()
    for found in chosen:
        key = found.key if found is not None and found.key not in seen else None
        if key:
            seen.add(key)
        proposed.append(key)
        scales.append(found.scale if found is not None and key else 1)
    layout = Layout(
        format=fmt,
        sheet=index,
        sheet_name=sheet.name,
        header_rows=[r + 1 for r in sorted(header_rows)],
        first_data_row=first_data + 1,
        headers=headers,
        proposed=proposed,
        scales=scales,
        title_rows=raw[: min(header_rows)],
        header_values=[raw[r] for r in sorted(header_rows)],
        samples=[
            [excel.display(v) for v in row]
            for row in raw[first_data : first_data + 3]
            if any(v not in (None, "") for v in row)
        ],
    )
    return score, layout


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def read_layout(path: Path, *, match: HeaderMatcher = excel.match_header) -> Layout:
    """Open the file at `path` and find its table: the sheet and header row that name the
    most known columns (among the first sheets and rows). ImportFileError if none does.

    match: what a header names (the registry's columns by default; the reports app passes
    its own, to reuse this reading for its spreadsheets)."""
    check_size(path.stat().st_size)
    with excel.open_spreadsheet(path) as book:
        return _layout_of(book, match)


def _layout_of(book: excel.Spreadsheet, match: HeaderMatcher = excel.match_header) -> Layout:
    """The layout of an open spreadsheet (read_layout)."""
    found = [
        result
        for index, sheet in enumerate(book.sheets)
        if (result := _sheet_layout(sheet, index, book.format, match)) is not None
    ]
    if not found:
        raise ImportFileError(
            _(
                "No header row was found in the first %(rows)s rows: the file must have a "
                "row of column names such as “Tên HTX”, “Mã số HTX”, “Địa chỉ”."
            )
            % {"rows": HEADER_SCAN_ROWS}
        )
    layout = max(found, key=lambda pair: pair[0])[1]
    layout.csv_dialect = book.csv_dialect
    return layout


@dataclass(frozen=True)
class ColumnMap:
    """The officer's choice: which key each file column feeds (None: not imported)."""

    keys: tuple[str | None, ...]
    scales: tuple[int, ...]

    @classmethod
    def proposed(cls, layout: Layout) -> ColumnMap:
        return cls(tuple(layout.proposed), tuple(layout.scales))

    @classmethod
    def chosen(cls, layout: Layout, keys: Sequence[str | None]) -> ColumnMap:
        """A map from the officer's choices; a column keeps its header's scale only while it
        feeds the column its header names."""
        scales = tuple(
            scale if key == proposed else 1
            for key, proposed, scale in zip(keys, layout.proposed, layout.scales, strict=True)
        )
        return cls(tuple(keys), scales)

    def index_of(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def mapped(self) -> set[str]:
        return {k for k in self.keys if k}


def mapping_errors(layout: Layout, mapping: ColumnMap) -> list[str]:
    """What makes a mapping unusable: a key fed by two columns, nothing to match rows by."""
    errors = []
    seen: dict[str, int] = {}
    for index, key in enumerate(mapping.keys):
        if not key:
            continue
        if key not in COLUMNS_BY_KEY:
            errors.append(_("Unknown column key “%(key)s”.") % {"key": key})
        elif key in seen:
            errors.append(
                _("The columns “%(first)s” and “%(second)s” are both read as “%(column)s”.")
                % {
                    "first": layout.label(seen[key]),
                    "second": layout.label(index),
                    "column": COLUMNS_BY_KEY[key].header,
                }
            )
        else:
            seen[key] = index
    if not {"name", "tax_code"} & set(seen):
        errors.append(_("Choose the column of the cooperative's name or of its registration code."))
    return errors


# --- places --------------------------------------------------------------------------------------


@dataclass
class Place:
    """An address resolved: the commune written (of either tree) and the 2025 communes it is
    today (the default first). `note` says how it was read; `error` why it could not be."""

    legacy: AdminUnit | None = None
    current: AdminUnit | None = None
    successors: list[AdminUnit] = field(default_factory=list)
    note: str = ""
    error: str = ""

    @property
    def today(self) -> AdminUnit | None:
        return self.current or (self.successors[0] if self.successors else None)

    def shown(self) -> str:
        """ "old → today" for the preview."""
        if self.legacy and self.today:
            return f"{self.legacy.full_name} → {self.today.full_name}"
        unit = self.legacy or self.current
        return unit.full_name if unit else ""


def _parts(text: str, *, accented: bool) -> tuple[str, ...]:
    """The comma-separated parts of an address as the index keys them: with their diacritics
    (one tone placement) when written with them, folded otherwise."""
    key = normalize_tones if accented else fold
    parts = (" ".join(key(part).replace(".", " ").split()) for part in text.split(","))
    return tuple(part for part in parts if part)


_INDEX_CACHE: dict[tuple[int, int | None], tuple[Any, Any, Any]] = {}


def _commune_index() -> tuple[
    dict[tuple[str, ...], list[int]],
    dict[tuple[str, ...], list[int]],
    dict[tuple[str, ...], list[int]],
]:
    """Every commune of both trees by its full name: with diacritics, folded, and (2025) its
    bare name and province. Built once per process while the units stay the same."""
    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    stamp = communes.aggregate(n=Count("pk"), last=Max("pk"))
    key = (stamp["n"], stamp["last"])
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    exact: dict[tuple[str, ...], list[int]] = {}
    folded: dict[tuple[str, ...], list[int]] = {}
    bare: dict[tuple[str, ...], list[int]] = {}
    rows = communes.values_list(
        "pk", "era", "name", "short_name", "parent__name", "province__name", "province__short_name"
    )
    for pk, era, name, short, parent, province, province_short in rows:
        names = (name, parent, province) if era == Era.LEGACY else (name, province)
        exact.setdefault(tuple(normalize_tones(n) for n in names), []).append(pk)
        folded.setdefault(tuple(fold(n) for n in names), []).append(pk)
        if era == Era.CURRENT:
            bare.setdefault((fold(short), fold(province_short)), []).append(pk)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (exact, folded, bare)
    return exact, folded, bare


class PlaceResolver:
    """Resolve the addresses of one import, each distinct text once.

    Full names ("Xã Lương Bằng, Huyện Chợ Đồn, Tỉnh Bắc Kạn", as the export writes them, with
    or without diacritics) are looked up in an index of every commune of both trees; written
    with diacritics they must match them ("Lộc Thạnh" is not "Lộc Thành"). Anything else goes
    to the areas app's resolver of old addresses (hoptac.areas.resolve), then to the 2025
    names without their type words.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], Place] = {}
        self._exact: dict[tuple[str, ...], list[int]] = {}
        self._folded: dict[tuple[str, ...], list[int]] = {}
        self._bare_2025: dict[tuple[str, ...], list[int]] = {}
        self._loaded = False
        self._units: dict[int, AdminUnit] = {}
        self._successors: dict[int, list[AdminUnit]] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self._exact, self._folded, self._bare_2025 = _commune_index()

    def _lookup(self, text: str, current_only: bool) -> list[int]:
        """The communes whose full name `text` ends with (several when ambiguous)."""
        self._load()
        accented = has_diacritics(text)
        index = self._exact if accented else self._folded
        parts = _parts(text, accented=accented)
        found: list[int] = []
        if len(parts) >= 3 and not current_only:
            found = index.get(parts[-3:], [])
        if not found and len(parts) >= 2:
            found = index.get(parts[-2:], [])
        return found

    def prefetch(self, texts: Iterable[str], *, current_only: bool = False) -> None:
        """Load at once the units (and their successors) that `texts` name exactly."""
        wanted = {
            found[0]
            for text in set(texts)
            if (text, current_only) not in self._cache
            and len(found := self._lookup(text, current_only)) == 1
            and found[0] not in self._units
        }
        if not wanted:
            return
        units = AdminUnit.objects.in_bulk(wanted)  # the units only: their ids place an HTX
        self._units.update(units)
        legacy = [pk for pk, unit in units.items() if unit.era == Era.LEGACY]
        for pk in legacy:
            self._successors[pk] = []
        successions = (
            Succession.objects.filter(old_id__in=legacy)
            .select_related("new")
            .order_by("old_id", "-is_default", "new__code")
        )
        for succession in successions:  # one object per unit, however many lead to it
            new = self._units.setdefault(succession.new_id, succession.new)
            self._successors[succession.old_id].append(new)

    def unit(self, pk: int) -> AdminUnit:
        if pk not in self._units:
            self._units[pk] = AdminUnit.objects.get(pk=pk)
        return self._units[pk]

    def successors(self, legacy: AdminUnit) -> list[AdminUnit]:
        """The 2025 communes an old commune went into, the default first."""
        if legacy.pk not in self._successors:
            found = (
                Succession.objects.filter(old=legacy)
                .select_related("new")
                .order_by("-is_default", "new__code")
            )
            self._successors[legacy.pk] = [s.new for s in found]
        return self._successors[legacy.pk]

    def resolve(self, text: str, *, current_only: bool = False) -> Place:
        key = (text, current_only)
        if key not in self._cache:
            self._cache[key] = self._resolve(text, current_only)
        return self._cache[key]

    def _found(self, pk: int) -> Place:
        unit = self.unit(pk)
        if unit.era == Era.LEGACY:
            return Place(legacy=unit, successors=self.successors(unit))
        return Place(current=unit)

    def _resolve(self, text: str, current_only: bool) -> Place:
        candidates = self._lookup(text, current_only)
        if len(candidates) == 1:
            return self._found(candidates[0])
        resolution = None
        if not current_only:
            resolution = resolve_legacy_address(text)
            if resolution.ok and resolution.commune is not None:
                place = Place(legacy=resolution.commune, note=resolution.message)
                place.successors = self.successors(resolution.commune)
                return place
        parts = _parts(text, accented=False)
        if len(parts) >= 2 and not (candidates and has_diacritics(text)):
            bare = tuple(" ".join(split_type(p.split())[1]) for p in parts[-2:])
            found = self._bare_2025.get(bare, [])
            if len(found) == 1:
                place = self._found(found[0])
                place.note = _("Read as %(unit)s.") % {"unit": place.current.full_name}  # type: ignore[union-attr]
                return place
        if resolution is None:
            return Place(
                error=_(
                    "“%(address)s” is not a commune of the 2025 tree: write it as “Xã …, Tỉnh …”."
                )
                % {"address": text}
            )
        message = resolution.error or _("“%(address)s” is not a commune.") % {"address": text}
        if resolution.candidates:
            names = "; ".join(u.full_name for u in resolution.candidates[:3])
            message += " " + _("Closest: %(names)s.") % {"names": names}
        return Place(error=message)


# --- rows ----------------------------------------------------------------------------------------


@dataclass
class RowError:
    """An error of one row: the row number as the spreadsheet shows it, the column's header
    as the file writes it ("" for the whole row), and the message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Change:
    """One field that an import changes: its label, the old and the new value as shown."""

    label: str
    old: str
    new: str


NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"


@dataclass
class RowPlan:
    """What an import does with one row."""

    row: int
    raw: list[Any]
    action: str = NEW
    name: str = ""
    place: str = ""
    note: str = ""
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    existing: Cooperative | None = None
    target: Cooperative | None = None
    updates: dict[str, Any] = field(default_factory=dict)
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "place": self.place,
            "note": self.note,
            "cooperative": self.existing.pk if self.existing else None,
            "changes": [[c.label, c.old, c.new] for c in self.changes],
            "errors": [[e.column, e.message] for e in self.errors],
        }


@dataclass
class Summary:
    """The outcome of an import: counts of what the file holds (and, when `written`, of
    what was written), every error, and where the fix-list went."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    fix_list: str = ""
    file_error: str = ""

    @property
    def accounted(self) -> bool:
        """Every row is created, updated, unchanged or in the fix-list."""
        listed = self.error_rows if self.fix_list else 0
        return self.rows == self.created + self.updated + self.unchanged + listed

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "rows": self.rows,
            "error_rows": self.error_rows,
            "written": self.written,
            "dry_run": self.dry_run,
            "fix_list": self.fix_list,
        }


class ImportRowForm(CooperativeForm):
    """The registry's profile form, without the place picker and the edit version: the place
    comes from the address columns, and an import is matched, not versioned by a form.

    The form checks each field (and its own row rules); the model's full_clean is then run by
    the importer on the organisation with its resolved place (Importer._validate).
    """

    place = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]

    def _post_clean(self) -> None:
        """The importer validates the model itself, with the place it resolved."""


def row_form_class(fields: Sequence[str]) -> type[ImportRowForm]:
    """The profile form cut down to the fields a file has."""
    return django_forms.modelform_factory(Cooperative, form=ImportRowForm, fields=list(fields))


def _shown(value: Any, column: Column | None = None) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, AdminUnit):
        return value.full_name
    if column is not None and column.choices is not None:
        return str(dict(column.choices.choices).get(value, value))
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return str(formats.localize(value, use_l10n=True))
    return str(value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, excel.YearOnly):
        return isinstance(old, date) and old.year == new.year
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except (ArithmeticError, ValueError):
            return False
    return bool(old == new)


class Importer:
    """Plans (and writes) the rows of one file for one user, chunk by chunk."""

    def __init__(
        self,
        *,
        layout: Layout,
        mapping: ColumnMap,
        user: User | None,
        filename: str = "",
        today: date | None = None,
    ) -> None:
        self.layout = layout
        self.mapping = mapping
        self.user = user
        self.filename = filename
        self.today = today or timezone.localdate()
        self.places = PlaceResolver()
        self.mapped = mapping.mapped()
        self.form_fields = [f for f in FORM_FIELDS if f in self.mapped]
        self.form_class = row_form_class(self.form_fields) if self.form_fields else None
        self._form: ImportRowForm | None = None
        self.seen_codes: dict[str, int] = {}
        self.seen_pks: dict[int, int] = {}
        self.seen_names: dict[tuple[str, int], int] = {}
        self.columns = [
            (index, COLUMNS_BY_KEY[key], mapping.scales[index])
            for index, key in enumerate(mapping.keys)
            if key
        ]

    # -- helpers

    def header(self, key: str) -> str:
        index = self.mapping.index_of(key)
        return self.layout.label(index) if index is not None else ""

    def place_header(self) -> str:
        for key in ("address", "commune_2025", "commune_name", "province_name", "district_name"):
            if key in self.mapped:
                return self.header(key)
        return ""

    def field_header(self, name: str) -> str:
        if name in ("commune", "commune_legacy", *PLACE_FIELDS):
            return self.place_header()
        if name == "registered_on" and "registered_on" not in self.mapped:
            return self.header("founded_on")
        if name == "sub_sector" and "sub_sector" not in self.mapped:
            return self.header("sector")
        return self.header(name) if name in self.mapped else ""

    def may_place(self, legacy: AdminUnit | None, current: AdminUnit | None) -> bool:
        if self.user is None:
            return True
        return access.may_change_placed(self.user, legacy, current)

    # -- planning

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[RowPlan]:
        """Parse, resolve, match and validate a chunk of rows (nothing is written)."""
        plans: list[RowPlan] = []
        parsed: list[dict[str, Any]] = []
        self._prefetch_places(rows)
        for number, raw in rows:
            plan = RowPlan(row=number, raw=raw)
            values = self._parse(plan)
            if values is None:
                continue
            plans.append(plan)
            parsed.append(values)
        by_code, by_name = self._existing(parsed)
        for plan, values in zip(plans, parsed, strict=True):
            self._plan_row(plan, values, by_code, by_name)
            if plan.errors:
                plan.action = ERROR
        return plans

    def _prefetch_places(self, rows: Sequence[tuple[int, list[Any]]]) -> None:
        """Load the units a chunk's addresses name, in two queries rather than two a row."""
        texts: dict[bool, list[str]] = {False: [], True: []}
        for key, current_only in (("address", False), ("commune_2025", True)):
            index = self.mapping.index_of(key)
            if index is None:
                continue
            for _number, raw in rows:
                value = excel.clean_cell(raw[index]) if index < len(raw) else None
                if value is not None:
                    texts[current_only].append(str(value))
        for current_only, found in texts.items():
            self.places.prefetch(found, current_only=current_only)

    def _parse(self, plan: RowPlan) -> dict[str, Any] | None:
        raw = plan.raw
        if all(excel.clean_cell(v) is None for v in raw):
            return None  # an empty line between rows is no row
        values: dict[str, Any] = {}
        for index, column, scale in self.columns:
            cell = raw[index] if index < len(raw) else None
            try:
                values[column.key] = excel.parse_cell(column, cell, scale)
            except excel.CellError as error:
                plan.errors.append(RowError(plan.row, self.layout.label(index), str(error)))
                values[column.key] = None
        if not any(v not in (None, False, "") for v in values.values()) and not plan.errors:
            plan.errors.append(
                RowError(plan.row, "", _("This row has no value in any imported column."))
            )
        plan.name = values.get("name") or ""
        self._resolve_place(plan, values)
        return values

    def _resolve_place(self, plan: RowPlan, values: dict[str, Any]) -> None:
        address = values.get("address")
        if not address:
            parts = [values.get(k) for k in ("commune_name", "district_name", "province_name")]
            if any(parts):
                address = ", ".join(p for p in parts if p)
        place = Place()
        if address:
            place = self.places.resolve(address)
            if place.error:
                plan.errors.append(RowError(plan.row, self.place_header(), place.error))
        current_text = values.get("commune_2025")
        if current_text:
            current = self.places.resolve(current_text, current_only=True)
            if current.error:
                plan.errors.append(RowError(plan.row, self.header("commune_2025"), current.error))
            elif place.current and place.current != current.current:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("commune_2025"),
                        _("This commune is not the one of the address (%(address)s).")
                        % {"address": place.current.full_name},
                    )
                )
            else:
                if place.legacy and current.current not in place.successors:
                    values["_place_mismatch"] = current.current
                place = Place(place.legacy, current.current, place.successors, place.note)
        values["_place"] = place
        plan.place = place.shown()
        plan.note = place.note

    def _existing(
        self, parsed: list[dict[str, Any]]
    ) -> tuple[dict[str, Cooperative], dict[tuple[str, str, int], list[Cooperative]]]:
        """The organisations the chunk's rows may be: by code (anyone's, to refuse a code
        taken outside the user's area), and, for rows whose code is unknown, by name in the
        rows' communes (names compared folded, on the stored Cooperative.name_key): two
        indexed queries a chunk, which read only the true candidates."""
        related = ("commune_legacy", "commune", "province", "district_legacy", "province_legacy")
        codes = {v["tax_code"] for v in parsed if rules.is_valid_tax_code(v.get("tax_code") or "")}
        by_code: dict[str, Cooperative] = {}
        if codes:
            for coop in Cooperative.objects.filter(tax_code__in=codes).select_related(*related):
                by_code[coop.tax_code] = coop
        unmatched = [v for v in parsed if (v.get("tax_code") or "") not in by_code]
        names = {rules.name_key(v["name"]) for v in unmatched if v.get("name")}
        legacy_ids = {v["_place"].legacy.pk for v in unmatched if v["_place"].legacy}
        current_ids = {v["_place"].today.pk for v in unmatched if v["_place"].today}
        by_name: dict[tuple[str, str, int], list[Cooperative]] = {}
        candidates: set[int] = set()
        if names and (legacy_ids or current_ids):
            found = Cooperative.objects.filter(
                Q(commune_legacy_id__in=legacy_ids, name_key__in=names)
                | Q(commune_id__in=current_ids, name_key__in=names)
            ).select_related(*related)
            for coop in found.order_by():
                candidates.add(coop.pk)
                if coop.commune_legacy_id:
                    by_name.setdefault((coop.name_key, "L", coop.commune_legacy_id), []).append(
                        coop
                    )
                if coop.commune_id:
                    by_name.setdefault((coop.name_key, "C", coop.commune_id), []).append(coop)
        self.visible: set[int] | None = None
        if self.user is not None:
            pks = {c.pk for c in by_code.values()} | candidates
            visible = Cooperative.objects.visible_to(self.user).filter(pk__in=pks)
            self.visible = set(visible.values_list("pk", flat=True))
        return by_code, by_name

    def _match(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        by_code: dict[str, Cooperative],
        by_name: dict[tuple[str, str, int], list[Cooperative]],
    ) -> Cooperative | None:
        """The organisation the row is: the one with its code; else the one of its commune
        with its name, unless that one has another code (then the row is an error: a code
        is never changed by a match on the name)."""
        code = values.get("tax_code") or ""
        if code and code in by_code:
            return by_code[code]
        name = values.get("name")
        place: Place = values["_place"]
        if not name:
            return None
        key = rules.name_key(name)
        found: list[Cooperative] = []
        if place.legacy:
            found = by_name.get((key, "L", place.legacy.pk), [])
        if not found and place.today:
            found = by_name.get((key, "C", place.today.pk), [])
        if len(found) > 1:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("name"),
                    _(
                        "Several cooperatives of this commune have this name; write the "
                        "registration code to say which one."
                    ),
                )
            )
            return None
        if found and code and found[0].tax_code and found[0].tax_code != code:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code"),
                    _(
                        "%(name)s of this commune is in the registry with the registration "
                        "code %(code)s, not this one. If this row is that cooperative, write "
                        "its code; if it is another one, tell them apart by their names."
                    )
                    % {"name": found[0].name, "code": found[0].tax_code},
                )
            )
            return None
        return found[0] if found else None

    def _plan_row(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        by_code: dict[str, Cooperative],
        by_name: dict[tuple[str, str, int], list[Cooperative]],
    ) -> None:
        existing = self._match(plan, values, by_code, by_name)
        if existing is not None and not self._may_update(plan, existing):
            return
        plan.existing = existing
        self._check_duplicates(plan, values, existing)
        if existing is None:
            self._plan_new(plan, values)
        else:
            self._plan_update(plan, values, existing)

    def _may_update(self, plan: RowPlan, existing: Cooperative) -> bool:
        if self.user is None:
            return True
        if self.visible is not None and existing.pk not in self.visible:
            message = _("Another cooperative already has this code.")
            plan.errors.append(RowError(plan.row, self.header("tax_code"), message))
            return False
        if not access.may_change_placed(self.user, existing.commune_legacy, existing.commune):
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code") or self.header("name"),
                    _("This cooperative is outside your area; you may not change it."),
                )
            )
            return False
        return True

    def _check_duplicates(
        self, plan: RowPlan, values: dict[str, Any], existing: Cooperative | None
    ) -> None:
        code = values.get("tax_code") or ""
        if code:
            if code in self.seen_codes:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("tax_code"),
                        _("Row %(row)s has the same registration code.")
                        % {"row": self.seen_codes[code]},
                    )
                )
                return
            self.seen_codes[code] = plan.row
        if existing is not None:
            if existing.pk in self.seen_pks:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("name"),
                        _("Row %(row)s is the same cooperative.")
                        % {"row": self.seen_pks[existing.pk]},
                    )
                )
            self.seen_pks.setdefault(existing.pk, plan.row)
            return
        place: Place = values["_place"]
        unit = place.legacy or place.current
        if values.get("name") and unit is not None and not code:
            key = (rules.name_key(values["name"]), unit.pk)
            if key in self.seen_names:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("name"),
                        _("Row %(row)s has the same name in the same commune.")
                        % {"row": self.seen_names[key]},
                    )
                )
            else:
                self.seen_names[key] = plan.row

    def _validate_form(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        target: Cooperative,
        existing: Cooperative | None,
    ) -> None:
        """Put the row's fields on `target` through the registry's profile form (each field
        checked as the page checks it), then validate the whole row as the model does
        (Cooperative.clean: a commune, the sub-sector of the sector, dates in order). The
        registration code's uniqueness is settled by the matching (a code found is that
        organisation; two rows with one code are refused)."""
        if self.form_class is None:
            self._model_clean(plan, target)
            return
        data: dict[str, Any] = {}
        for name in self.form_fields:
            value = values.get(name)
            if value in (None, "") and name in KEEP_WHEN_EMPTY:
                if existing is not None:
                    value = getattr(existing, name)
                elif name == "kind":
                    value = Kind.COOPERATIVE
                elif name == "sector" and values.get("sub_sector"):
                    value = sector_of(values["sub_sector"])
            data[name] = value
        form = self._bound_form(data, target)
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                prefix = f"{label[:1].upper()}{label[1:]}: "
                for message in messages:
                    text = (
                        message[len(prefix) :] if label and message.startswith(prefix) else message
                    )
                    plan.errors.append(RowError(plan.row, self.field_header(name), text))
            return
        construct_instance(form, target, fields=self.form_fields)
        self._model_clean(plan, target)

    def _bound_form(self, data: dict[str, Any], target: Cooperative) -> ImportRowForm:
        """The profile form bound to one row's data. One form serves the whole file, bound
        afresh for each row: building it (deep copies of its fields, its querysets) costs
        more than validating a row, and a Django form keeps nothing between two cleanings but
        its data, instance, errors and cleaned data, all replaced here."""
        assert self.form_class is not None  # noqa: S101  (checked by the caller)
        form = self._form
        if form is None:
            form = self._form = self.form_class(data=data, instance=target, user=self.user)  # type: ignore[arg-type]
        form.data = data
        form.instance = target
        form._errors = None  # type: ignore[assignment]  (cleaned again on is_valid)
        return form

    def _model_clean(self, plan: RowPlan, target: Cooperative) -> None:
        """Cooperative.full_clean on the fields the file has, and the one-row rules."""
        unchecked = [f.name for f in Cooperative._meta.fields if f.name not in self.form_fields]
        try:
            target.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    plan.errors.append(RowError(plan.row, self.field_header(name), message))

    def _status(self, values: dict[str, Any]) -> str | None:
        return values.get("status") if "status" in self.mapped else None

    def _plan_new(self, plan: RowPlan, values: dict[str, Any]) -> None:
        place: Place = values["_place"]
        target = Cooperative(status=self._status(values) or Status.ACTIVE)
        if "sector" not in self.mapped and values.get("sub_sector"):
            target.sector = sector_of(values["sub_sector"])
        elif not (values.get("sector") or values.get("sub_sector")):
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("sector"),
                    _("Write the sector (agricultural or non-agricultural) of a new cooperative."),
                )
            )
        self._place(target, place.legacy, place.current, before=None)
        mismatch = values.get("_place_mismatch")
        if mismatch is not None and place.legacy is not None:
            plan.errors.append(self._mismatch(plan, mismatch, place.legacy))
        if (target.commune_legacy or target.commune) and not self.may_place(
            target.commune_legacy, target.commune
        ):
            plan.errors.append(self._foreign(plan, target))
        self._validate_form(plan, values, target, None)
        for name in ("registered_on", "founded_on"):
            value = getattr(target, name)
            if isinstance(value, excel.YearOnly):
                setattr(target, name, date(value.year, value.month, value.day))
        unit = target.commune_legacy or target.commune
        if unit is not None and (target.latitude is None or target.longitude is None):
            target.latitude, target.longitude = unit.latitude, unit.longitude
        plan.target = target
        plan.action = NEW

    def _mismatch(self, plan: RowPlan, new: AdminUnit, old: AdminUnit) -> RowError:
        return RowError(
            plan.row,
            self.header("commune_2025"),
            _("%(new)s is not what %(old)s became on 1 July 2025.")
            % {"new": new.full_name, "old": old.full_name},
        )

    def _foreign(self, plan: RowPlan, target: Cooperative) -> RowError:
        unit = target.commune_legacy or target.commune
        area = access.scope_of(self.user).area if self.user else None  # type: ignore[arg-type]
        return RowError(
            plan.row,
            self.place_header(),
            _("%(place)s is outside your area (%(area)s); you may not import it.")
            % {"place": unit.full_name if unit else "", "area": area.full_name if area else "—"},
        )

    def _place(
        self,
        target: Cooperative,
        legacy: AdminUnit | None,
        current: AdminUnit | None,
        before: Cooperative | None,
    ) -> dict[str, Any]:
        """Set both communes, as services.cooperative_create/update do with what the file
        gives, and return the place arguments to give the services."""
        given: dict[str, Any] = {}
        if legacy is not None:
            given["commune_legacy"] = legacy
            target.commune_legacy = legacy
            if current is not None:
                given["commune"] = current
                target.commune = current
            elif before is None or before.commune_legacy_id != legacy.pk or not before.commune_id:
                successors = self.places.successors(legacy)
                target.commune = successors[0] if successors else None
        elif current is not None:
            given["commune"] = current
            target.commune = current
            old = target.commune_legacy
            if old is not None and current not in self.places.successors(old):
                target.commune_legacy = None
        old_unit, new_unit = target.commune_legacy, target.commune
        target.province_legacy_id = old_unit.province_id if old_unit else None
        target.district_legacy_id = old_unit.parent_id if old_unit else None
        target.province_id = new_unit.province_id if new_unit else None
        unit = old_unit or new_unit
        if (
            before is None
            and unit is not None
            and unit.latitude is not None
            and (target.latitude is None or target.longitude is None)
        ):
            target.latitude, target.longitude = unit.latitude, unit.longitude
        return given

    def _plan_update(self, plan: RowPlan, values: dict[str, Any], existing: Cooperative) -> None:
        place: Place = values["_place"]
        target = copy.copy(existing)
        given: dict[str, Any] = {}
        if place.legacy or place.current:
            given = self._place(target, place.legacy, place.current, before=existing)
        self._validate_form(plan, values, target, existing)
        changes: dict[str, Any] = {}
        for name in self.form_fields:
            old, new = getattr(existing, name), getattr(target, name)
            if _same(old, new):
                setattr(target, name, old)
                continue
            if isinstance(new, date):
                new = date(new.year, new.month, new.day)
                setattr(target, name, new)
            changes[name] = new
            column = COLUMNS_BY_KEY.get(name)
            plan.changes.append(Change(self.header(name), _shown(old, column), _shown(new, column)))
        moved = (target.commune_legacy_id, target.commune_id) != (
            existing.commune_legacy_id,
            existing.commune_id,
        )
        if moved:
            mismatch = values.get("_place_mismatch")
            if mismatch is not None and place.legacy is not None:
                plan.errors.append(self._mismatch(plan, mismatch, place.legacy))
            changes.update(given)
            for name in ("commune_legacy", "commune"):
                old_unit, new_unit = getattr(existing, name), getattr(target, name)
                if old_unit != new_unit:
                    label = str(Cooperative._meta.get_field(name).verbose_name)
                    plan.changes.append(
                        Change(label[:1].upper() + label[1:], _shown(old_unit), _shown(new_unit))
                    )
            if not self.may_place(target.commune_legacy, target.commune):
                plan.errors.append(self._foreign(plan, target))
        status = self._status(values)
        if status and status != existing.status:
            if rules.may_transition(existing.status, status):
                plan.status = status
                plan.changes.append(
                    Change(
                        self.header("status"), Status(existing.status).label, Status(status).label
                    )
                )
            else:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("status"),
                        _("A cooperative cannot go from “%(old)s” to “%(new)s”.")
                        % {"old": Status(existing.status).label, "new": Status(status).label},
                    )
                )
        plan.updates = changes
        plan.target = target
        plan.action = CHANGED if (changes or plan.status) else UNCHANGED

    # -- writing

    def write(self, plans: Sequence[RowPlan], *, by: User | None) -> None:
        """Write a chunk's valid plans: new rows in bulk with their history and first status;
        changed rows through the registry's services."""
        reason = _("Imported from %(file)s") % {"file": self.filename} if self.filename else ""
        new = [p.target for p in plans if p.action == NEW and p.target is not None]
        if new:
            for target in new:
                target.search_text = services.search_text_of(target)
                target.name_key = rules.name_key(target.name)
            created = bulk_create_with_history(
                new,
                Cooperative,
                batch_size=CHUNK_SIZE,
                default_user=by,
                default_change_reason=reason[:100] or None,
            )
            statuses = [
                StatusChange(
                    cooperative=coop,
                    status=coop.status,
                    effective_on=coop.start_date or self.today,
                    note=_("Recorded in the registry"),
                    by=by,
                )
                for coop in created
            ]
            bulk_create_with_history(statuses, StatusChange, batch_size=CHUNK_SIZE, default_user=by)
        for plan in plans:
            if plan.action != CHANGED or plan.existing is None:
                continue
            coop = plan.existing
            if plan.updates:
                coop = services.cooperative_update(
                    cooperative=coop, by=by, version=coop.version, **plan.updates
                )
            if plan.status:
                services.cooperative_change_status(
                    cooperative=coop,
                    status=plan.status,
                    effective_on=self.today,
                    by=by,
                    note=reason[:500],
                    today=self.today,
                )


# --- running an import ---------------------------------------------------------------


class _Rollback(Exception):  # noqa: N818  (control flow, never shown)
    """Leave the import's transaction without writing anything."""


def _chunks(
    rows: Iterator[tuple[int, list[Any]]], first_row: int, size: int
) -> Iterator[list[tuple[int, list[Any]]]]:
    chunk: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        if number < first_row:
            continue
        chunk.append((number, values))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_import(
    path: Path,
    *,
    user: User | None,
    layout: Layout | None = None,
    mapping: ColumnMap | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    fix_list: Path | None = None,
    filename: str = "",
    progress: Progress | None = None,
    on_plan: Callable[[RowPlan], None] | None = None,
    today: date | None = None,
) -> Summary:
    """Import the file at `path` as `user` (None: the system, unrestricted).

    dry_run: validate and classify only. Otherwise everything is written in one transaction,
    unless a row has an error: then nothing is written (the default), or, with `valid_only`,
    the valid rows are and the others go to the `fix_list` file. `on_plan` receives each
    row's plan (the page stores them for its preview). ImportFileError for a bad file or map.
    """
    if layout is None:
        check_size(path.stat().st_size)
    # The file is opened once: its layout (when not given) and its rows come from one reading.
    with excel.open_spreadsheet(path, merges=layout is None) as book:
        return _run(
            book,
            user=user,
            layout=layout or _layout_of(book),
            mapping=mapping,
            dry_run=dry_run,
            valid_only=valid_only,
            fix_list=fix_list,
            filename=filename or path.name,
            progress=progress,
            on_plan=on_plan,
            today=today,
        )


def _run(
    book: excel.Spreadsheet,
    *,
    user: User | None,
    layout: Layout,
    mapping: ColumnMap | None,
    dry_run: bool,
    valid_only: bool,
    fix_list: Path | None,
    filename: str,
    progress: Progress | None,
    on_plan: Callable[[RowPlan], None] | None,
    today: date | None,
) -> Summary:
    """run_import over the opened spreadsheet `book`."""
    mapping = mapping or ColumnMap.proposed(layout)
    problems = mapping_errors(layout, mapping)
    if problems:
        raise ImportFileError(" ".join(problems))
    importer = Importer(layout=layout, mapping=mapping, user=user, filename=filename, today=today)
    summary = Summary(dry_run=dry_run)
    failed: list[RowPlan] = []
    write = not dry_run

    def run() -> None:
        sheet = book.sheets[layout.sheet]
        total = max((sheet.total_rows or 0) - layout.first_data_row + 1, 1)
        done = 0
        for chunk in _chunks(sheet.rows(), layout.first_data_row, CHUNK_SIZE):
            plans = importer.plan(chunk)
            for plan in plans:
                _count(summary, plan, failed)
                if on_plan is not None:
                    on_plan(plan)
            if write and (valid_only or not summary.error_rows):
                importer.write([p for p in plans if p.action != ERROR], by=user)
            done += len(chunk)
            if progress is not None:
                progress("write" if write else "check", min(done, total), total)

    if write:
        try:
            with transaction.atomic():
                run()
                if summary.error_rows and not valid_only:
                    raise _Rollback
        except _Rollback:
            pass
        else:
            summary.written = True
    else:
        run()
    if valid_only and fix_list is not None:
        write_fix_list(fix_list, layout, failed)
        summary.fix_list = str(fix_list)
    return summary


def _count(summary: Summary, plan: RowPlan, failed: list[RowPlan]) -> None:
    summary.rows += 1
    if plan.action == ERROR:
        summary.error_rows += 1
        summary.errors.extend(plan.errors)
        failed.append(plan)
    elif plan.action == NEW:
        summary.created += 1
    elif plan.action == CHANGED:
        summary.updated += 1
    else:
        summary.unchanged += 1


def error_text(plan: RowPlan) -> str:
    """A row's errors as one cell of the fix-list."""
    parts = []
    for error in plan.errors:
        if error.column:
            parts.append(f"{error.column}: {error.message}")
        else:
            parts.append(error.message)
    return "; ".join(parts)


def write_fix_list(target: Path, layout: Layout, failed: Sequence[RowPlan]) -> None:
    """The rows that were not imported, in the file's layout (title block, header rows,
    columns), each with its errors in a last column "Lỗi" (the header in the active language).
    A CSV gives a CSV (same delimiter); any other format gives an .xlsx."""
    width = max([len(layout.headers), *(len(p.raw) for p in failed)])
    header_rows = [[*row, *[None] * (width - len(row))] for row in layout.header_values]
    header_rows = header_rows or [list(layout.headers)]
    titles = [list(row) for row in layout.title_rows] + header_rows[:-1]
    header = [excel.csv_cell_value(v) for v in header_rows[-1]] + [_("Error")]
    rows = ([*p.raw, *[None] * (width - len(p.raw)), error_text(p)] for p in failed)
    target.parent.mkdir(parents=True, exist_ok=True)
    if layout.format == "csv":
        delimiter = layout.csv_dialect[1] if layout.csv_dialect else ","
        with target.open("w", encoding="utf-8", newline="") as handle:
            for line in excel.csv_lines(
                rows, header=header, title_rows=titles, delimiter=delimiter
            ):
                handle.write(line)
    else:
        excel.write_xlsx(target, rows, header=header, title_rows=titles, sheet_title=_("Errors"))


# --- the page: the uploaded file and its state between requests -----------------------


def imports_root() -> Path:
    """Where uploaded files wait between the page's steps (never under MEDIA_ROOT)."""
    return Path(settings.VAR_DIR) / "imports"


@dataclass
class StoredImport:
    """An uploaded file waiting for the officer: its folder holds the file, meta.json (owner,
    name, layout, mapping), plans.jsonl (the last check or import) and the fix-list."""

    id: str
    folder: Path
    meta: dict[str, Any]

    @property
    def source(self) -> Path:
        return self.folder / self.meta["stored_name"]

    @property
    def filename(self) -> str:
        return str(self.meta["filename"])

    @property
    def layout(self) -> Layout | None:
        data = self.meta.get("layout")
        return Layout.from_dict(data) if data else None

    @property
    def mapping(self) -> ColumnMap | None:
        layout = self.layout
        if layout is None:
            return None
        keys = self.meta.get("mapping")
        return ColumnMap.chosen(layout, keys) if keys else ColumnMap.proposed(layout)

    @property
    def summary(self) -> dict[str, Any] | None:
        return self.meta.get("summary")

    @property
    def plans_path(self) -> Path:
        return self.folder / "plans.jsonl"

    @property
    def fix_list_path(self) -> Path:
        layout = self.layout
        suffix = ".csv" if layout is not None and layout.format == "csv" else ".xlsx"
        return self.folder / f"fix-list{suffix}"

    def save(self) -> None:
        (self.folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False))

    def plans(self, action: str = "", offset: int = 0, limit: int = 100) -> tuple[list[Any], int]:
        """Stored plans of the last run (filtered by action), a page of them and the count."""
        if not self.plans_path.exists():
            return [], 0
        page: list[Any] = []
        count = 0
        with self.plans_path.open(encoding="utf-8") as handle:
            for line in handle:
                plan = json.loads(line)
                if action and plan["action"] != action:
                    continue
                if offset <= count < offset + limit:
                    page.append(plan)
                count += 1
        return page, count


def _owner_id(user: User | None) -> int | None:
    return user.pk if user is not None else None


def stored_import_create(
    *, user: User, name: str, chunks: Iterable[bytes], size: int
) -> StoredImport:
    """Keep an uploaded file for the steps of the import page, and read its layout.

    ImportFileError (file too large, unreadable, no header) leaves nothing behind.
    """
    check_size(size)
    _sweep()
    import_id = uuid.uuid4().hex
    folder = imports_root() / import_id
    folder.mkdir(parents=True)
    suffix = Path(name).suffix.lower()[:8]
    stored_name = "source" + (suffix if suffix.isascii() else "")
    with (folder / stored_name).open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    stored = StoredImport(
        import_id,
        folder,
        {"owner": user.pk, "filename": Path(name).name[:200], "stored_name": stored_name},
    )
    try:
        stored.meta["layout"] = read_layout(stored.source).as_dict()
    except ImportFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stored.save()
    return stored


def stored_import_get(*, user: User, import_id: str) -> StoredImport:
    """The user's own stored import; 404 for anyone else's or a missing one."""
    if not import_id.isalnum():
        raise Http404
    folder = imports_root() / import_id
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError) as error:
        raise Http404 from error
    if meta.get("owner") != user.pk:
        raise Http404
    return StoredImport(import_id, folder, meta)


def _sweep(max_age: timedelta = timedelta(days=1)) -> None:
    """Remove stored imports older than a day."""
    root = imports_root()
    if not root.exists():
        return
    limit = (timezone.now() - max_age).timestamp()
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def progress_key(import_id: str) -> str:
    return f"registry-import-progress:{import_id}"


def progress_of(import_id: str) -> dict[str, Any] | None:
    """The last progress an import reported: {"phase", "done", "total"}."""
    return cache.get(progress_key(import_id))


def stored_import_run(
    stored: StoredImport,
    *,
    user: User,
    keys: Sequence[str | None] | None,
    commit: bool,
    valid_only: bool = False,
) -> Summary:
    """Check (commit False) or import the stored file with the officer's column choices,
    recording progress in the cache and each row's plan for the preview."""
    layout = stored.layout
    assert layout is not None  # noqa: S101  (stored_import_create always reads one)
    if keys is not None:
        stored.meta["mapping"] = list(keys)
    mapping = stored.mapping
    assert mapping is not None  # noqa: S101
    key = progress_key(stored.id)

    def progress(phase: str, done: int, total: int) -> None:
        cache.set(key, {"phase": phase, "done": done, "total": total}, timeout=3600)

    progress("check", 0, 1)
    fix_list = stored.fix_list_path if valid_only else None
    with stored.plans_path.open("w", encoding="utf-8") as plans:

        def keep(plan: RowPlan) -> None:
            plans.write(json.dumps(plan.as_dict(), ensure_ascii=False) + "\n")

        try:
            summary = run_import(
                stored.source,
                user=user,
                layout=layout,
                mapping=mapping,
                dry_run=not commit,
                valid_only=valid_only,
                fix_list=fix_list,
                filename=stored.filename,
                progress=progress,
                on_plan=keep,
            )
        finally:
            cache.delete(key)
    stored.meta["summary"] = {**summary.as_dict(), "errors": []}
    stored.meta["committed"] = commit and summary.written
    stored.save()
    return summary
