"""Who may see and change what: the one place that decides it.

Every view, API call, selector and command asks here. Rules:
- the system administrator sees and changes everything;
- an officer sees and changes what lies in his area (a province, a district of the old
  tree, or a commune), in the tree his area belongs to;
- an HTX manager sees and changes his own HTX only (the registry binds HTX to managers);
- the public (anonymous) sees only what is published, and changes nothing;
- internal callers (commands, imports, the demo) act as `SYSTEM`, which may do everything;
- `None` is nobody: a caller that forgot the user is granted nothing.
Out-of-scope objects are answered with 404, as if they did not exist.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.db.models import Model, Q, QuerySet

from hoptac.accounts.choices import OFFICER_ROLES, Role
from hoptac.areas.choices import Era

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hoptac.accounts.models import User
    from hoptac.areas.models import AdminUnit

M = TypeVar("M", bound=Model)


class Cooperative(Protocol):
    """What these rules read of an HTX (`registry.Cooperative`): where it is, and its managers.
    A protocol rather than the model, because the registry sits above accounts."""

    commune_legacy: AdminUnit | None
    commune: AdminUnit | None

    @property
    def managers(self) -> Any: ...


# A model's denormalised AdminUnit foreign keys, per (era, level) of the unit they hold.
AreaFields = Mapping[tuple[str, int], str]


@dataclass(frozen=True, slots=True)
class Scope:
    """What one user may reach: everything, an area subtree, his own objects, or nothing."""

    everything: bool = False
    area: AdminUnit | None = None
    own: bool = False  # an HTX manager: only objects bound to him

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.area or self.own)

    def covers_unit(self, unit: AdminUnit | None) -> bool:
        """True when `unit` lies in this scope's area (same tree, at or below it)."""
        if self.everything:
            return True
        if unit is None or self.area is None:
            return False
        return unit.path.startswith(self.area.path)

    def units(self, units: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
        """The administrative units this scope may pick or see."""
        if self.everything:
            return units
        if self.area is None:
            return units.none()
        return units.filter(path__startswith=self.area.path)

    def area_q(
        self,
        *,
        legacy: str | None = None,
        current: str | None = None,
        area_fields: AreaFields | None = None,
    ) -> Q:
        """A filter for objects placed by a unit of either tree.

        `legacy` and `current` name the object's foreign keys to an AdminUnit of the old and
        of the 2025 tree (e.g. "commune_legacy", "commune"); the one of the officer's tree is
        used, matched on the unit's path (a join to the units). Returns a Q that matches
        nothing when the object has no unit of that tree.

        `area_fields` (optional) names the object's denormalised foreign keys per (era, level)
        of the area, e.g. {("legacy", 1): "province_legacy", ("2025", 1): "province", …}, each
        kept equal to the unit of that level above the object's commune: when the officer's
        area has one, the filter is `<field> = area` on that column, with no join.
        """
        if self.everything:
            return Q()
        if self.area is None:
            return Q(pk__in=[])
        denormalised = (area_fields or {}).get((self.area.era, self.area.level))
        if denormalised is not None:
            return Q(**{denormalised: self.area.pk})
        field = legacy if self.area.era == Era.LEGACY else current
        if field is None:
            return Q(pk__in=[])
        return Q(**{f"{field}__path__startswith": self.area.path})


class SystemActor:
    """The actor of internal callers (management commands, imports run from the shell, the
    demo loaders): it may do everything. Pass `SYSTEM` explicitly; `None` grants nothing. It
    is no account: services record `author(by)`, None for it, as the author of their writes."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = True
    role = Role.ADMIN
    pk = None
    area = None
    area_id = None

    def __repr__(self) -> str:
        return "access.SYSTEM"


SYSTEM = SystemActor()


def author(actor: User | AnonymousUser | SystemActor | None) -> User | None:
    """The user to record as the author of a write made by `actor`: None for the system."""
    if actor is None or isinstance(actor, SystemActor) or not actor.is_authenticated:
        return None
    return actor


def _signed_in(user: Any) -> bool:
    """Is `user` someone (a signed-in account or the system)? None and the public are not."""
    return user is not None and bool(user.is_authenticated)


def scope_of(user: User | AnonymousUser | SystemActor | None) -> Scope:
    """The scope of `user`; an inactive or anonymous user, or None, reaches nothing private;
    the system everything."""
    if isinstance(user, SystemActor):
        return Scope(everything=True)
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(everything=True)
    if user.role in OFFICER_ROLES:
        return Scope(area=user.area) if user.area_id else Scope()
    if user.role == Role.COOP_MANAGER:
        return Scope(own=True)
    return Scope()


def restrict(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    *,
    legacy: str | None = None,
    current: str | None = None,
    owner: str | None = None,
    published: str | None = None,
    area_fields: AreaFields | None = None,
) -> QuerySet[M]:
    """`queryset` cut down to what `user` may see.

    legacy/current: the object's AdminUnit fields of each tree (see Scope.area_q);
    area_fields: its denormalised unit fields per (era, level), used instead of the path of
    legacy/current when the officer's area has one (see Scope.area_q);
    owner: the field that binds the object to its manager users (e.g. "managers");
    published: a boolean field that makes the object public to anyone.
    None (a caller that forgot the user) sees nothing, not even what is published.
    """
    if user is None:
        return queryset.none()
    scope = scope_of(user)
    if scope.everything:
        return queryset
    condition = Q(pk__in=[])
    if scope.area is not None:
        condition = scope.area_q(legacy=legacy, current=current, area_fields=area_fields)
    elif scope.own and owner is not None:
        # A subquery, not a join: no duplicate rows, so no DISTINCT over large tables.
        owned = queryset.model._default_manager.filter(**{owner: user}).values("pk")
        condition = Q(pk__in=owned)
    if published is not None:
        condition |= Q(**{published: True})
    return queryset.filter(condition)


def restrict_either(
    queryset: QuerySet[M], user: User | AnonymousUser, *placements: Mapping[str, Any]
) -> QuerySet[M]:
    """`queryset` cut down to the rows `user` may see by any one of `placements`, each the
    keyword arguments of `restrict`: for an object placed in more than one way, e.g. a course
    participant, seen where his HTX is or, when he has none, where the unit he works for is."""
    if scope_of(user).everything:
        return queryset
    return reduce(operator.or_, (restrict(queryset, user, **p) for p in placements))


def may_change(user: User | AnonymousUser, unit: AdminUnit | None) -> bool:
    """May `user` change data placed in `unit`? Officers: inside their area; admin: anywhere."""
    if not _signed_in(user):
        return False
    return scope_of(user).covers_unit(unit)


def may_change_placed(
    user: User | AnonymousUser, *units: AdminUnit | None, owned: bool = False
) -> bool:
    """May `user` change an object placed in `units` (its unit of each tree, either may be
    None)? Officers: when one of them lies in their area; admin: always; an HTX manager: only
    an object bound to him (`owned`)."""
    if not _signed_in(user):
        return False
    scope = scope_of(user)
    if scope.everything or (scope.own and owned):
        return True
    return any(scope.covers_unit(unit) for unit in units if unit is not None)


def may_review_placed(user: User | AnonymousUser, *units: AdminUnit | None) -> bool:
    """May `user` review (approve, return) what an organisation placed in `units` reports?
    Officers of the area and admins; never the organisation's own managers."""
    return may_change_placed(user, *units, owned=False)


def is_cooperative_manager(user: Any, cooperative: Cooperative) -> bool:
    """Is `user` one of the HTX's own managers (bound to it in the registry)?"""
    return (
        _signed_in(user)
        and not isinstance(user, SystemActor)
        and cooperative.managers.filter(pk=user.pk).exists()
    )


def may_change_cooperative(
    user: User | AnonymousUser | SystemActor | None, cooperative: Cooperative
) -> bool:
    """May `user` change this HTX's own data (its profile, annual reports, self-scores of a
    rating)? Officers of its area, admins, the system, and the HTX's own managers."""
    if not _signed_in(user):
        return False
    owned = scope_of(user).own and is_cooperative_manager(user, cooperative)
    return may_change_placed(user, cooperative.commune_legacy, cooperative.commune, owned=owned)


def may_review_cooperative(
    user: User | AnonymousUser | SystemActor | None, cooperative: Cooperative
) -> bool:
    """May `user` review what this HTX hands in (approve or return its annual reports, verify
    and approve its rating, remind it)? Officers of its area, admins and the system; never
    its own managers."""
    return may_review_placed(user, cooperative.commune_legacy, cooperative.commune)


def may_rate_area(user: User | AnonymousUser | SystemActor | None, area: AdminUnit | None) -> bool:
    """May `user` propose, approve and publish the ratings of `area` (None: the whole country)?
    Officers whose area holds it, admins and the system; the whole country only the latter."""
    scope = scope_of(user)
    if scope.everything:
        return True
    return area is not None and scope.area is not None and scope.covers_unit(area)


def may_create_placed(user: User | AnonymousUser) -> bool:
    """May `user` create objects placed in an area at all (officers and admins; not HTX
    managers, whose scope is only what is bound to them)?"""
    scope = scope_of(user)
    return scope.everything or scope.area is not None


def province_of(user: User | AnonymousUser) -> AdminUnit | None:
    """The province of an officer's area (the area itself for a provincial officer); None for
    the administrator, HTX managers and the public."""
    area = scope_of(user).area
    if area is None:
        return None
    return area.province if area.province_id else area


def _provinces_linked(one: AdminUnit, other: AdminUnit) -> bool:
    """Did the old province of the two take communes into the 2025 one (Succession)?"""
    from hoptac.areas.models import Succession

    old, new = (one, other) if one.era == Era.LEGACY else (other, one)
    if old.era != Era.LEGACY or new.era == Era.LEGACY:
        return False
    return Succession.objects.filter(old__province=old, new__parent=new).exists()


def may_change_province_record(user: User | AnonymousUser, province: AdminUnit | None) -> bool:
    """May `user` change a row of a national list that `province` keeps (a partner company:
    every officer reads the list, since companies work across provinces, but only the province
    that recorded a company keeps it)? The administrator always; an officer whose area lies in
    that province, in either tree (the officers of a 2025 province keep what those of the old
    provinces it took in recorded, and the other way round). No province: the administrator
    only. A signed-in user who may not change the row still sees it (403, not 404)."""
    if scope_of(user).everything:
        return True
    own = province_of(user)
    if own is None or province is None:
        return False
    return own.pk == province.pk or _provinces_linked(own, province)


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the units above the unit at `path` ("legacy/06/064/02062" gives
    "legacy/06" and "legacy/06/064")."""
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(2, len(parts))]


def restrict_applicable(
    queryset: QuerySet[M], user: User | AnonymousUser, *, unit: str
) -> QuerySet[M]:
    """Objects that apply in `user`'s area, placed by the AdminUnit field `unit` (null: the
    whole country): a national or provincial policy applies to the communes below it, so an
    officer sees those of every unit above his area, of his area, and below it; the
    administrator sees all; HTX managers and the public see only the national ones."""
    scope = scope_of(user)
    if scope.everything:
        return queryset
    condition = Q(**{f"{unit}__isnull": True})
    if scope.area is not None:
        path = scope.area.path
        condition |= Q(**{f"{unit}__path__startswith": path})
        condition |= Q(**{f"{unit}__path__in": _ancestor_paths(path)})
    elif not _signed_in(user):
        return queryset.none()
    return queryset.filter(condition)


# --- users --------------------------------------------------------------------------------


def may_manage_users(user: User | AnonymousUser) -> bool:
    """Administrators manage every account; provincial officers those inside their province."""
    return _signed_in(user) and (scope_of(user).everything or user.role == Role.PROVINCE_OFFICER)


def users_visible_to(user: User | AnonymousUser, users: QuerySet[User]) -> QuerySet[User]:
    """The accounts `user` may see: all for admins, those of his area for officers, else himself."""
    scope = scope_of(user)
    if scope.everything:
        return users
    if scope.area is not None:
        return users.filter(Q(area__path__startswith=scope.area.path) | Q(pk=user.pk))
    if _signed_in(user):
        return users.filter(pk=user.pk)
    return users.none()


def may_change_user(actor: User | AnonymousUser, target: User) -> bool:
    """May `actor` edit `target`'s account (role, area, activity, password reset)?"""
    if not may_manage_users(actor):
        return False
    scope = scope_of(actor)
    if scope.everything:
        return True
    if target.role == Role.ADMIN or target.is_superuser:
        return False
    if target.role == Role.COOP_MANAGER and target.area_id is None:
        return False
    return scope.covers_unit(target.area)


