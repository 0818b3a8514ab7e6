"""Import of the products of many HTX at once, on the spreadsheet pipeline of hoptac.core.tabular
(reading, header detection below a title block, the stored upload, the check with its preview,
the import in one transaction, the valid rows only with a fix-list, the job and the command's
summary are the pipeline's, the same as the registry's, the reports' and support's).

The market supplies what is its own: the columns (COLUMNS: they also make the blank template),
a header matcher over them, the column-map check, and ProductImporter: each row names an HTX
by its registration code (or, without a code, its exact name) among those the user may see
(support.forms.find_cooperative's rule, in bulk), which the user may change the products of
(selectors.may_change_for: officers of its area, the administrator, its own managers, as on
the product pages), and is valid for the page's own forms (forms.ProductForm, and
forms.CertificationForm for an OCOP rating). Rows are matched to a product of the same HTX by
the product's name without diacritics or case, so importing the same file again changes
nothing; an empty cell keeps what the product records. The valid rows are written by
services.products_import (the change history records each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.core import tabular
from hoptac.core.tabular import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    Column,
    ColumnMap,
    ColumnType,
    ImportKind,
    Layout,
    RowError,
    RowPlan,
    header_matcher,
)
from hoptac.core.tabular.cells import CellError, clean_cell
from hoptac.core.text import fold
from hoptac.market import forms, selectors, services
from hoptac.market.choices import OCOP_STARS, Category, CertificationKind
from hoptac.market.models import Certification, Product
from hoptac.registry.models import Cooperative

PRODUCTS = "market.products"

# What officers' lists write for a category, besides its code and its labels in both
# languages. The product groups of the OCOP criteria (Quyết định 148/QĐ-TTg ngày 24/02/2023:
# thực phẩm; đồ uống; thảo dược; vải và may mặc; lưu niệm – nội thất – trang trí; dịch vụ du
# lịch cộng đồng và điểm du lịch) are mapped to the nearest category.
CATEGORY_ALIASES: dict[str, str] = {
    "trà": Category.TEA,
    "chè búp": Category.TEA,
    "cây dược liệu": Category.MEDICINAL,
    "thảo dược": Category.MEDICINAL,
    "tinh dầu": Category.ESSENTIAL_OIL,
    "gà": Category.POULTRY,
    "vịt": Category.POULTRY,
    "gia súc": Category.LIVESTOCK,
    "thịt": Category.LIVESTOCK,
    "lúa gạo": Category.GRAIN,
    "gạo": Category.GRAIN,
    "ngũ cốc": Category.GRAIN,
    "rau quả": Category.VEGETABLES_FRUIT,
    "rau": Category.VEGETABLES_FRUIT,
    "hoa quả": Category.VEGETABLES_FRUIT,
    "trái cây": Category.VEGETABLES_FRUIT,
    "cây ăn quả": Category.VEGETABLES_FRUIT,
    "thực phẩm": Category.PROCESSED_FOOD,
    "chế biến": Category.PROCESSED_FOOD,
    "đồ uống": Category.PROCESSED_FOOD,
    "lâm nghiệp": Category.FOREST,
    "cá": Category.FISHERY,
    "thủy hải sản": Category.FISHERY,
    "thủ công": Category.HANDICRAFT,
    "mỹ nghệ": Category.HANDICRAFT,
    "vải và may mặc": Category.HANDICRAFT,
    "lưu niệm nội thất trang trí": Category.HANDICRAFT,
    "du lịch": Category.SERVICE,
    "dịch vụ du lịch cộng đồng": Category.SERVICE,
}
# Words after the stars of an OCOP rating ("4 sao", "4★").
STAR_WORDS = frozenset({"sao", "★", "sao ocop", "*"})

COLUMNS: tuple[Column, ...] = (
    Column(
        "cooperative_code",
        gettext_lazy("Registration code"),
        ColumnType.CODE,
        aliases=("Mã HTX", "Mã số thuế", "MST", "Tax code", "Mã số doanh nghiệp"),
        width=14,
    ),
    Column(
        "cooperative",
        gettext_lazy("Cooperative"),
        ColumnType.TEXT,
        aliases=("Tên HTX", "Cooperative name", "Tên hợp tác xã"),
        width=32,
    ),
    Column(
        "name",
        gettext_lazy("Product"),
        ColumnType.TEXT,
        aliases=("Tên sản phẩm", "Product name", "Tên sản phẩm, dịch vụ"),
        required=True,
        width=32,
    ),
    Column(
        "category",
        gettext_lazy("Category"),
        ColumnType.CHOICE,
        aliases=("Loại sản phẩm", "Nhóm", "Ngành hàng", "Nhóm ngành hàng"),
        choices=Category,
        choice_aliases=CATEGORY_ALIASES,
        required=True,
        width=20,
    ),
    Column("unit", gettext_lazy("Unit"), ColumnType.TEXT, aliases=("ĐVT",), width=10),
    Column("season", gettext_lazy("Season"), ColumnType.TEXT, aliases=("Thời vụ",), width=16),
    Column(
        "description",
        gettext_lazy("Description"),
        ColumnType.TEXT,
        aliases=("Mô tả sản phẩm",),
        width=40,
    ),
    Column(
        "ocop_stars",
        gettext_lazy("OCOP stars"),
        ColumnType.INTEGER,
        aliases=("Hạng sao OCOP", "Sao OCOP", "OCOP", "Xếp hạng OCOP"),
        width=10,
    ),
    Column(
        "ocop_year",
        gettext_lazy("OCOP year"),
        ColumnType.INTEGER,
        aliases=("Năm công nhận OCOP", "Năm đạt OCOP", "Năm OCOP", "Năm chứng nhận OCOP"),
        width=10,
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
PRODUCT_FIELDS = ("category", "unit", "season", "description")


def check_mapping(layout: Layout, mapping: ColumnMap, options: Mapping[str, Any]) -> list[str]:
    """What makes a file unusable: a column read twice, no column naming the HTX (its code or
    its name), no product name or category column (each missing column one message)."""
    errors, seen = tabular.duplicate_errors(layout, mapping, COLUMNS_BY_KEY)
    if not {"cooperative_code", "cooperative"} & set(seen):
        errors.append(_("Choose the column of the cooperative's registration code or name."))
    errors += [
        _("The file has no column “%(column)s”.") % {"column": column.header}
        for column in COLUMNS
        if column.required and column.key not in seen
    ]
    return errors


@dataclass
class ProductRowPlan(RowPlan):
    """A row of products: the HTX, the product it matches (None: a new one), the values to
    write and the OCOP rating (stars, year) with the certification it changes."""

    cooperative: Cooperative | None = None
    product: Product | None = None
    values: dict[str, Any] = field(default_factory=dict)
    ocop: tuple[int, int] | None = None
    certification: Certification | None = None


class ProductImporter:
    """The rows of a products file, chunk by chunk (see the module)."""

    def __init__(self, *, layout: Layout, mapping: ColumnMap, user: Any) -> None:
        self.user = user
        self.cells: list[tuple[str, int, int]] = []  # (key, file column, scale)
        self.headers: dict[str, str] = {}
        for key in COLUMNS_BY_KEY:
            index = mapping.index_of(key)
            if index is not None:
                self.cells.append((key, index, mapping.scales[index]))
                self.headers[key] = layout.label(index)
        self.rows_of: dict[tuple[int, str], int] = {}  # (HTX, folded name) → its first row
        # the HTX the chunk being planned names by code; the products of the HTX seen
        self.by_code: dict[str, Cooperative] = {}
        self.products: dict[tuple[int, str], list[Product]] = {}
        self.loaded: set[int] = set()

    def fail(self, plan: ProductRowPlan, key: str, message: str) -> None:
        """An error of the row, in the file's column of `key` (or of the HTX when the file
        has no such column)."""
        column = self.headers.get(key) or self.headers.get("cooperative_code", "")
        plan.errors.append(RowError(plan.row, column, message))
        plan.action = ERROR

    def form_failed(self, plan: ProductRowPlan, form: Any, prefix: str) -> None:
        """The errors of a page's form, each in the file's column of its field (`prefix` +
        the field's name): the first of each field only, one problem giving one message."""
        for key, messages in form.errors.items():
            self.fail(plan, f"{prefix}{key}", messages[0])

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[ProductRowPlan]:
        read: list[tuple[ProductRowPlan, dict[str, Any]]] = []
        for number, cells in rows:
            values: dict[str, Any] = {}
            blank = True
            plan = ProductRowPlan(row=number, raw=list(cells))
            for key, index, scale in self.cells:
                cell = cells[index] if index < len(cells) else None
                blank = blank and clean_cell(cell) is None
                try:
                    values[key] = tabular.parse_value(
                        COLUMNS_BY_KEY[key], cell, scale, count_units=STAR_WORDS
                    )
                except CellError as error:
                    self.fail(plan, key, str(error))
            if not blank:
                plan.name = str(values.get("name") or "")
                read.append((plan, values))
        self.by_code = self._cooperatives([values for _plan, values in read])
        self._load_products([c.pk for c in self.by_code.values()])
        for plan, values in read:
            if plan.action != ERROR:
                self._check(plan, values)
        return [plan for plan, _values in read]

    def _cooperatives(self, rows: list[dict[str, Any]]) -> dict[str, Cooperative]:
        """The HTX the rows name by code, among those the user may see (one query)."""
        codes = {row["cooperative_code"] for row in rows if row.get("cooperative_code")}
        visible = Cooperative.objects.visible_to(self.user).select_related(
            "commune_legacy", "commune"
        )
        return {c.tax_code: c for c in visible.filter(tax_code__in=codes)} if codes else {}

    def _load_products(self, ids: list[int]) -> None:
        """Keep the products of the HTX `ids` not loaded yet, by (HTX, folded name), with
        their certifications (one query for a chunk's HTX)."""
        ids = [pk for pk in ids if pk not in self.loaded]
        if not ids:
            return
        self.loaded.update(ids)
        products = Product.objects.filter(cooperative__in=ids).prefetch_related("certifications")
        for product in products:
            key = (product.cooperative_id, fold(product.name))
            self.products.setdefault(key, []).append(product)

    def _cooperative_of(self, plan: ProductRowPlan, values: dict[str, Any]) -> Cooperative | None:
        """The HTX the row names: by its code (this chunk's `by_code`), else by its name."""
        code = values.get("cooperative_code")
        if code:
            cooperative = self.by_code.get(code)
            if cooperative is None:
                self.fail(
                    plan,
                    "cooperative_code",
                    _("No cooperative you may see has the registration code “%(code)s”.")
                    % {"code": code},
                )
            return cooperative
        name = values.get("cooperative")
        if not name:
            self.fail(plan, "cooperative_code", _("Write the cooperative's registration code."))
            return None
        cooperative = forms.find_cooperative(self.user, name)
        if cooperative is None:
            self.fail(
                plan,
                "cooperative",
                _(
                    "No single cooperative you may see is named “%(name)s”: write its "
                    "registration code."
                )
                % {"name": name},
            )
        return cooperative

    def _check(self, plan: ProductRowPlan, values: dict[str, Any]) -> None:
        """A row whose cells could be read: its HTX, the user's right to change its products,
        the product it matches, its values and OCOP rating, and what the import does."""
        cooperative = self._cooperative_of(plan, values)
        if cooperative is None:
            return
        plan.cooperative = cooperative
        self._load_products([cooperative.pk])  # an HTX named by its name
        if not selectors.may_change_for(user=self.user, cooperative=cooperative):
            key = "cooperative_code" if values.get("cooperative_code") else "cooperative"
            self.fail(plan, key, _("You may not change the products of this cooperative."))
            return
        name = str(values.get("name") or "").strip()
        folded = fold(name)
        first = self.rows_of.setdefault((cooperative.pk, folded), plan.row) if folded else None
        if first is not None and first != plan.row:
            self.fail(
                plan,
                "name",
                _("Row %(row)s already names this product of the same cooperative.")
                % {"row": first},
            )
            return
        same = self.products.get((cooperative.pk, folded), []) if folded else []
        if len(same) > 1:
            self.fail(
                plan,
                "name",
                _("The cooperative has several products named so: change them on their pages."),
            )
            return
        plan.product = same[0] if same else None
        if self._product_values(plan, values, name) and self._ocop(plan, values):
            plan.action = self._action(plan)

    def _product_values(self, plan: ProductRowPlan, values: dict[str, Any], name: str) -> bool:
        """The product's fields after the row (an empty cell keeps the product's value),
        checked by the product page's form; False with the row's errors otherwise."""
        product = plan.product
        data = {"name": product.name if product else name}
        for key in PRODUCT_FIELDS:
            given = values.get(key)
            data[key] = given if given else (getattr(product, key) if product else "")
        form = forms.ProductForm(data)
        if not form.is_valid():
            self.form_failed(plan, form, "")
            return False
        plan.values = {k: form.cleaned_data[k] for k in ("name", *PRODUCT_FIELDS)}
        return True

    def _ocop(self, plan: ProductRowPlan, values: dict[str, Any]) -> bool:
        """The row's OCOP rating, checked by the certification page's form; the product's
        OCOP certification of that year, if it has one."""
        stars, year = values.get("ocop_stars"), values.get("ocop_year")
        if stars is None and year is None:
            return True
        if stars is None or year is None:
            missing = "ocop_stars" if stars is None else "ocop_year"
            self.fail(plan, missing, _("An OCOP rating needs both its stars and its year."))
            return False
        if stars not in OCOP_STARS:  # one message (the form would add its choice's)
            self.fail(plan, "ocop_stars", _("An OCOP rating has 3, 4 or 5 stars."))
            return False
        data = {"kind": CertificationKind.OCOP, "stars": stars, "year": year}
        form = forms.CertificationForm(data)
        if not form.is_valid():
            self.form_failed(plan, form, "ocop_")
            return False
        plan.ocop = (form.cleaned_data["stars"], form.cleaned_data["year"])
        if plan.product is not None:
            plan.certification = next(
                (
                    c
                    for c in plan.product.certifications.all()
                    if c.kind == CertificationKind.OCOP and c.year == plan.ocop[1]
                ),
                None,
            )
        return True

    def _action(self, plan: ProductRowPlan) -> str:
        """New, changed or unchanged, with the changes the preview shows."""
        product = plan.product
        if product is None:
            return NEW
        for key in PRODUCT_FIELDS:
            old, new = getattr(product, key), plan.values[key]
            if old != new:
                label = str(getattr(Product._meta.get_field(key), "verbose_name", key))
                plan.changes.append(Change(label, _shown(key, old), _shown(key, new)))
        if plan.ocop is not None:
            old_stars = plan.certification.stars if plan.certification else None
            if old_stars != plan.ocop[0]:
                plan.changes.append(
                    Change(
                        _("OCOP %(year)s") % {"year": plan.ocop[1]},
                        f"{old_stars}★" if old_stars else "—",
                        f"{plan.ocop[0]}★",
                    )
                )
        return CHANGED if plan.changes else UNCHANGED

    def write(self, plans: Sequence[ProductRowPlan], *, by: Any) -> None:
        services.products_import(
            rows=[
                services.ProductRow(
                    cooperative=plan.cooperative,
                    product=plan.product,
                    values=plan.values,
                    ocop=plan.ocop,
                    certification=plan.certification,
                )
                for plan in plans
                if plan.action in (NEW, CHANGED)
            ],
            by=by,
        )


def _shown(key: str, value: str) -> str:
    """A product's value as the preview shows it (a category by its label)."""
    if key == "category":
        return str(Category(value).label) if value in Category.values else value
    return value or "—"


def _importer(
    *, layout: Layout, mapping: ColumnMap, user: Any, filename: str, options: Mapping[str, Any]
) -> ProductImporter:
    return ProductImporter(layout=layout, mapping=mapping, user=user)


PRODUCT_KIND = ImportKind(
    name=PRODUCTS,
    match=header_matcher(lambda: COLUMNS),
    check_mapping=check_mapping,
    importer=_importer,
)
