"""Imports of the support lists (support given; a course's participants) on the spreadsheet
pipeline of hoptac.core.tabular: reading, header detection below a title block, the stored
upload, the check (preview), the import in one transaction (every row or none, or the valid
rows with a fix-list) and the job that runs it are the pipeline's, the same as the registry's
and the reports'.

Support supplies what is its own: the lists' columns (support.excel), a header matcher over
them, what makes a column map unusable (a required column missing) and an importer per list.
Each row is checked with the same form the page uses (forms.GrantForm, forms.ParticipantForm)
and the user's scope (forms.find_cooperative, selectors.grant_may_record), and the valid rows
are written by the list's service (services.grants_import, services.participants_import). Every
row of an import is new: these lists are added to, never matched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from hoptac.areas.models import AdminUnit
from hoptac.core import tabular
from hoptac.core.tabular import (
    ERROR,
    Column,
    ColumnMap,
    ImportKind,
    Layout,
    RowError,
    RowPlan,
    header_matcher,
)
from hoptac.core.tabular.cells import CellError, clean_cell
from hoptac.core.text import fold
from hoptac.support import excel, forms, selectors, services
from hoptac.support.choices import ParticipantRole
from hoptac.support.models import Course

GRANTS = "support.grants"
PARTICIPANTS = "support.participants"


@dataclass
class ListRowPlan(RowPlan):
    """One row of a list: besides the pipeline's fields, what its service takes (`ready`)."""

    ready: Any = None


def _mapping_check(columns: Sequence[Column]) -> Any:
    """The column-map check of a list: no column read twice, every required column there."""
    by_key = {column.key: column for column in columns}

    def check(layout: Layout, mapping: ColumnMap, options: Mapping[str, Any]) -> list[str]:
        errors, seen = tabular.duplicate_errors(layout, mapping, by_key)
        missing = [column for column in columns if column.required and column.key not in seen]
        if missing:
            errors.append(
                _("No header row naming these columns was found: %(columns)s.")
                % {"columns": ", ".join(f"“{column.header}”" for column in missing)}
            )
        return errors

    return check


