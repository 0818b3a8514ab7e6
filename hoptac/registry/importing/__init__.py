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

The package's modules follow these steps: `layout` (the file's table and its columns, the size
limit), `places` (addresses resolved to communes), `rows` (a row's plan, errors and the summary),
`importer` (the Importer that plans and writes rows), `running` (run_import and the fix-list) and
`stored` (the page's uploaded file and progress between requests). Every public name is
re-exported here: use `from hoptac.registry import importing` and `importing.<name>`.
"""

from hoptac.registry.importing.importer import Importer
from hoptac.registry.importing.layout import (
    CHUNK_SIZE,
    FORM_FIELDS,
    HEADER_SCAN_ROWS,
    KEEP_WHEN_EMPTY,
    MIN_HEADER_MATCHES,
    PLACE_FIELDS,
    ColumnMap,
    HeaderMatcher,
    Layout,
    Progress,
    check_size,
    mapping_errors,
    max_import_bytes,
    read_layout,
)
from hoptac.registry.importing.places import Place, PlaceResolver
from hoptac.registry.importing.rows import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    ImportRowForm,
    RowError,
    RowPlan,
    Summary,
    row_form_class,
)
from hoptac.registry.importing.running import error_text, run_import, write_fix_list
from hoptac.registry.importing.stored import (
    StoredImport,
    imports_root,
    progress_key,
    progress_of,
    stored_import_create,
    stored_import_get,
    stored_import_run,
)

__all__ = [
    "CHANGED",
    "CHUNK_SIZE",
    "ERROR",
    "FORM_FIELDS",
    "HEADER_SCAN_ROWS",
    "KEEP_WHEN_EMPTY",
    "MIN_HEADER_MATCHES",
    "NEW",
    "PLACE_FIELDS",
    "UNCHANGED",
    "Change",
    "ColumnMap",
    "HeaderMatcher",
    "ImportRowForm",
    "Importer",
    "Layout",
    "Place",
    "PlaceResolver",
    "Progress",
    "RowError",
    "RowPlan",
    "StoredImport",
    "Summary",
    "check_size",
    "error_text",
    "imports_root",
    "mapping_errors",
    "max_import_bytes",
    "progress_key",
    "progress_of",
    "read_layout",
    "row_form_class",
    "run_import",
    "stored_import_create",
    "stored_import_get",
    "stored_import_run",
    "write_fix_list",
]
