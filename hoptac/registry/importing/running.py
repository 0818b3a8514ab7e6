"""The registry's import kind (its header matcher, column-map check and Importer) and
run_import, the pipeline of hoptac.core.tabular run with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoptac.core import tabular
from hoptac.core.tabular import ColumnMap, ImportKind, Layout, Progress, Summary, error_text
from hoptac.registry import excel
from hoptac.registry.importing.importer import Importer
from hoptac.registry.importing.layout import mapping_errors
from hoptac.registry.importing.rows import RowPlan

if TYPE_CHECKING:
    from hoptac.accounts.models import User

__all__ = ["KIND", "error_text", "run_import", "write_fix_list"]

write_fix_list = tabular.write_fix_list


def _importer(
    *, layout: Layout, mapping: ColumnMap, user: Any, filename: str, options: Mapping[str, Any]
) -> Importer:
    return Importer(
        layout=layout, mapping=mapping, user=user, filename=filename, today=options.get("today")
    )


KIND = ImportKind(
    name="registry", match=excel.match_header, check_mapping=mapping_errors, importer=_importer
)


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
    return tabular.run_import(
        path,
        KIND,
        user=user,
        options={"today": today} if today else {},
        layout=layout,
        mapping=mapping,
        dry_run=dry_run,
        valid_only=valid_only,
        fix_list=fix_list,
        filename=filename,
        progress=progress,
        on_plan=on_plan,
    )