class _ListImporter:
    """The rows of one list, chunk by chunk: cells read by their column's type, then the
    list's own check (`check_row`), which fills the plan's `ready` or its errors."""

    columns: tuple[Column, ...] = ()

    def __init__(
        self, *, layout: Layout, mapping: ColumnMap, user: Any, options: Mapping[str, Any]
    ) -> None:
        self.layout = layout
        self.mapping = mapping
        self.user = user
        self.options = options
        by_key = {column.key: column for column in self.columns}
        self.read = [
            (index, by_key[key], mapping.scales[index])
            for index, key in enumerate(mapping.keys)
            if key in by_key
        ]
        self.labels = {column.key: layout.label(index) for index, column, _scale in self.read}

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[ListRowPlan]:
        plans = []
        for number, values in rows:
            raw = {c.key: values[i] if i < len(values) else None for i, c, _s in self.read}
            if all(clean_cell(value) is None for value in raw.values()):
                continue  # a blank row
            plan = ListRowPlan(row=number, raw=list(values))
            parsed: dict[str, Any] = {}
            for _index, column, scale in self.read:
                try:
                    parsed[column.key] = _parse(column, raw[column.key], scale)
                except CellError as error:
                    self.error(plan, str(error), column.key)
            if not plan.errors:
                self.check_row(plan, parsed)
            if plan.errors:
                plan.action = ERROR
            plans.append(plan)
        return plans

    def check_row(self, plan: ListRowPlan, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def error(self, plan: ListRowPlan, message: str, key: str = "") -> None:
        """An error of the row; of its cell in the column of `key` when the file has one."""
        plan.errors.append(RowError(plan.row, self.labels.get(key, ""), message))

    def form_errors(self, plan: ListRowPlan, form: Any) -> None:
        for field, messages in form.errors.items():
            for message in messages:
                self.error(plan, message, field)

    def write(self, plans: Sequence[ListRowPlan], *, by: Any) -> None:
        raise NotImplementedError


def _parse(column: Column, raw: Any, scale: int) -> Any:
    value = tabular.parse_value(column, raw, scale)
    if column.type == tabular.ColumnType.CHOICE and value is None:
        return ""
    return value


# --- support given ----------------------------------------------------------------------------


def _policy_named(cooperative: Any, text: str) -> Any:
    wanted = fold(text)
    for policy in selectors.policies_for_cooperative(cooperative=cooperative):
        if policy.code == text.strip() or fold(policy.name) == wanted:
            return policy
    return None


class GrantImporter(_ListImporter):
    """A list of support given: each row names an HTX the user may record support for, a
    policy in use for it, and is valid for the grant form; the policy's criteria are checked
    as on the page (a reason is needed when the records do not show them met)."""

    columns = excel.GRANT_COLUMNS

    def check_row(self, plan: ListRowPlan, values: dict[str, Any]) -> None:
        text = values.get("cooperative_code") or values.get("cooperative_name") or ""
        key = "cooperative_code" if values.get("cooperative_code") else "cooperative_name"
        cooperative = forms.find_cooperative(self.user, text)
        plan.name = str(values.get("cooperative_name") or text)
        if cooperative is None:
            self.error(plan, _("No cooperative in your area has this registration code or name."))
            return
        plan.name = cooperative.name
        if not selectors.grant_may_record(user=self.user, cooperative=cooperative):
            self.error(plan, _("You may not record support for this cooperative."), key)
            return
        policy = _policy_named(cooperative, values.get("policy") or "")
        if policy is None:
            self.error(
                plan,
                _("No policy in use for this cooperative is named “%(name)s”.")
                % {"name": values.get("policy")},
                "policy",
            )
            return
        data = {
            "policy": policy.pk,
            "granted_on": values["granted_on"].isoformat() if values.get("granted_on") else "",
            "amount": "" if values.get("amount") is None else str(values["amount"]),
            **{
                k: values.get(k) or ""
                for k in ("in_kind", "source", "product_support", "note", "override_reason")
            },
        }
        form = forms.GrantForm(data, cooperative=cooperative)
        if not form.is_valid():
            self.form_errors(plan, form)
            return
        kwargs = form.service_kwargs()
        kwargs.pop("files", None)
        check = selectors.eligibility_check(
            cooperative=cooperative, policy=policy, on=kwargs["granted_on"]
        )
        if check.needs_reason and not kwargs.get("override_reason", "").strip():
            self.error(
                plan,
                _(
                    "The records do not show that this cooperative meets any of the "
                    "policy's criteria; write why it is supported in the column “%(column)s”."
                )
                % {"column": excel.GRANT_COLUMNS[-1].header},
                "override_reason",
            )
            return
        plan.ready = services.GrantRow(plan.row, {"cooperative": cooperative, **kwargs})

    def write(self, plans: Sequence[ListRowPlan], *, by: Any) -> None:
        services.grants_import(rows=[plan.ready for plan in plans], by=by)


# --- participants of a course -----------------------------------------------------------------


def find_area(text: str) -> AdminUnit | None:
    """The unit whose full name (or name) is `text`, without diacritics; one match only."""
    wanted = fold(text)
    if not wanted:
        return None
    found = [
        u
        for u in AdminUnit.objects.search(text)[:50]
        if wanted in (fold(u.full_name), fold(u.name))
    ]
    return found[0] if len(found) == 1 else None


class ParticipantImporter(_ListImporter):
    """The participants of a course (options["course"]): each row valid for the participant
    form, which places an officer in a unit of the user's area and a manager or member in an
    HTX he may see."""

    columns = excel.PARTICIPANT_COLUMNS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.course = Course.objects.get(pk=self.options["course"])

    def check_row(self, plan: ListRowPlan, values: dict[str, Any]) -> None:
        place = values.get("place") or ""
        plan.name = str(values.get("name") or "")
        data: dict[str, Any] = {
            "name": values.get("name") or "",
            "role": values.get("role") or "",
            "certificate": values.get("certificate") or "",
        }
        if self.mapping.index_of("attended") is None or values.get("attended"):
            data["attended"] = "on"
        if data["role"] == ParticipantRole.OFFICER:
            area = find_area(place)
            data["area"] = area.pk if area else ""
        else:
            data["cooperative_text"] = place
        form = forms.ParticipantForm(data, user=self.user)
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    key = "place" if field in ("area", "cooperative_text") else field
                    self.error(plan, message, key)
            return
        plan.ready = form.service_kwargs()

    def write(self, plans: Sequence[ListRowPlan], *, by: Any) -> None:
        services.participants_import(course=self.course, rows=[plan.ready for plan in plans], by=by)


def _importer(cls: type[_ListImporter]) -> Any:
    def make(
        *, layout: Layout, mapping: ColumnMap, user: Any, filename: str, options: Mapping[str, Any]
    ) -> _ListImporter:
        return cls(layout=layout, mapping=mapping, user=user, options=options)

    return make


GRANT_KIND = ImportKind(
    name=GRANTS,
    match=header_matcher(lambda: excel.GRANT_COLUMNS),
    check_mapping=_mapping_check(excel.GRANT_COLUMNS),
    importer=_importer(GrantImporter),
)
PARTICIPANT_KIND = ImportKind(
    name=PARTICIPANTS,
    match=header_matcher(lambda: excel.PARTICIPANT_COLUMNS),
    check_mapping=_mapping_check(excel.PARTICIPANT_COLUMNS),
    importer=_importer(ParticipantImporter),
)


def kinds() -> tuple[ImportKind, ...]:
    """The support lists' import kinds (registered by SupportConfig.ready())."""
    return (GRANT_KIND, PARTICIPANT_KIND)
