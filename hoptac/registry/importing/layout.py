"""The registry's side of an import file's layout: the fields its profile form sets, the
place fields, and what makes a column map unusable for the registry. The layout itself (where
the table is, the column map, the size limit) is hoptac.core.tabular's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hoptac.core import tabular
from hoptac.core.tabular import (
    CHUNK_SIZE,
    HEADER_SCAN_ROWS,
    MIN_HEADER_MATCHES,
    ColumnMap,
    HeaderMatcher,
    Layout,
    Progress,
    check_size,
    max_import_bytes,
)
from hoptac.registry import excel
from hoptac.registry.excel import COLUMNS_BY_KEY, PLACE_KEYS

PLACE_FIELDS = ("commune_legacy", "commune", "province_legacy", "district_legacy", "province")
# Model fields the profile form sets, in the order of COLUMNS (the place columns and the
# status, which has its own service, are not).
FORM_FIELDS = tuple(c.key for c in excel.COLUMNS if c.key not in (*PLACE_KEYS, "status"))
# Required fields whose empty cell means "keep what is recorded" for an existing organisation.
KEEP_WHEN_EMPTY = ("name", "kind", "sector", "status")

__all__ = [
    "CHUNK_SIZE",
    "FORM_FIELDS",
    "HEADER_SCAN_ROWS",
    "KEEP_WHEN_EMPTY",
    "MIN_HEADER_MATCHES",
    "PLACE_FIELDS",
    "ColumnMap",
    "HeaderMatcher",
    "Layout",
    "Progress",
    "check_size",
    "mapping_errors",
    "max_import_bytes",
    "read_layout",
]


def read_layout(path: Path) -> Layout:
    """The file's table, its headers matched to the registry's columns."""
    return tabular.read_layout(path, match=excel.match_header)


def mapping_errors(
    layout: Layout, mapping: ColumnMap, options: Mapping[str, Any] | None = None
) -> list[str]:
    """What makes a mapping unusable: a key fed by two columns, nothing to match rows by."""
    errors, seen = tabular.duplicate_errors(layout, mapping, COLUMNS_BY_KEY)
    if not {"name", "tax_code"} & set(seen):
        errors.append(_("Choose the column of the cooperative's name or of its registration code."))
    return errors
