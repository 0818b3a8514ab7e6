"""Spreadsheets of the market lists: exports (products, value-chain links) as filtered, typed
.xlsx; the import of products (market.importing on the pipeline of hoptac.core.tabular) and
its blank template.

The import's pages are those of every list (hoptac.jobs.import_pages): the uploaded file is
kept in the database and its check and import run as background jobs. Upload → the check
starts → the page shows the job's bar until it ends, then every row (new, changed, unchanged,
or its errors) → import (every row, nothing while any row has an error) or import the valid
rows and download the others (the fix-list). Whoever may change the products of some HTX
(officers, the administrator, an HTX's managers) may import; each row is checked against the
HTX it names.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts import access, audit
from hoptac.core.models import StoredUpload
from hoptac.core.tabular import Column, ColumnType, stored
from hoptac.core.tabular.writing import xlsx_response
from hoptac.jobs import import_pages
from hoptac.market import forms, importing, selectors
from hoptac.support.forms import ImportForm
from hoptac.support.views import cleaned_filters

PRODUCT_COLUMNS: tuple[Column, ...] = (
    Column("name", gettext_lazy("Product"), ColumnType.TEXT, width=32),
    Column("category", gettext_lazy("Category"), ColumnType.TEXT, width=20),
    Column("unit", gettext_lazy("Unit"), ColumnType.TEXT, width=10),
    Column("season", gettext_lazy("Season"), ColumnType.TEXT, width=16),
    Column("certifications", gettext_lazy("Certifications"), ColumnType.TEXT, width=30),
    Column("cooperative_code", gettext_lazy("Registration code"), ColumnType.CODE, width=14),
    Column("cooperative", gettext_lazy("Cooperative"), ColumnType.TEXT, width=32),
    Column("commune", gettext_lazy("Commune"), ColumnType.TEXT, width=40),
)
LINK_COLUMNS: tuple[Column, ...] = (
    Column("cooperative", gettext_lazy("Cooperative"), ColumnType.TEXT, width=32),
    Column("company", gettext_lazy("Company"), ColumnType.TEXT, width=32),
    Column("company_tax_code", gettext_lazy("Tax code"), ColumnType.CODE, width=14),
    Column("kind", gettext_lazy("Kind of link"), ColumnType.TEXT, width=18),
    Column("product", gettext_lazy("Product or input"), ColumnType.TEXT, width=24),
    Column("volume", gettext_lazy("Volume"), ColumnType.FLOAT, width=10),
    Column("volume_unit", gettext_lazy("Unit of volume"), ColumnType.TEXT, width=10),
    Column("value", gettext_lazy("Value (VND)"), ColumnType.MONEY, width=16),
    Column("starts_on", gettext_lazy("Start date"), ColumnType.DATE, width=12),
    Column("ends_on", gettext_lazy("End date"), ColumnType.DATE, width=12),
    Column("status", gettext_lazy("Status"), ColumnType.TEXT, width=12),
)


def _stamp() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


def _product_row(product: Any) -> list[Any]:
    cooperative = product.cooperative
    unit = cooperative.commune_legacy or cooperative.commune
    return [
        product.name,
        product.get_category_display(),
        product.unit,
        product.season,
        ", ".join(str(c) for c in product.certifications.all()),
        cooperative.tax_code,
        cooperative.name,
        unit.full_name if unit else "",
    ]


def product_export(request: HttpRequest) -> FileResponse:
    form = forms.ProductFilterForm(request.GET or None, user=request.user)
    products = selectors.product_list(user=request.user, filters=cleaned_filters(form))
    return xlsx_response(
        audit.export_rows(request, (_product_row(p) for p in products)),
        columns=PRODUCT_COLUMNS,
        filename=f"{_('products')}-{_stamp()}.xlsx",
        sheet=_("Products"),
    )


def _link_row(link: Any) -> list[Any]:
    return [
        link.cooperative.name,
        link.company.name,
        link.company.tax_code,
        link.get_kind_display(),
        link.subject,
        float(link.volume) if link.volume is not None else None,
        link.volume_unit,
        link.value,
        link.starts_on,
        link.ends_on,
        link.get_status_display(),
    ]


def link_export(request: HttpRequest) -> FileResponse:
    form = forms.LinkFilterForm(request.GET or None, user=request.user)
    filters = cleaned_filters(form)
    filters.pop("on", None)
    links = selectors.link_list(user=request.user, filters=filters)
    return xlsx_response(
        audit.export_rows(request, (_link_row(link) for link in links)),
        columns=LINK_COLUMNS,
        filename=f"{_('value-chain-links')}-{_stamp()}.xlsx",
        sheet=_("Links"),
    )


# --- the import of products -------------------------------------------------------------------


def _importer(request: HttpRequest) -> Any:
    """The user, if he may import products: officers, the administrator and HTX managers
    (each row is checked against its HTX); 403 for a user who may change nothing."""
    if access.scope_of(request.user).nothing:
        raise PermissionDenied
    return request.user


def _products_file(request: HttpRequest, import_id: str) -> StoredUpload:
    """The importer's own stored products file; 404 for anyone else's."""
    return stored.upload_get(user=_importer(request), upload_id=import_id, kind=importing.PRODUCTS)


def product_import(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    started = import_pages.upload_started(
        request,
        form,
        kind=importing.PRODUCTS,
        options={},
        detail=lambda upload: reverse("market:product_import_detail", args=[upload.id.hex]),
    )
    return started or render(request, "market/product_import.html", {"form": form})


def product_import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    upload = _products_file(request, import_id)
    here = reverse("market:product_import_detail", args=[import_id])
    posted = import_pages.import_posted(request, upload, here=here)
    fix_list_url = reverse("market:product_import_fix_list", args=[import_id])
    context = {**import_pages.import_context(upload), "fix_list_url": fix_list_url}
    return posted or render(request, "market/product_import_detail.html", context)


def product_import_fix_list(request: HttpRequest, import_id: str) -> FileResponse:
    return import_pages.fix_list_response(_products_file(request, import_id))


def product_template(request: HttpRequest) -> FileResponse:
    """The blank list of products to import: the import's headers, in the active language."""
    name = f"{_('products-template')}.xlsx"
    return xlsx_response([], columns=importing.COLUMNS, filename=name, sheet=_("Products"))
