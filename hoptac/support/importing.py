"""Imports of the support lists (support given; a course's participants): read the file
(tabular.read_table, with the registry's safety), check every row with the same form the page
uses plus the user's scope, and hand the rows to a service that writes them in one
transaction, only when no row has an error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from hoptac.areas.models import AdminUnit
from hoptac.core.text import fold
from hoptac.support import excel, forms, selectors, services
from hoptac.support.choices import ParticipantRole
from hoptac.support.tabular import CellError, Column, Table, cell_error, parse, row_error

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User


@dataclass
class RowResult:
    """One row of the file as checked: its number, its values as shown, its errors."""

    number: int
    shown: list[str]
    errors: list[str] = field(default_factory=list)


@dataclass
class Checked:
    """A whole file checked: the rows ready for the service and every row's result."""

    ready: list[Any] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [error for result in self.results for error in result.errors]

    @property
    def ok(self) -> bool:
        return bool(self.results) and not self.errors


def _parse_row(
    number: int, raw: dict[str, Any], columns: Sequence[Column], scales: dict[str, int]
) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    for column in columns:
        if column.key not in raw:
            continue
        try:
            values[column.key] = parse(column, raw[column.key], scales.get(column.key, 1))
        except CellError as error:
            errors.append(cell_error(number, column, str(error)))
    return values, errors


def _shown(raw: dict[str, Any], columns: Sequence[Column]) -> list[str]:
    from hoptac.core.tabular.cells import display

    return [display(raw.get(c.key)) for c in columns]


def _form_errors(number: int, form: Any) -> list[str]:
    return [row_error(number, message) for errors in form.errors.values() for message in errors]


# --- support given ----------------------------------------------------------------------------


def _policy_named(cooperative: Any, text: str) -> Any:
    wanted = fold(text)
    for policy in selectors.policies_for_cooperative(cooperative=cooperative):
        if policy.code == text.strip() or fold(policy.name) == wanted:
            return policy
    return None


def grants_check(*, user: User | AnonymousUser, table: Table) -> Checked:
    """Check every row of a list of support given; see the module doc."""
    checked = Checked()
    for number, raw in table.rows:
        result = RowResult(number, _shown(raw, excel.GRANT_COLUMNS))
        checked.results.append(result)
        values, result.errors = _parse_row(number, raw, excel.GRANT_COLUMNS, table.scales)
        if result.errors:
            continue
        text = values.get("cooperative_code") or values.get("cooperative_name") or ""
        cooperative = forms.find_cooperative(user, text)
        if cooperative is None:
            result.errors.append(
                row_error(
                    number, _("No cooperative in your area has this registration code or name.")
                )
            )
            continue
        if not selectors.grant_may_record(user=user, cooperative=cooperative):
            result.errors.append(
                row_error(number, _("You may not record support for this cooperative."))
            )
            continue
        policy = _policy_named(cooperative, values.get("policy") or "")
        if policy is None:
            result.errors.append(
                row_error(
                    number,
                    _("No policy in use for this cooperative is named “%(name)s”.")
                    % {"name": values.get("policy")},
                )
            )
            continue
        data = {
            "policy": policy.pk,
            "granted_on": values["granted_on"].isoformat(),
            "amount": "" if values.get("amount") is None else str(values["amount"]),
            **{
                k: values.get(k) or ""
                for k in ("in_kind", "source", "product_support", "note", "override_reason")
            },
        }
        form = forms.GrantForm(data, cooperative=cooperative)
        if not form.is_valid():
            result.errors += _form_errors(number, form)
            continue
        kwargs = form.service_kwargs()
        kwargs.pop("files", None)
        check = selectors.eligibility_check(
            cooperative=cooperative, policy=policy, on=kwargs["granted_on"]
        )
        if check.needs_reason and not kwargs.get("override_reason", "").strip():
            result.errors.append(
                row_error(
                    number,
                    _(
                        "The records do not show that this cooperative meets any of the "
                        "policy's criteria; write why it is supported in the column “%(column)s”."
                    )
                    % {"column": excel.GRANT_COLUMNS[-1].header},
                )
            )
            continue
        checked.ready.append(services.GrantRow(number, {"cooperative": cooperative, **kwargs}))
    return checked


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


def participants_check(*, user: User | AnonymousUser, table: Table) -> Checked:
    """Check every row of a list of participants; see the module doc."""
    checked = Checked()
    for number, raw in table.rows:
        result = RowResult(number, _shown(raw, excel.PARTICIPANT_COLUMNS))
        checked.results.append(result)
        values, result.errors = _parse_row(number, raw, excel.PARTICIPANT_COLUMNS, table.scales)
        if result.errors:
            continue
        place = values.get("place") or ""
        data: dict[str, Any] = {
            "name": values.get("name") or "",
            "role": values.get("role") or "",
            "certificate": values.get("certificate") or "",
        }
        if "attended" not in table.positions or values.get("attended"):
            data["attended"] = "on"
        if data["role"] == ParticipantRole.OFFICER:
            area = find_area(place)
            data["area"] = area.pk if area else ""
        else:
            data["cooperative_text"] = place
        form = forms.ParticipantForm(data, user=user)
        if not form.is_valid():
            result.errors += _form_errors(number, form)
            continue
        checked.ready.append(form.service_kwargs())
    return checked
