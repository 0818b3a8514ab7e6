"""Import of the registry from a spreadsheet, the same code for the page, the job and the
command: the pipeline of hoptac.core.tabular (reading, layout, preview, one transaction,
fix-list, stored upload) run with what is the registry's own.

The registry supplies its column spec and header matcher (hoptac.registry.excel), its
column-map check (`layout.mapping_errors`) and its `Importer`: for each chunk of rows it parses
the cells (excel.parse_cell), resolves the address of either tree (`places`), matches the row to
an existing organisation (registration code, else name + commune), validates it with the
registry's own profile form (forms.CooperativeForm, one row at a time, as STYLE 2.7 says) and
then the model's full_clean, checks the user's scope, and classifies it as new / changed /
unchanged / error; it writes new organisations with simple-history's bulk_create_with_history
(and their first StatusChange), changed ones through services.cooperative_update and
services.cooperative_change_status, so every change is in the history.

The package's modules: `layout` (the registry's fields and column-map check), `places`
(addresses resolved to communes), `rows` (the registry's row plan and row form), `importer`
(the Importer), `running` (the registry's ImportKind and run_import) and `stored` (the page's
upload, in the database). Every public name is re-exported here: use
`from hoptac.registry import importing` and `importing.<name>`.
"""

from hoptac.core.tabular.stored import fix_list_name, plans_of
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
from hoptac.registry.importing.running import KIND, error_text, run_import, write_fix_list
from hoptac.registry.importing.stored import (
    StoredUpload,
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
    "KIND",
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
    "StoredUpload",
    "Summary",
    "check_size",
    "error_text",
    "fix_list_name",
    "mapping_errors",
    "max_import_bytes",
    "plans_of",
    "read_layout",
    "row_form_class",
    "run_import",
    "stored_import_create",
    "stored_import_get",
    "stored_import_run",
    "write_fix_list",
]