def assignable_roles(actor: User | AnonymousUser) -> list[str]:
    """Roles `actor` may give: admins any; provincial officers any but the administrator's."""
    if scope_of(actor).everything:
        return list(Role.values)
    if may_manage_users(actor):
        return [r for r in Role.values if r not in (Role.ADMIN,)]
    return []


def may_assign(actor: User | AnonymousUser, *, role: str, area: AdminUnit | None) -> bool:
    """May `actor` give an account `role` in `area`? Admins: anything; provincial officers:
    a non-admin role with an area inside their own (an account without an area would leave
    their scope at once)."""
    if role not in assignable_roles(actor):
        return False
    scope = scope_of(actor)
    return scope.everything or (area is not None and scope.covers_unit(area))


def may_unlock_user(actor: User | AnonymousUser, target: User) -> bool:
    """Only administrators lift a sign-in lockout (django-axes) of an account."""
    return scope_of(actor).everything


def may_read_audit_log(user: User | AnonymousUser) -> bool:
    """Only administrators read the audit log (sign-ins, account changes, exports)."""
    return scope_of(user).everything


def must_use_two_factor(user: User | AnonymousUser) -> bool:
    """Must `user` sign in with a second step (a code from his authenticator app)? As the
    setting HOPTAC_REQUIRE_2FA says: "admin" the administrators, "officer" the administrators
    and every officer (province, district, commune), "none" nobody. HTX managers never must.
    Anyone may enrol of his own will."""
    if not _signed_in(user) or not user.is_active:
        return False
    level = settings.HOPTAC_REQUIRE_2FA
    is_admin = user.is_superuser or user.role == Role.ADMIN
    if level == "admin":
        return is_admin
    if level == "officer":
        return is_admin or user.role in OFFICER_ROLES
    return False


