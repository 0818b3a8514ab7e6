"""Writes of the registry. Every change goes through here: one transaction each, `full_clean()`,
the dated status history, and django-simple-history records attributed to `by`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit, Succession
from hoptac.registry import rules, selectors
from hoptac.registry.choices import Status
from hoptac.registry.models import Cooperative, Member, StatusChange

if TYPE_CHECKING:
    from hoptac.accounts.models import User

# Fields of the place: given by the caller, the rest is derived (_place).
PLACE_FIELDS = ("commune_legacy", "commune")
M2M_FIELDS = ("unions", "managers")


class EditConflictError(ValidationError):
    """An edit made on an out-of-date form: the organisation changed after the form was loaded.

    `changes` lists what changed meanwhile (selectors.ChangeEntry: who, when, field old → new).
    """

    def __init__(self, changes: list[selectors.ChangeEntry], version: int) -> None:
        self.changes = changes
        self.version = version  # the current version, which the editor has now seen
        messages = [
            _(
                "Someone else changed this cooperative after you opened the form, so nothing "
                "was saved. Changed meanwhile:"
            )
        ]
        for entry in changes:
            when = formats.localize(timezone.localtime(entry.when), use_l10n=True)
            for change in entry.changes:
                messages.append(
                    _("%(label)s: %(old)s → %(new)s (%(who)s, %(when)s)")
                    % {
                        "label": change.label,
                        "old": change.old,
                        "new": change.new,
                        "who": entry.who,
                        "when": when,
                    }
                )
        super().__init__(messages, code="conflict")


def default_successor(commune_legacy: AdminUnit) -> AdminUnit | None:
    """The commune of the 2025 tree an old commune went into (the default one if divided)."""
    succession = (
        Succession.objects.filter(old=commune_legacy)
        .select_related("new")
        .order_by("-is_default", "pk")
        .first()
    )
    return succession.new if succession else None


def _place(cooperative: Cooperative, given: dict[str, Any], before: dict[str, Any]) -> None:
    """Set the communes of both trees and the denormalised province and district.

    Whichever tree the address was given in, the other follows: an old commune gives its
    default successor; a 2025 commune keeps the old commune only if it is one of its
    successors (2025 → old cannot be derived, so it is left empty otherwise).
    """
    legacy_given = "commune_legacy" in given and given["commune_legacy"] is not None
    current_given = "commune" in given and given["commune"] is not None
    if legacy_given:
        cooperative.commune_legacy = given["commune_legacy"]
        legacy_changed = before.get("commune_legacy_id") != cooperative.commune_legacy_id
        if current_given:
            cooperative.commune = given["commune"]
        elif legacy_changed or cooperative.commune_id is None:
            cooperative.commune = default_successor(cooperative.commune_legacy)
    elif current_given:
        cooperative.commune = given["commune"]
        if (
            cooperative.commune_legacy_id
            and not Succession.objects.filter(
                old_id=cooperative.commune_legacy_id, new=cooperative.commune
            ).exists()
        ):
            cooperative.commune_legacy = None
    elif "commune_legacy" in given or "commune" in given:
        cooperative.commune_legacy = None
        cooperative.commune = None
    legacy, current = cooperative.commune_legacy, cooperative.commune
    cooperative.province_legacy_id = legacy.province_id if legacy else None
    cooperative.district_legacy_id = legacy.parent_id if legacy else None
    cooperative.province_id = current.province_id if current else None
    _default_coordinates(cooperative, before)


def _default_coordinates(cooperative: Cooperative, before: dict[str, Any]) -> None:
    """Coordinates default to the commune's centroid, and follow it when the commune moves."""
    unit = cooperative.commune_legacy or cooperative.commune
    if unit is None or unit.latitude is None:
        return
    old_centroid = before.get("centroid")
    at_old_centroid = old_centroid is not None and old_centroid == (
        cooperative.latitude,
        cooperative.longitude,
    )
    if cooperative.latitude is None or cooperative.longitude is None or at_old_centroid:
        cooperative.latitude, cooperative.longitude = unit.latitude, unit.longitude


