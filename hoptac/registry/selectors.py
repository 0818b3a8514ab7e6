"""Reads of the registry, for views, the API, exports and the portal. Each starts from
`Cooperative.objects.visible_to(user)`, so nothing out of a user's scope is ever returned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hoptac.accounts import access
from hoptac.areas.models import AdminUnit
from hoptac.registry import rules
from hoptac.registry.choices import Flag, Problem, Sort
from hoptac.registry.models import AREA_FIELDS, Cooperative, Member, StatusChange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User

SearchedT = TypeVar("SearchedT", bound=QuerySet[Cooperative])

FLAG_FIELDS = {
    Flag.HIGH_TECH: "high_tech",
    Flag.VALUE_CHAIN: "value_chain",
    Flag.MODEL: "model_cooperative",
}


def _area_filter(area: AdminUnit | int | str) -> dict[str, Any]:
    unit = area if isinstance(area, AdminUnit) else AdminUnit.objects.get(pk=area)
    return {AREA_FIELDS[(unit.era, unit.level)]: unit.pk}


def _values(value: Any) -> list[str]:
    """A filter value as a list: a single value, or several (a multiple choice)."""
    if value in (None, ""):
        return []
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value if v not in (None, "")]


def cooperative_list(
    *,
    user: User | AnonymousUser,
    filters: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> QuerySet[Cooperative]:
    """The organisations `user` may see, filtered and sorted.

    filters (all optional; the cleaned data of forms.CooperativeFilterForm):
      area: an AdminUnit (or its pk) of either tree at any level;
      kind, sector, sub_sector, status: one code or several;
      founded_year: a year; flags: Flag codes, all required ("newly_founded": founded in the
      current year, or in founded_year when given); q: words found, without diacritics, in the
      name, code, representative or address; problem: a Problem code (data-quality
      warnings, see with_problem); sort: a Sort code (default: by name).
    """
    f = filters or {}
    qs = Cooperative.objects.visible_to(user).select_related(
        "commune_legacy", "district_legacy", "commune", "province"
    )
    if f.get("area"):
        qs = qs.filter(**_area_filter(f["area"]))
    for name in ("kind", "sector", "sub_sector", "status"):
        values = _values(f.get(name))
        if len(values) == 1:
            qs = qs.filter(**{name: values[0]})
        elif values:
            qs = qs.filter(**{f"{name}__in": values})
    year = f.get("founded_year")
    flags = _values(f.get("flags"))
    if Flag.NEWLY_FOUNDED in flags and not year:
        year = (today or timezone.localdate()).year
    if year:
        year = int(year)
        qs = qs.filter(founded_on__gte=date(year, 1, 1), founded_on__lt=date(year + 1, 1, 1))
    for flag in flags:
        if flag in FLAG_FIELDS:
            qs = qs.filter(**{FLAG_FIELDS[flag]: True})
    qs = cooperative_search(qs, f.get("q") or "")
    if f.get("problem"):
        qs = with_problem(qs, f["problem"], user=user)  # type: ignore[assignment]
    sort = f.get("sort") or Sort.NAME
    if sort not in Sort.values:
        sort = Sort.NAME
    return qs.order_by(sort, "pk")


def cooperative_search(qs: SearchedT, query: str) -> SearchedT:
    """`qs` cut to the organisations whose folded search text (services.search_text_of: name,
    short name, code, representative, address) holds every word of `query`, each anywhere in
    it, diacritics and case aside ("hop tac xa che" finds "Hợp tác xã Chè Mỹ Phương").

    The one search of the registry: the list's `q` and the header's quick search. On
    PostgreSQL each word is a `LIKE '%word%'` answered by the trigram index of migration
    0002 (bench/README.md, "Search", for the measurements behind the choice)."""
    for word in rules.search_words(query):
        qs = qs.filter(search_text__contains=word)
    return qs


# The quick search in the header (views.cooperative_quick_search) shows this many matches.
QUICK_SEARCH_LIMIT = 8
# Shorter queries find too much to be of use (and no trigram to look them up by).
QUICK_SEARCH_MIN_CHARS = 2
QUICK_SEARCH_COLUMNS = (
    "name",
    "tax_code",
    "representative_name",
    "commune_legacy",
    "commune",
    "commune_legacy__name",
    "commune__name",
)


def cooperative_quick_search(
    *, user: User | AnonymousUser, query: str, limit: int = QUICK_SEARCH_LIMIT
) -> list[Cooperative]:
    """The first `limit` + 1 organisations `user` may see that the search `query` finds
    (cooperative_search), by name as the list sorts them; one more than shown tells whether
    there are more. Nothing for a query of fewer than QUICK_SEARCH_MIN_CHARS letters."""
    if len("".join(rules.search_words(query))) < QUICK_SEARCH_MIN_CHARS:
        return []
    qs = cooperative_search(Cooperative.objects.visible_to(user), query)
    qs = qs.select_related("commune_legacy", "commune").only(*QUICK_SEARCH_COLUMNS)
    return list(qs.order_by("name", "pk")[: limit + 1])  # Sort.NAME, the list's default


def with_problem(
    qs: QuerySet[Cooperative], problem: str, *, user: User | AnonymousUser
) -> QuerySet[Cooperative]:
    """`qs` cut down to the organisations with the data-quality `problem` (a Problem code):
    in no commune of either tree, or whose folded name (name_key) another organisation `user`
    may see also has. An unknown code keeps nothing."""
    if problem == Problem.NO_COMMUNE:
        return qs.filter(commune_legacy__isnull=True, commune__isnull=True)
    if problem != Problem.DUPLICATE_NAME:
        return qs.none()
    shared = (
        Cooperative.objects.visible_to(user)
        .exclude(name_key="")
        .values("name_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("name_key")
    )
    return qs.filter(name_key__in=shared)


# What the list page shows of each organisation (templates/registry/cooperative_list.html):
# reading only these keeps every row narrow (no search text, business lines or full units).
LIST_COLUMNS = (
    "kind",
    "name",
    "tax_code",
    "sector",
    "sub_sector",
    "status",
    "founded_on",
    "members_count",
    "commune_legacy",
    "district_legacy",
    "commune",
    "province",
    "commune_legacy__name",
    "district_legacy__name",
    "commune__name",
    "province__name",
)


def cooperative_list_page(
    *,
    user: User | AnonymousUser,
    filters: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> QuerySet[Cooperative]:
    """cooperative_list with only the columns the list page shows (LIST_COLUMNS)."""
    return cooperative_list(user=user, filters=filters, today=today).only(*LIST_COLUMNS)


def cooperative_get_for_user(*, user: User | AnonymousUser, pk: int) -> Cooperative:
    """The organisation `pk` if `user` may see it; 404 whether missing or out of scope."""
    qs = Cooperative.objects.visible_to(user).select_related(
        "commune_legacy", "district_legacy", "province_legacy", "commune", "province"
    )
    return get_object_or_404(qs, pk=pk)


def cooperative_may_change(*, user: User | AnonymousUser, cooperative: Cooperative) -> bool:
    """May `user` edit this organisation's profile: officers of its area, admins, and the
    HTX's own managers (access.may_change_cooperative decides)."""
    return access.may_change_cooperative(user, cooperative)