def may_reset_two_factor(actor: User | AnonymousUser, target: User) -> bool:
    """Only administrators reset an account's two-factor sign-in (e.g. after a lost phone)."""
    return scope_of(actor).everything


# --- the public portal ----------------------------------------------------------------------


def restrict_public(queryset: QuerySet[M], *, published: str = "is_published") -> QuerySet[M]:
    """What the public portal shows, to anyone signed in or not: what the public may see
    (the objects whose `published` field is true), whoever asks."""
    from django.contrib.auth.models import AnonymousUser

    return restrict(queryset, AnonymousUser(), published=published)


def may_edit_portal(user: User | AnonymousUser, province: AdminUnit | None) -> bool:
    """May `user` write the portal of `province` (news, answers to citizens' messages, which
    HTX fields are public)? The administrator, and the provincial officers of that province."""
    if not _signed_in(user):
        return False
    scope = scope_of(user)
    if scope.everything:
        return True
    return (
        user.role == Role.PROVINCE_OFFICER and province is not None and scope.covers_unit(province)
    )


def may_see_job(user: User | AnonymousUser, owner_id: int | None) -> bool:
    """A background job (its progress, result and file) is its owner's; administrators see
    every job, the system's (owner None) included. Anyone else gets a 404."""
    if not _signed_in(user) or not user.is_active:
        return False
    return scope_of(user).everything or (owner_id is not None and owner_id == user.pk)