def search_text_of(cooperative: Cooperative) -> str:
    """The folded text the list searches: name, code, representative and address."""
    return rules.search_fold(
        cooperative.name,
        cooperative.short_name,
        cooperative.tax_code,
        cooperative.representative_name,
        cooperative.street,
        cooperative.commune_legacy.full_name if cooperative.commune_legacy else "",
        cooperative.commune.full_name if cooperative.commune else "",
    )


def _state(cooperative: Cooperative) -> dict[str, Any]:
    unit = cooperative.commune_legacy or cooperative.commune
    return {
        "commune_legacy_id": cooperative.commune_legacy_id,
        "commune_id": cooperative.commune_id,
        "centroid": (unit.latitude, unit.longitude) if unit else None,
    }


@contextmanager
def _acting(by: User | None, *instances: models.Model) -> Iterator[None]:
    """Attribute the history records written meanwhile to `by` (simple-history reads
    `_history_user`; the request middleware does it for pages, this for commands too)."""
    for instance in instances:
        instance._history_user = access.author(by)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for instance in instances:
            with suppress(AttributeError):
                del instance._history_user  # type: ignore[attr-defined]


def _save(cooperative: Cooperative, by: User | None) -> None:
    cooperative.search_text = search_text_of(cooperative)
    cooperative.name_key = rules.name_key(cooperative.name)
    cooperative.full_clean()
    with _acting(by, cooperative):
        cooperative.save()


def _set_m2m(cooperative: Cooperative, values: dict[str, Iterable[Any]], by: User | None) -> None:
    with _acting(by, cooperative):
        for name, items in values.items():
            getattr(cooperative, name).set(list(items))


@transaction.atomic
def cooperative_create(
    *,
    by: User | None,
    status: str = Status.ACTIVE,
    status_on: date | None = None,
    **fields: Any,
) -> Cooperative:
    """Record a new organisation, placed by its commune of either tree, with its first status.

    fields: the model's fields (unions and managers as iterables). The status history starts
    with `status` from `status_on` (default: registration, else founding date, else today).
    """
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    place = {name: fields.pop(name) for name in PLACE_FIELDS if name in fields}
    cooperative = Cooperative(status=status, **fields)
    _place(cooperative, place, {})
    _save(cooperative, by)
    _set_m2m(cooperative, m2m, by)
    StatusChange.objects.create(
        cooperative=cooperative,
        status=status,
        effective_on=status_on or cooperative.start_date or timezone.localdate(),
        note=_("Recorded in the registry"),
        by=by,
    )
    return cooperative


@transaction.atomic
def cooperative_update(
    *, cooperative: Cooperative, by: User | None, version: int, **changes: Any
) -> Cooperative:
    """Change an organisation's fields, unless it changed since the form was loaded.

    version: the `version` the editor's form was loaded with. If the row has a newer one,
    nothing changes and EditConflictError lists the fields changed meanwhile (old → new, who, when).
    """
    current = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if current.version != version:
        changes = selectors.cooperative_changes(cooperative=current, since_version=version)
        raise EditConflictError(changes[::-1], current.version)
    before = _state(current)
    m2m = {name: changes.pop(name) for name in M2M_FIELDS if name in changes}
    place = {name: changes.pop(name) for name in PLACE_FIELDS if name in changes}
    for name, value in changes.items():
        setattr(current, name, value)
    _place(current, place, before)
    current.version += 1
    _save(current, by)
    _set_m2m(current, m2m, by)
    return current


