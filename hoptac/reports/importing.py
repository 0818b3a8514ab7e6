"""Import of annual reports for many HTX at once, the same code for the page, the job and the
command: the pipeline of hoptac.core.tabular (reading, header detection, preview, one
transaction, fix-list, stored upload) run with the reports' own kind.

The reports supply their columns and header matcher (reports.excel), their column-map check
(a year is needed) and a ReportImporter: each row is matched to a cooperative (by its
registration code, else its exact name, among those the user may see), checked against the
user's right to report for it (access.may_change_cooperative), validated with the report
page's own form (forms.ReportForm) and classified new / changed / unchanged / error; the valid
rows are written through the services.

An empty cell keeps what the report already records. An approved or submitted report is not
changed by an import (an approved one is corrected from its page; a submitted one is first
returned); importing the same figures again leaves it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.core import tabular
from hoptac.core.tabular import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    ColumnMap,
    ImportKind,
    Layout,
    RowError,
    RowPlan,
    Summary,
)
from hoptac.core.tabular.cells import CellError, clean_cell
from hoptac.registry.models import Cooperative
from hoptac.registry.rules import search_fold
from hoptac.reports import excel, services
from hoptac.reports.choices import EDITABLE_STATUSES, ReportStatus
from hoptac.reports.forms import VALUE_FIELDS, ReportForm
from hoptac.reports.models import AnnualReport

if TYPE_CHECKING:
    from hoptac.accounts.models import User

__all__ = ["CHANGED", "ERROR", "KIND", "NEW", "UNCHANGED", "ReportRowPlan", "run_import"]

FIGURE_KEYS = (*VALUE_FIELDS, "notes")


def read_layout(path: Path) -> Layout:
    """The file's table, its header row matched to the reports' columns."""
    return tabular.read_layout(path, match=excel.match_header)


def mapping_errors(
    layout: Layout, mapping: ColumnMap, options: Mapping[str, Any] | None = None
) -> list[str]:
    """What makes a file unusable: a column read twice, no code or name, no year (neither a
    column nor options["year"])."""
    year = (options or {}).get("year")
    errors, seen = tabular.duplicate_errors(layout, mapping, excel.COLUMNS_BY_KEY)
    if not {"name", "tax_code"} & set(seen):
        errors.append(_("Choose the column of the cooperative's name or of its registration code."))
    if "year" not in seen and year is None:
        errors.append(_("The file has no column “Năm báo cáo”: give the year of the reports."))
    return errors


@dataclass
class ReportRowPlan(RowPlan):
    """What an import does with one row: the pipeline's plan, with the year, the cooperative
    and report matched and the figures to write."""

    year: int | None = None
    cooperative: Cooperative | None = None
    report: AnnualReport | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "year": self.year,
            "cooperative": self.cooperative.pk if self.cooperative else None,
        }


def _differs(old: Any, new: Any) -> bool:
    if old in (None, "") and new in (None, ""):
        return False
    return bool(old != new)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, Decimal | int):
        return f"{value:,}".replace(",", ".")
    return str(value)


class ReportImporter:
    """Plans (and writes) the rows of one file for one user."""

    def __init__(
        self,
        *,
        layout: Layout,
        mapping: ColumnMap,
        user: User | access.SystemActor | None,
        year: int | None,
    ) -> None:
        self.layout = layout
        self.mapping = mapping
        self.user = user
        self.year = year
        self.columns = [
            (index, excel.COLUMNS_BY_KEY[key], mapping.scales[index])
            for index, key in enumerate(mapping.keys)
            if key and key in excel.IMPORT_KEYS
        ]
        self.mapped = {column.key for _index, column, _scale in self.columns}
        self.seen: dict[tuple[int, int], int] = {}
        self.today = timezone.localdate()

    def header(self, key: str) -> str:
        index = self.mapping.index_of(key)
        return self.layout.label(index) if index is not None else ""

    # -- planning

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[ReportRowPlan]:
        plans: list[ReportRowPlan] = []
        parsed: list[dict[str, Any]] = []
        for number, raw in rows:
            if all(clean_cell(v) is None for v in raw):
                continue
            plan = ReportRowPlan(row=number, raw=raw)
            parsed.append(self._parse(plan))
            plans.append(plan)
        coops = self._cooperatives(parsed)
        reports = self._reports(coops, parsed)
        for plan, values in zip(plans, parsed, strict=True):
            self._plan_row(plan, values, coops, reports)
            if plan.errors:
                plan.action = ERROR
        return plans

    def _parse(self, plan: ReportRowPlan) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for index, column, scale in self.columns:
            cell = plan.raw[index] if index < len(plan.raw) else None
            try:
                values[column.key] = tabular.parse_value(column, cell, scale)
            except CellError as error:
                plan.errors.append(RowError(plan.row, self.layout.label(index), str(error)))
                values[column.key] = None
        plan.name = values.get("name") or values.get("tax_code") or ""
        return values

    def _cooperatives(self, parsed: list[dict[str, Any]]) -> dict[str, Any]:
        """The cooperatives the rows name, among those the user may see: by code and by name."""
        codes = {v["tax_code"] for v in parsed if v.get("tax_code")}
        names = {search_fold(v["name"]) for v in parsed if v.get("name") and not v.get("tax_code")}
        visible = Cooperative.objects.visible_to(self.user)  # access.SYSTEM: all; None: none
        visible = visible.select_related("commune_legacy", "commune")
        by_code = {c.tax_code: c for c in visible.filter(tax_code__in=codes)} if codes else {}
        by_name: dict[str, list[Cooperative]] = {}
        if names:
            condition = Q()
            for folded in names:
                condition |= Q(search_text__contains=folded)
            for coop in visible.filter(condition):
                folded = search_fold(coop.name)
                if folded in names:
                    by_name.setdefault(folded, []).append(coop)
        return {"code": by_code, "name": by_name}

    def _reports(
        self, coops: dict[str, Any], parsed: list[dict[str, Any]]
    ) -> dict[tuple[int, int], AnnualReport]:
        ids = {c.pk for c in coops["code"].values()}
        ids |= {c.pk for found in coops["name"].values() for c in found}
        years = {v.get("year") or self.year for v in parsed} - {None}
        if not ids or not years:
            return {}
        current = AnnualReport.objects.filter(
            cooperative_id__in=ids, year__in=years, is_current=True
        )
        return {(r.cooperative_id, r.year): r for r in current}

    def _find(
        self, plan: ReportRowPlan, values: dict[str, Any], coops: dict[str, Any]
    ) -> Cooperative | None:
        code = values.get("tax_code")
        if code:
            found = coops["code"].get(code)
            if found is None:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("tax_code"),
                        _("No cooperative with this code in your area."),
                    )
                )
            return found
        name = values.get("name")
        if not name:
            plan.errors.append(
                RowError(plan.row, "", _("Write the cooperative's registration code or name."))
            )
            return None
        found_by_name = coops["name"].get(search_fold(name), [])
        if len(found_by_name) == 1:
            return found_by_name[0]
        message = (
            _("Several cooperatives have this name; write the registration code to say which one.")
            if found_by_name
            else _("No cooperative with this name in your area.")
        )
        plan.errors.append(RowError(plan.row, self.header("name"), message))
        return None

    def _year(self, plan: ReportRowPlan, values: dict[str, Any]) -> int | None:
        year = values.get("year")
        if year is None:
            year = self.year
        elif self.year is not None and year != self.year:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("year"),
                    _("The year %(row)s is not the year being imported (%(year)s).")
                    % {"row": year, "year": self.year},
                )
            )
            return None
        if year is None:
            plan.errors.append(RowError(plan.row, self.header("year"), _("Write the report year.")))
        return year

    def _plan_row(
        self,
        plan: ReportRowPlan,
        values: dict[str, Any],
        coops: dict[str, Any],
        reports: dict[tuple[int, int], AnnualReport],
    ) -> None:
        cooperative = self._find(plan, values, coops)
        year = self._year(plan, values)
        plan.year = year
        if cooperative is None or year is None:
            return
        plan.cooperative = cooperative
        plan.name = cooperative.name
        if not access.may_change_cooperative(self.user, cooperative):
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code") or self.header("name"),
                    _("You may not report for this cooperative."),
                )
            )
            return
        key = (cooperative.pk, year)
        if key in self.seen:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code") or self.header("name"),
                    _("Row %(row)s is the same cooperative and year.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = plan.row
        try:
            services.check_year(cooperative, year, self.today)
        except ValidationError as error:
            for message in error.message_dict.get("year", error.messages):
                plan.errors.append(RowError(plan.row, self.header("year"), message))
            return
        self._validate(plan, values, reports.get(key))

    def _validate(
        self, plan: ReportRowPlan, values: dict[str, Any], report: AnnualReport | None
    ) -> None:
        """The figures go through the report page's form (ReportForm): each field checked as
        the page checks it, then the one-report rules; an empty cell keeps what is recorded."""
        base = report or AnnualReport()
        data: dict[str, Any] = {}
        for name in FIGURE_KEYS:
            value = values.get(name) if name in self.mapped else None
            if value in (None, ""):
                value = getattr(base, name)
            data[name] = "" if value is None else str(value)
        form = ReportForm(data=data, instance=AnnualReport())
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                column = self.header(name) or label
                for message in messages:
                    prefix = f"{label[:1].upper()}{label[1:]}: "
                    text = (
                        message[len(prefix) :] if label and message.startswith(prefix) else message
                    )
                    plan.errors.append(RowError(plan.row, column, text))
            return
        new_values = form.values()
        changed = {
            name: new
            for name, new in new_values.items()
            if report is None or _differs(getattr(report, name), new)
        }
        plan.report = report
        if report is None:
            plan.action = NEW
            plan.values = {k: v for k, v in new_values.items() if v not in (None, "")}
            return
        if not changed:
            plan.action = UNCHANGED
            return
        if report.status not in EDITABLE_STATUSES:
            message = (
                _("The report for this year is approved and locked; correct it from its page.")
                if report.status == ReportStatus.APPROVED
                else _(
                    "The report for this year was submitted; it must be returned before it changes."
                )
            )
            plan.errors.append(RowError(plan.row, "", message))
            return
        plan.action = CHANGED
        plan.values = changed
        for name, new in changed.items():
            label = str(form.fields[name].label)
            plan.changes.append(
                Change(label[:1].upper() + label[1:], _shown(getattr(report, name)), _shown(new))
            )

    # -- writing

    def write(
        self, plans: Sequence[ReportRowPlan], *, by: User | access.SystemActor | None
    ) -> None:
        for plan in plans:
            if plan.cooperative is None or plan.year is None:
                continue
            if plan.action == NEW:
                services.report_create(
                    cooperative=plan.cooperative, year=plan.year, by=by, **plan.values
                )
            elif plan.action == CHANGED and plan.report is not None:
                services.report_update(
                    report=plan.report, by=by, revision=plan.report.revision, **plan.values
                )


def _importer(
    *, layout: Layout, mapping: ColumnMap, user: Any, filename: str, options: Mapping[str, Any]
) -> ReportImporter:
    return ReportImporter(layout=layout, mapping=mapping, user=user, year=options.get("year"))


KIND = ImportKind(
    name="reports", match=excel.match_header, check_mapping=mapping_errors, importer=_importer
)


def run_import(
    path: Path,
    *,
    user: User | access.SystemActor | None,
    year: int | None = None,
    layout: Layout | None = None,
    mapping: ColumnMap | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    fix_list: Path | None = None,
    on_plan: Callable[[ReportRowPlan], None] | None = None,
) -> Summary:
    """Import the reports in the file at `path` as `user` (access.SYSTEM: the system, unrestricted).

    year: the year of every row (a "year" column may then be left out, and a row of another
    year is an error). The rest as hoptac.core.tabular.run_import: dry_run validates only; by
    default an error anywhere writes nothing; valid_only writes the valid rows and puts the
    others in `fix_list`. ImportFileError for a bad file or column map.
    """
    return tabular.run_import(
        path,
        KIND,
        user=user,
        options={"year": year},
        layout=layout,
        mapping=mapping,
        dry_run=dry_run,
        valid_only=valid_only,
        fix_list=fix_list,
        on_plan=on_plan,
    )
