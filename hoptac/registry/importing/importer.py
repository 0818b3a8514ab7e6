"""The Importer: plans (and writes) the rows of one file for one user, chunk by chunk."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.core.bulk import insert_with_history
from hoptac.registry import excel, rules, services
from hoptac.registry.choices import Kind, Status, sector_of
from hoptac.registry.excel import COLUMNS_BY_KEY
from hoptac.registry.excel.cells import RowParser
from hoptac.registry.importing.checking import RowChecker
from hoptac.registry.importing.layout import (
    FORM_FIELDS,
    KEEP_WHEN_EMPTY,
    PLACE_FIELDS,
    ColumnMap,
    Layout,
)
from hoptac.registry.importing.places import Place, PlaceResolver
from hoptac.registry.importing.rows import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Change,
    RowError,
    RowPlan,
    _same,
    _shown,
    row_form_class,
)
from hoptac.registry.models import Cooperative, StatusChange

if TYPE_CHECKING:
    from hoptac.accounts.models import User


class Importer:
    """Plans (and writes) the rows of one file for one user, chunk by chunk."""

    def __init__(
        self,
        *,
        layout: Layout,
        mapping: ColumnMap,
        user: User | None,
        filename: str = "",
        today: date | None = None,
    ) -> None:
        self.layout = layout
        self.mapping = mapping
        self.user = user
        self.filename = filename
        self.today = today or timezone.localdate()
        self.places = PlaceResolver()
        self.mapped = mapping.mapped()
        # A sector cell may also name the sub-sector ("Trồng trọt"): the sub-sector is then
        # set through the form as well, kept as recorded when the cell names none.
        implied = {"sub_sector"} if "sector" in self.mapped else set()
        self.form_fields = [f for f in FORM_FIELDS if f in self.mapped or f in implied]
        form_class = row_form_class(self.form_fields) if self.form_fields else None
        # One form for the whole file: building it (deep copies of its fields, querysets)
        # costs more than checking a row; RowChecker runs its cleaning row by row.
        form = form_class(data={}, user=self.user) if form_class else None
        self.checker = RowChecker(form, self.form_fields)
        self._blank: dict[str, Any] | None = None
        self.seen_codes: dict[str, int] = {}
        self.seen_pks: dict[int, int] = {}
        self.seen_names: dict[tuple[str, int], int] = {}
        self.columns = [
            (index, COLUMNS_BY_KEY[key], mapping.scales[index])
            for index, key in enumerate(mapping.keys)
            if key
        ]
        self.parser = RowParser(self.columns)

    # -- helpers

    def header(self, key: str) -> str:
        index = self.mapping.index_of(key)
        return self.layout.label(index) if index is not None else ""

    def place_header(self) -> str:
        for key in ("address", "commune_2025", "commune_name", "province_name", "district_name"):
            if key in self.mapped:
                return self.header(key)
        return ""

    def field_header(self, name: str) -> str:
        if name in ("commune", "commune_legacy", *PLACE_FIELDS):
            return self.place_header()
        if name == "registered_on" and "registered_on" not in self.mapped:
            return self.header("founded_on")
        if name == "sub_sector" and "sub_sector" not in self.mapped:
            return self.header("sector")
        return self.header(name) if name in self.mapped else ""

    def may_place(self, legacy: AdminUnit | None, current: AdminUnit | None) -> bool:
        if self.user is None:
            return True
        return access.may_change_placed(self.user, legacy, current)

    # -- planning

    def plan(self, rows: Sequence[tuple[int, list[Any]]]) -> list[RowPlan]:
        """Parse, resolve, match and validate a chunk of rows (nothing is written)."""
        plans: list[RowPlan] = []
        parsed: list[dict[str, Any]] = []
        self._prefetch_places(rows)
        for number, raw in rows:
            plan = RowPlan(row=number, raw=raw)
            values = self._parse(plan)
            if values is None:
                continue
            plans.append(plan)
            parsed.append(values)
        by_code, by_name = self._existing(parsed)
        for plan, values in zip(plans, parsed, strict=True):
            self._plan_row(plan, values, by_code, by_name)
            if plan.errors:
                plan.errors = _one_per_cell(plan.errors)
                plan.action = ERROR
        return plans

    def _prefetch_places(self, rows: Sequence[tuple[int, list[Any]]]) -> None:
        """Load the units a chunk's addresses name, in two queries rather than two a row."""
        texts: dict[bool, list[str]] = {False: [], True: []}
        for key, current_only in (("address", False), ("commune_2025", True)):
            index = self.mapping.index_of(key)
            if index is None:
                continue
            for _number, raw in rows:
                value = excel.clean_cell(raw[index]) if index < len(raw) else None
                if value is not None:
                    texts[current_only].append(str(value))
        for current_only, found in texts.items():
            self.places.prefetch(found, current_only=current_only)

    def _parse(self, plan: RowPlan) -> dict[str, Any] | None:
        raw = plan.raw
        if all(excel.clean_cell(v) is None for v in raw):
            return None  # an empty line between rows is no row
        row = self.parser.parse(raw)
        values = row.values
        for index, message in row.errors:
            plan.errors.append(RowError(plan.row, self.layout.label(index), message))
        if not any(v not in (None, False, "") for v in values.values()) and not plan.errors:
            plan.errors.append(
                RowError(plan.row, "", _("This row has no value in any imported column."))
            )
        plan.name = values.get("name") or ""
        values["_key"] = plan.name_key = rules.name_key(plan.name) if plan.name else ""
        self._resolve_place(plan, values)
        return values

    def _resolve_place(self, plan: RowPlan, values: dict[str, Any]) -> None:
        address = values.get("address")
        if not address:
            parts = [values.get(k) for k in ("commune_name", "district_name", "province_name")]
            if any(parts):
                address = ", ".join(p for p in parts if p)
        place = Place()
        if address:
            place = self.places.resolve(address)
            if place.error:
                plan.errors.append(RowError(plan.row, self.place_header(), place.error))
        current_text = values.get("commune_2025")
        if current_text:
            current = self.places.resolve(current_text, current_only=True)
            if current.error:
                plan.errors.append(RowError(plan.row, self.header("commune_2025"), current.error))
            elif place.current and place.current != current.current:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("commune_2025"),
                        _("This commune is not the one of the address (%(address)s).")
                        % {"address": place.current.full_name},
                    )
                )
            else:
                if place.legacy and current.current not in place.successors:
                    values["_place_mismatch"] = current.current
                place = Place(place.legacy, current.current, place.successors, place.note)
        values["_place"] = place
        plan.place = place.shown()
        plan.note = place.note

    def _existing(
        self, parsed: list[dict[str, Any]]
    ) -> tuple[dict[str, Cooperative], dict[tuple[str, str, int], list[Cooperative]]]:
        """The organisations the chunk's rows may be: by code (anyone's, to refuse a code
        taken outside the user's area), and, for rows whose code is unknown, by name in the
        rows' communes (names compared folded, on the stored Cooperative.name_key): two
        indexed queries a chunk, which read only the true candidates."""
        related = ("commune_legacy", "commune", "province", "district_legacy", "province_legacy")
        codes = {v["tax_code"] for v in parsed if rules.is_valid_tax_code(v.get("tax_code") or "")}
        by_code: dict[str, Cooperative] = {}
        if codes:
            # "not empty" lets PostgreSQL use the partial unique index of the codes
            # (cooperative_unique_tax_code); without it, each chunk read the whole table
            found = Cooperative.objects.filter(tax_code__in=codes).exclude(tax_code="")
            for coop in found.select_related(*related):
                by_code[coop.tax_code] = coop
        unmatched = [v for v in parsed if (v.get("tax_code") or "") not in by_code]
        legacy_pairs: set[tuple[int, str]] = set()
        current_pairs: set[tuple[int, str]] = set()
        for v in unmatched:
            if v.get("_key"):
                place: Place = v["_place"]
                if place.legacy:
                    legacy_pairs.add((place.legacy.pk, v["_key"]))
                if place.today:
                    current_pairs.add((place.today.pk, v["_key"]))
        by_name: dict[tuple[str, str, int], list[Cooperative]] = {}
        candidates = _named_in_communes(legacy_pairs, current_pairs)
        if candidates:
            found = Cooperative.objects.filter(pk__in=candidates).select_related(*related)
            for coop in found.order_by("pk"):
                if coop.commune_legacy_id:
                    by_name.setdefault((coop.name_key, "L", coop.commune_legacy_id), []).append(
                        coop
                    )
                if coop.commune_id:
                    by_name.setdefault((coop.name_key, "C", coop.commune_id), []).append(coop)
        self.visible: set[int] | None = None
        if self.user is not None:
            pks = {c.pk for c in by_code.values()} | candidates
            visible = Cooperative.objects.visible_to(self.user).filter(pk__in=pks)
            self.visible = set(visible.values_list("pk", flat=True))
        return by_code, by_name

    def _match(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        by_code: dict[str, Cooperative],
        by_name: dict[tuple[str, str, int], list[Cooperative]],
    ) -> Cooperative | None:
        """The organisation the row is: the one with its code; else the one of its commune
        with its name, unless that one has another code (then the row is an error: a code
        is never changed by a match on the name)."""
        code = values.get("tax_code") or ""
        if code and code in by_code:
            return by_code[code]
        name = values.get("name")
        place: Place = values["_place"]
        if not name:
            return None
        key = values["_key"]
        found: list[Cooperative] = []
        if place.legacy:
            found = by_name.get((key, "L", place.legacy.pk), [])
        if not found and place.today:
            found = by_name.get((key, "C", place.today.pk), [])
        if len(found) > 1:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("name"),
                    _(
                        "Several cooperatives of this commune have this name; write the "
                        "registration code to say which one."
                    ),
                )
            )
            return None
        if found and code and found[0].tax_code and found[0].tax_code != code:
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code"),
                    _(
                        "%(name)s of this commune is in the registry with the registration "
                        "code %(code)s, not this one. If this row is that cooperative, write "
                        "its code; if it is another one, tell them apart by their names."
                    )
                    % {"name": found[0].name, "code": found[0].tax_code},
                )
            )
            return None
        return found[0] if found else None

    def _plan_row(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        by_code: dict[str, Cooperative],
        by_name: dict[tuple[str, str, int], list[Cooperative]],
    ) -> None:
        existing = self._match(plan, values, by_code, by_name)
        if existing is not None and not self._may_update(plan, existing):
            return
        plan.existing = existing
        self._check_duplicates(plan, values, existing)
        if existing is None:
            self._plan_new(plan, values)
        else:
            self._plan_update(plan, values, existing)

    def _may_update(self, plan: RowPlan, existing: Cooperative) -> bool:
        if self.user is None:
            return True
        if self.visible is not None and existing.pk not in self.visible:
            message = _("Another cooperative already has this code.")
            plan.errors.append(RowError(plan.row, self.header("tax_code"), message))
            return False
        if not access.may_change_placed(self.user, existing.commune_legacy, existing.commune):
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("tax_code") or self.header("name"),
                    _("This cooperative is outside your area; you may not change it."),
                )
            )
            return False
        return True

    def _check_duplicates(
        self, plan: RowPlan, values: dict[str, Any], existing: Cooperative | None
    ) -> None:
        code = values.get("tax_code") or ""
        if code:
            if code in self.seen_codes:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("tax_code"),
                        _("Row %(row)s has the same registration code.")
                        % {"row": self.seen_codes[code]},
                    )
                )
                return
            self.seen_codes[code] = plan.row
        if existing is not None:
            if existing.pk in self.seen_pks:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("name"),
                        _("Row %(row)s is the same cooperative.")
                        % {"row": self.seen_pks[existing.pk]},
                    )
                )
            self.seen_pks.setdefault(existing.pk, plan.row)
            return
        place: Place = values["_place"]
        unit = place.legacy or place.current
        if values.get("name") and unit is not None and not code:
            key = (values["_key"], unit.pk)
            if key in self.seen_names:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("name"),
                        _("Row %(row)s has the same name in the same commune.")
                        % {"row": self.seen_names[key]},
                    )
                )
            else:
                self.seen_names[key] = plan.row

    def _validate_form(
        self,
        plan: RowPlan,
        values: dict[str, Any],
        target: Cooperative,
        existing: Cooperative | None,
    ) -> None:
        """Put the row's fields on `target` through the registry's profile form (each field
        checked as the page checks it), then validate the whole row as the model does
        (Cooperative.clean: a commune, the sub-sector of the sector, dates in order). The
        registration code's uniqueness is settled by the matching (a code found is that
        organisation; two rows with one code are refused)."""
        if self.checker.form is None:
            self._model_clean(plan, target)
            return
        data: dict[str, Any] = {}
        for name in self.form_fields:
            value = values.get(name)
            if value in (None, "") and name not in self.mapped and existing is not None:
                value = getattr(existing, name)  # implied by another cell, which gave none
            elif value in (None, "") and name in KEEP_WHEN_EMPTY:
                if existing is not None:
                    value = getattr(existing, name)
                elif name == "kind":
                    value = Kind.COOPERATIVE
                elif name == "sector" and values.get("sub_sector"):
                    value = sector_of(values["sub_sector"])
            data[name] = value
        cleaned, errors = self.checker.check_form(data, target)
        if errors:
            self._report(plan, errors)
            return
        self.checker.save_form_data(cleaned, target)
        self._model_clean(plan, target)

    def _report(self, plan: RowPlan, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                plan.errors.append(RowError(plan.row, self.field_header(name), message))

    def _model_clean(self, plan: RowPlan, target: Cooperative) -> None:
        """Cooperative.full_clean on the fields the file has, and the one-row rules."""
        errors = self.checker.check_model(target)
        if errors:
            self._report(plan, errors)

    def _status(self, values: dict[str, Any]) -> str | None:
        return values.get("status") if "status" in self.mapped else None

    def _plan_new(self, plan: RowPlan, values: dict[str, Any]) -> None:
        place: Place = values["_place"]
        target = self._new_cooperative()
        target.status = self._status(values) or Status.ACTIVE
        if "sector" not in self.mapped and values.get("sub_sector"):
            target.sector = sector_of(values["sub_sector"])
        elif not (values.get("sector") or values.get("sub_sector")):
            plan.errors.append(
                RowError(
                    plan.row,
                    self.header("sector"),
                    _("Write the sector (agricultural or non-agricultural) of a new cooperative."),
                )
            )
        self._place(target, place.legacy, place.current, before=None)
        mismatch = values.get("_place_mismatch")
        if mismatch is not None and place.legacy is not None:
            plan.errors.append(self._mismatch(plan, mismatch, place.legacy))
        if (target.commune_legacy or target.commune) and not self.may_place(
            target.commune_legacy, target.commune
        ):
            plan.errors.append(self._foreign(plan, target))
        self._validate_form(plan, values, target, None)
        for name in ("registered_on", "founded_on"):
            value = getattr(target, name)
            if isinstance(value, excel.YearOnly):
                setattr(target, name, date(value.year, value.month, value.day))
        unit = target.commune_legacy or target.commune
        if unit is not None and (target.latitude is None or target.longitude is None):
            target.latitude, target.longitude = unit.latitude, unit.longitude
        plan.target = target
        plan.action = NEW

    def _new_cooperative(self) -> Cooperative:
        """A Cooperative() with the model's defaults, copied from one built for the file:
        Model.__init__ over forty fields costs more than checking a row. Only while no
        receiver listens to the model's init signals and every default is a constant."""
        if self._blank is None:
            plain = not any(
                f.has_default() and callable(f.default) for f in Cooperative._meta.fields
            )
            plain = plain and not (
                pre_init.has_listeners(Cooperative) or post_init.has_listeners(Cooperative)
            )
            self._blank = Cooperative().__dict__.copy() if plain else {}
            self._blank.pop("_state", None)
        if not self._blank:
            return Cooperative()
        target = Cooperative.__new__(Cooperative)
        target.__dict__.update(self._blank)
        target._state = ModelState()
        return target

    def _mismatch(self, plan: RowPlan, new: AdminUnit, old: AdminUnit) -> RowError:
        return RowError(
            plan.row,
            self.header("commune_2025"),
            _("%(new)s is not what %(old)s became on 1 July 2025.")
            % {"new": new.full_name, "old": old.full_name},
        )

    def _foreign(self, plan: RowPlan, target: Cooperative) -> RowError:
        unit = target.commune_legacy or target.commune
        area = access.scope_of(self.user).area if self.user else None
        return RowError(
            plan.row,
            self.place_header(),
            _("%(place)s is outside your area (%(area)s); you may not import it.")
            % {"place": unit.full_name if unit else "", "area": area.full_name if area else "—"},
        )

    def _place(
        self,
        target: Cooperative,
        legacy: AdminUnit | None,
        current: AdminUnit | None,
        before: Cooperative | None,
    ) -> dict[str, Any]:
        """Set both communes, as services.cooperative_create/update do with what the file
        gives, and return the place arguments to give the services."""
        given: dict[str, Any] = {}
        if legacy is not None:
            given["commune_legacy"] = legacy
            target.commune_legacy = legacy
            if current is not None:
                given["commune"] = current
                target.commune = current
            elif before is None or before.commune_legacy_id != legacy.pk or not before.commune_id:
                successors = self.places.successors(legacy)
                target.commune = successors[0] if successors else None
        elif current is not None:
            given["commune"] = current
            target.commune = current
            old = target.commune_legacy
            if old is not None and current not in self.places.successors(old):
                target.commune_legacy = None
        old_unit, new_unit = target.commune_legacy, target.commune
        target.province_legacy_id = old_unit.province_id if old_unit else None
        target.district_legacy_id = old_unit.parent_id if old_unit else None
        target.province_id = new_unit.province_id if new_unit else None
        unit = old_unit or new_unit
        if (
            before is None
            and unit is not None
            and unit.latitude is not None
            and (target.latitude is None or target.longitude is None)
        ):
            target.latitude, target.longitude = unit.latitude, unit.longitude
        return given

    def _plan_update(self, plan: RowPlan, values: dict[str, Any], existing: Cooperative) -> None:
        place: Place = values["_place"]
        target = copy.copy(existing)
        given: dict[str, Any] = {}
        if place.legacy or place.current:
            given = self._place(target, place.legacy, place.current, before=existing)
        self._validate_form(plan, values, target, existing)
        changes: dict[str, Any] = {}
        for name in self.form_fields:
            old, new = getattr(existing, name), getattr(target, name)
            if _same(old, new):
                setattr(target, name, old)
                continue
            if isinstance(new, date):
                new = date(new.year, new.month, new.day)
                setattr(target, name, new)
            changes[name] = new
            column = COLUMNS_BY_KEY.get(name)
            plan.changes.append(
                Change(self.field_header(name), _shown(old, column), _shown(new, column))
            )
        moved = (target.commune_legacy_id, target.commune_id) != (
            existing.commune_legacy_id,
            existing.commune_id,
        )
        if moved:
            mismatch = values.get("_place_mismatch")
            if mismatch is not None and place.legacy is not None:
                plan.errors.append(self._mismatch(plan, mismatch, place.legacy))
            changes.update(given)
            for name in ("commune_legacy", "commune"):
                old_unit, new_unit = getattr(existing, name), getattr(target, name)
                if old_unit != new_unit:
                    label = str(Cooperative._meta.get_field(name).verbose_name)
                    plan.changes.append(
                        Change(label[:1].upper() + label[1:], _shown(old_unit), _shown(new_unit))
                    )
            if not self.may_place(target.commune_legacy, target.commune):
                plan.errors.append(self._foreign(plan, target))
        status = self._status(values)
        if status and status != existing.status:
            if rules.may_transition(existing.status, status):
                plan.status = status
                plan.changes.append(
                    Change(
                        self.header("status"), Status(existing.status).label, Status(status).label
                    )
                )
            else:
                plan.errors.append(
                    RowError(
                        plan.row,
                        self.header("status"),
                        _("A cooperative cannot go from “%(old)s” to “%(new)s”.")
                        % {"old": Status(existing.status).label, "new": Status(status).label},
                    )
                )
        plan.updates = changes
        plan.target = target
        plan.action = CHANGED if (changes or plan.status) else UNCHANGED

    # -- writing

    def write(self, plans: Sequence[RowPlan], *, by: User | None) -> None:
        """Write a chunk's valid plans: new rows in bulk with their history and first status;
        changed rows through the registry's services."""
        reason = _("Imported from %(file)s") % {"file": self.filename} if self.filename else ""
        new = [p.target for p in plans if p.action == NEW and p.target is not None]
        if new:
            author = access.author(by)
            for plan in plans:
                target = plan.target
                if plan.action != NEW or target is None:
                    continue
                target.search_text = services.search_text_of(target)
                # the row's name folded once (_parse), unless the form changed the name
                same = target.name == plan.name
                target.name_key = plan.name_key if same else rules.name_key(target.name)
            # COPY on PostgreSQL (ids from the sequence, then the rows and their history)
            created = insert_with_history(new, Cooperative, by=author, reason=reason[:100] or None)
            note = _("Recorded in the registry")
            statuses = [
                StatusChange(
                    cooperative=coop,
                    status=coop.status,
                    effective_on=coop.start_date or self.today,
                    note=note,
                    by=author,
                )
                for coop in created
            ]
            insert_with_history(statuses, StatusChange, by=author)  # watchers told (core.changes)
        for plan in plans:
            if plan.action != CHANGED or plan.existing is None:
                continue
            coop = plan.existing
            if plan.updates:
                coop = services.cooperative_update(
                    cooperative=coop, by=by, version=coop.version, **plan.updates
                )
            if plan.status:
                services.cooperative_change_status(
                    cooperative=coop,
                    status=plan.status,
                    effective_on=self.today,
                    by=by,
                    note=reason[:500],
                    today=self.today,
                )


def _one_per_cell(errors: list[RowError]) -> list[RowError]:
    """One message per cell: the first said about a column. A cell that could not be read is
    reported by its parser; the form and the model, which then see no value, would repeat the
    problem in their own words ("required", "write the sector")."""
    seen: set[str] = set()
    kept: list[RowError] = []
    for error in errors:
        if error.column:
            if error.column in seen:
                continue
            seen.add(error.column)
        kept.append(error)
    return kept


def _named_in_communes(legacy: set[tuple[int, str]], current: set[tuple[int, str]]) -> set[int]:
    """The organisations with one of the (commune before 1 July 2025, name key) pairs, or one
    of the (2025 commune, name key) pairs: one query. On PostgreSQL the pairs are joined as
    two arrays, each pair one probe of its index (coop_communel_name_key, coop_commune_name_key);
    elsewhere the communes and the names are asked for and the pairs kept."""
    if not (legacy or current):
        return set()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Cooperative._meta.db_table)
        probe = (
            "SELECT c.id FROM {table} c JOIN unnest(%s::bigint[], %s::text[]) AS k(unit, key)"
            " ON c.{column} = k.unit AND c.name_key = k.key"
        )
        sql = " UNION ".join(
            probe.format(table=table, column=column)  # our own table's and columns' names
            for column in ("commune_legacy_id", "commune_id")
        )
        params = [[u for u, _k in legacy], [k for _u, k in legacy]]
        params += [[u for u, _k in current], [k for _u, k in current]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}
    names = {k for _u, k in legacy | current}
    found = Cooperative.objects.filter(
        Q(commune_legacy_id__in={u for u, _k in legacy}, name_key__in=names)
        | Q(commune_id__in={u for u, _k in current}, name_key__in=names)
    ).values_list("pk", "commune_legacy_id", "commune_id", "name_key")
    return {pk for pk, old, new, key in found if (old, key) in legacy or (new, key) in current}