@transaction.atomic
def cooperative_change_status(
    *,
    cooperative: Cooperative,
    status: str,
    effective_on: date,
    by: User | None,
    note: str = "",
    today: date | None = None,
) -> StatusChange:
    """Record a new status from `effective_on`, if the state machine allows it.

    The change may not be dated in the future, nor before the last recorded change; the
    organisation's `status` becomes the new one.
    """
    current = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    today = today or timezone.localdate()
    last = current.status_changes.order_by("-effective_on", "-pk").first()
    if effective_on > today:
        raise ValidationError(
            {"effective_on": _("The effective date cannot be in the future.")}, code="future"
        )
    if last is not None and effective_on < last.effective_on:
        raise ValidationError(
            {
                "effective_on": _(
                    "The effective date cannot be before the last status change (%(date)s)."
                )
                % {"date": formats.date_format(last.effective_on, "SHORT_DATE_FORMAT")}
            },
            code="before_last",
        )
    if last is not None and not rules.may_transition(last.status, status):
        raise ValidationError(
            {
                "status": _("A cooperative cannot go from “%(old)s” to “%(new)s”.")
                % {"old": Status(last.status).label, "new": Status(status).label}
            },
            code="transition",
        )
    change = StatusChange(
        cooperative=current, status=status, effective_on=effective_on, note=note, by=by
    )
    change.full_clean()
    with _acting(by, change):
        change.save()
    current.status = status
    current.version += 1
    _save(current, by)
    cooperative.status, cooperative.version = current.status, current.version
    return change


def cooperative_delete_blockers(*, cooperative: Cooperative) -> list[str]:
    """Why `cooperative` may not be deleted: the data it already has (empty: it may be)."""
    reasons = []
    if cooperative.members.exists():
        reasons.append(_("it has members"))
    if cooperative.status_changes.count() > 1:
        reasons.append(_("its status has changed since it was recorded"))
    if cooperative.member_cooperatives.exists():
        reasons.append(_("other cooperatives are members of it"))
    own = {"members", "status_changes", "member_cooperatives", "unions", "managers"}
    for relation in Cooperative._meta.related_objects:
        if relation.name in own or relation.get_accessor_name() in own:
            continue
        manager = relation.related_model._base_manager
        if manager.filter(**{relation.field.name: cooperative}).exists():
            reasons.append(
                _("it has %(things)s")
                % {"things": relation.related_model._meta.verbose_name_plural}
            )
    return reasons


@transaction.atomic
def cooperative_delete(*, cooperative: Cooperative, by: User | None) -> None:
    """Delete an organisation recorded by mistake. One that has data (members, a status
    history, reports…) is refused: organisations leave the registry through their status."""
    reasons = cooperative_delete_blockers(cooperative=cooperative)
    if reasons:
        raise ValidationError(
            _(
                "This cooperative cannot be deleted because %(reasons)s; record its dissolution "
                "through a status change instead."
            )
            % {"reasons": "; ".join(reasons)},
            code="has_data",
        )
    changes = list(cooperative.status_changes.all())
    with _acting(by, cooperative, *changes):
        for change in changes:
            change.delete()
        cooperative.delete()


# --- members ------------------------------------------------------------------------------


def _refresh_members_count(cooperative: Cooperative, by: User | None, today: date) -> None:
    """The HTX's member count follows its roster: those who have joined and not yet left."""
    count = (
        cooperative.members.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=today))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .count()
    )
    current = Cooperative.objects.select_for_update().get(pk=cooperative.pk)
    if current.members_count != count:
        current.members_count = count
        current.version += 1
        _save(current, by)
        cooperative.members_count, cooperative.version = count, current.version


@transaction.atomic
def member_add(
    *, cooperative: Cooperative, by: User | None, today: date | None = None, **fields: Any
) -> Member:
    """Add a member to the roster of `cooperative`; the HTX's member count follows."""
    member = Member(cooperative=cooperative, **fields)
    member.full_clean()
    with _acting(by, member):
        member.save()
    _refresh_members_count(cooperative, by, today or timezone.localdate())
    return member


@transaction.atomic
def member_update(
    *, member: Member, by: User | None, today: date | None = None, **changes: Any
) -> Member:
    """Change a member (e.g. record the day he left); the HTX's member count follows."""
    for name, value in changes.items():
        setattr(member, name, value)
    member.full_clean()
    with _acting(by, member):
        member.save()
    _refresh_members_count(member.cooperative, by, today or timezone.localdate())
    return member