def cooperative_may_change_status(*, user: User | AnonymousUser, cooperative: Cooperative) -> bool:
    """May `user` record status changes, delete, and edit the legal facts? Those are acts of
    the registration authority: officers of its area and admins, not the HTX's managers."""
    return access.may_change_placed(user, cooperative.commune_legacy, cooperative.commune)


def cooperative_status_history(*, cooperative: Cooperative) -> list[StatusChange]:
    """The dated statuses of `cooperative`, oldest first, with who recorded them."""
    return list(cooperative.status_changes.select_related("by").order_by("effective_on", "pk"))


def cooperative_members(*, cooperative: Cooperative) -> QuerySet[Member]:
    """The member roster of `cooperative` (whoever may see the HTX may see its roster)."""
    return cooperative.members.order_by("name", "pk")


def cooperative_member_get(*, cooperative: Cooperative, pk: int) -> Member:
    """A member of `cooperative`'s roster; 404 for a member of another HTX."""
    return get_object_or_404(cooperative.members, pk=pk)


# --- change history -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's change: its label, the old and the new value, both as shown to people."""

    field: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class ChangeEntry:
    """One recorded change of an organisation: when, by whom, what kind, which fields."""

    when: datetime
    who: str
    action: str  # "+" created, "~" changed, "-" deleted
    version: int
    changes: list[FieldChange] = field(default_factory=list)


