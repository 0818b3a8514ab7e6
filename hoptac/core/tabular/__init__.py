"""The one spreadsheet import pipeline every app uses.

The modules follow the steps of an import:

- `reading`: opening a file (.xlsx and .ods by python-calamine, .xls by xlrd, CSV in any of
  Excel's encodings and delimiters), its format told from the content and its safety checked
  (size, password, zip and XML bombs); ImportFileError says what is wrong, for the officer;
- `columns`: an app's column specs (`Column`, `ColumnType`) and header matching;
- `cells`: cell values cleaned and parsed (numbers, amounts, dates, yes/no, codes), and
  `values`: a cell read as its Column's type;
- `layout`: where the table is (a header below a title block, over two rows, across merged
  cells), the officer's column map (`ColumnMap`), the size limit;
- `rows`: each row's plan (new / changed / unchanged / error), its errors, the `Summary`
  (the commands' JSON);
- `running`: what an app supplies (`ImportKind`: header matcher, column-map check,
  importer with `plan(chunk)` and `write(plans, by=)`), the run (preview, commit in one
  transaction, valid rows only with a fix-list, progress that may cancel) and the fix-list;
- `stored`: the uploaded file, the preview and the progress between the page's steps, in the
  database (core.StoredUpload), so that any app server or worker serves any step.
"""

from hoptac.core.tabular.columns import (
    IGNORED,
    IGNORED_HEADERS,
    Column,
    ColumnType,
    HeaderMatch,
    HeaderMatcher,
    header_index,
    header_matcher,
    match_in,
    normalize_header,
)
from hoptac.core.tabular.layout import (
    CHUNK_SIZE,
    HEADER_SCAN_ROWS,
    MIN_HEADER_MATCHES,
    ColumnMap,
    Layout,
    Progress,
    check_size,
    duplicate_errors,
    layout_of,
    max_import_bytes,
    read_layout,
)
from hoptac.core.tabular.reading import ImportFileError, Merge, Sheet, Spreadsheet, open_spreadsheet
from hoptac.core.tabular.rows import (
    ACTIONS,
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    RowError,
    RowPlan,
    Summary,
)
from hoptac.core.tabular.running import (
    ImportKind,
    RowImporter,
    error_text,
    fix_list_suffix,
    kind_named,
    register,
    run_import,
    write_fix_list,
)
from hoptac.core.tabular.values import choice_index, parse_value

__all__ = [
    "ACTIONS",
    "CHANGED",
    "CHUNK_SIZE",
    "ERROR",
    "HEADER_SCAN_ROWS",
    "IGNORED",
    "IGNORED_HEADERS",
    "MIN_HEADER_MATCHES",
    "NEW",
    "UNCHANGED",
    "Change",
    "Column",
    "ColumnMap",
    "ColumnType",
    "HeaderMatch",
    "HeaderMatcher",
    "ImportFileError",
    "ImportKind",
    "Layout",
    "Merge",
    "Progress",
    "RowError",
    "RowImporter",
    "RowPlan",
    "Sheet",
    "Spreadsheet",
    "Summary",
    "check_size",
    "choice_index",
    "duplicate_errors",
    "error_text",
    "fix_list_suffix",
    "header_index",
    "header_matcher",
    "kind_named",
    "layout_of",
    "match_in",
    "max_import_bytes",
    "normalize_header",
    "open_spreadsheet",
    "parse_value",
    "read_layout",
    "register",
    "run_import",
    "write_fix_list",
]
