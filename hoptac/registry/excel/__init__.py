"""The registry's spreadsheet layout (COLUMNS), and reading and writing spreadsheets.

One spec serves the import (headers matched by name, with or without diacritics, in
Vietnamese or English), the export (headers in the active language, typed cells) and the
blank template. Columns are matched by a stable `key`, never by position.

Reading: .xlsx (openpyxl, read-only, through defusedxml), .xls (xlrd), .ods (python-calamine)
and .csv (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text", Windows-1258; comma,
semicolon or tab). The format is told from the content, not the file name. Each problem with
the file itself is a ImportFileError whose message says, in the active language, what is wrong.

The value parsers (parse_cell) and header matching are pure: no database.

The package's modules follow these steps: `columns` (the column spec and header matching),
`cells` (cell values cleaned and parsed), `reading` (opening a file: its format, safety and
encoding), `writing` (.xlsx and CSV writers, the template) and `export` (the registry's rows, in
Python or by PostgreSQL's COPY). Every public name is re-exported here: use
`from hoptac.registry import excel` and `excel.<name>`.
"""

from hoptac.core.tabular.reading import (
    MAX_ZIP_RATIO,
    MERGE_SCAN_ROWS,
    ODS_MIMETYPE,
    ODS_TABLE,
    OLE_MAGIC,
    PROLOG_LIMIT,
    ROOT_ELEMENT,
    TEXT_READ,
    ZIP_MAGIC,
    ImportFileError,
    Merge,
    Sheet,
    Spreadsheet,
    csv_encoding,
    decode_text,
    open_spreadsheet,
    sniff_delimiter,
    sniff_format,
    struct_error,
    too_large,
)
from hoptac.registry.excel.cells import (
    DATE_FORMATS,
    EXCEL_EPOCH,
    FALSE_WORDS,
    TRUE_WORDS,
    CellError,
    YearOnly,
    choice_labels,
    clean_cell,
    display,
    parse_cell,
)
from hoptac.registry.excel.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    EXPORT_COLUMNS,
    IGNORED_HEADERS,
    PLACE_KEYS,
    Column,
    ColumnType,
    HeaderMatch,
    match_header,
    normalize_header,
)
from hoptac.registry.excel.export import (
    CHOICES_OF,
    PLACE_VALUES,
    csv_copy_chunks,
    export_rows,
    xlsx_copy_values,
)
from hoptac.registry.excel.writing import (
    CSV_CONTENT_TYPE,
    DATE_FORMAT,
    MAX_EXACT_NUMBER,
    MONEY_FORMAT,
    XLSX_CONTENT_TYPE,
    column_hint,
    csv_cell_value,
    csv_lines,
    headers,
    template_workbook,
    write_xlsx,
    write_xlsx_copied,
    xlsx_cell_value,
)

__all__ = [
    "CHOICES_OF",
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "CSV_CONTENT_TYPE",
    "DATE_FORMAT",
    "DATE_FORMATS",
    "EXCEL_EPOCH",
    "EXPORT_COLUMNS",
    "FALSE_WORDS",
    "IGNORED_HEADERS",
    "MAX_EXACT_NUMBER",
    "MAX_ZIP_RATIO",
    "MERGE_SCAN_ROWS",
    "MONEY_FORMAT",
    "ODS_MIMETYPE",
    "ODS_TABLE",
    "OLE_MAGIC",
    "PLACE_KEYS",
    "PLACE_VALUES",
    "PROLOG_LIMIT",
    "ROOT_ELEMENT",
    "TEXT_READ",
    "TRUE_WORDS",
    "XLSX_CONTENT_TYPE",
    "ZIP_MAGIC",
    "CellError",
    "Column",
    "ColumnType",
    "HeaderMatch",
    "ImportFileError",
    "Merge",
    "Sheet",
    "Spreadsheet",
    "YearOnly",
    "choice_labels",
    "clean_cell",
    "column_hint",
    "csv_cell_value",
    "csv_copy_chunks",
    "csv_encoding",
    "csv_lines",
    "decode_text",
    "display",
    "export_rows",
    "headers",
    "match_header",
    "normalize_header",
    "open_spreadsheet",
    "parse_cell",
    "sniff_delimiter",
    "sniff_format",
    "struct_error",
    "template_workbook",
    "too_large",
    "write_xlsx",
    "write_xlsx_copied",
    "xlsx_cell_value",
    "xlsx_copy_values",
]