def _shown(value: Any, model_field: Any, names: Mapping[tuple[str, int], str]) -> str:
    """A field value as a person reads it."""
    if value in (None, ""):
        return "—"
    if model_field.many_to_many:
        return ", ".join(sorted(names.get((model_field.name, pk), str(pk)) for pk in value)) or "—"
    if model_field.is_relation:
        return names.get(("unit", value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date | Decimal | int | float):
        return str(formats.localize(value, use_l10n=True))
    return str(value)


M2M_TRACKED = ("unions", "managers")


def _m2m_snapshots(records: list[Any]) -> dict[tuple[str, int], set[int]]:
    """For each historical record and tracked many-to-many field, the ids it pointed to then
    (simple-history's m2m snapshot tables, one query per field)."""
    snapshots: dict[tuple[str, int], set[int]] = {}
    ids = [r.history_id for r in records]
    for name in M2M_TRACKED:
        table = getattr(Cooperative.history.model, name).model
        target = Cooperative._meta.get_field(name).m2m_reverse_field_name()
        for history_id in ids:
            snapshots[(name, history_id)] = set()
        rows = table.objects.filter(history_id__in=ids).values_list("history_id", f"{target}_id")
        for history_id, pk in rows:
            snapshots[(name, history_id)].add(pk)
    return snapshots


def _display_names(
    records: Iterable[Any], snapshots: Mapping[tuple[str, int], set[int]]
) -> dict[tuple[str, int], str]:
    """Names of every unit, union and manager the records mention, in three queries."""
    from hoptac.accounts.models import User

    units: set[int] = set()
    unions: set[int] = set()
    users: set[int] = set()
    for r in records:
        units.update(pk for pk in (r.commune_legacy_id, r.commune_id) if pk)
        unions.update(snapshots[("unions", r.history_id)])
        users.update(snapshots[("managers", r.history_id)])
    names: dict[tuple[str, int], str] = {}
    for pk, full_name in AdminUnit.objects.filter(pk__in=units).values_list("pk", "full_name"):
        names[("unit", pk)] = full_name
    for pk, name in Cooperative.objects.filter(pk__in=unions).values_list("pk", "name"):
        names[("unions", pk)] = name
    for user in User.objects.filter(pk__in=users):
        names[("managers", user.pk)] = user.display_name
    return names


def _tracked_fields() -> list[Any]:
    tracked = [f for f in Cooperative._meta.concrete_fields if f.editable and f.name != "id"]
    return [
        *tracked,
        Cooperative._meta.get_field("unions"),
        Cooperative._meta.get_field("managers"),
    ]


def _snapshot(
    record: Any, fields: list[Any], snapshots: Mapping[tuple[str, int], set[int]]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields:
        if f.many_to_many:
            values[f.name] = snapshots[(f.name, record.history_id)]
        else:
            values[f.name] = getattr(record, f.attname)
    return values


def cooperative_changes(
    *, cooperative: Cooperative, since_version: int | None = None, limit: int = 100
) -> list[ChangeEntry]:
    """The recorded changes of `cooperative`, newest first: who, when, each field old → new.

    since_version: only the changes made after that version (what an out-of-date form missed).
    Reads django-simple-history's records (every save through services, imports and the admin).
    """
    history = cooperative.history.select_related("history_user")
    if since_version is not None:
        records = list(history.filter(version__gte=since_version).order_by("history_date", "pk"))
    else:
        records = list(history.order_by("-history_date", "-pk")[: limit + 1])[::-1]
    fields = _tracked_fields()
    snapshots = _m2m_snapshots(records)
    names = _display_names(records, snapshots)
    entries: list[ChangeEntry] = []
    previous: dict[str, Any] | None = None
    for index, record in enumerate(records):
        current = _snapshot(record, fields, snapshots)
        comparable = previous is not None or (index == 0 and record.history_type == "+")
        if comparable and (since_version is None or record.version > since_version):
            entries.append(_entry(record, previous, current, fields, names))
        previous = current
    entries = [e for e in entries if e.action != "~" or e.changes]
    return entries[::-1][:limit]


def _entry(
    record: Any,
    previous: dict[str, Any] | None,
    current: dict[str, Any],
    fields: list[Any],
    names: Mapping[tuple[str, int], str],
) -> ChangeEntry:
    user = record.history_user
    entry = ChangeEntry(
        when=record.history_date,
        who=user.display_name if user else _("system"),
        action=record.history_type,
        version=record.version,
    )
    if previous is None or record.history_type != "~":
        return entry
    for f in fields:
        if previous[f.name] != current[f.name]:
            entry.changes.append(
                FieldChange(
                    field=f.name,
                    label=str(f.verbose_name),
                    old=_shown(previous[f.name], f, names),
                    new=_shown(current[f.name], f, names),
                )
            )
    return entry
