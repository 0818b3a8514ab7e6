"""The main menu of signed-in users: each entry shows only to those who may use its page, as
hoptac.accounts.access decides (an HTX manager sees no dashboard, no users, no units, no portal
management). The menu sits in the top app because it names pages of every app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import access
from hoptac.accounts.choices import OFFICER_ROLES, Role
from hoptac.portal import selectors


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def _officer_or_admin(user: Any) -> bool:
    """Officers (with an area) and administrators: the pages of an area."""
    scope = access.scope_of(user)
    return scope.everything or (scope.area is not None and user.role in OFFICER_ROLES)


def _portal_editor(user: Any) -> bool:
    """access.may_edit_portal, asked only of those it may answer yes (administrators and
    provincial officers): the portal's province is read for them alone."""
    if access.scope_of(user).everything:
        return access.may_edit_portal(user, None)  # the administrator: any province
    if user.role != Role.PROVINCE_OFFICER:
        return False
    return access.may_edit_portal(user, selectors.portal_province())


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    shown: Callable[[Any], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU = (
    MenuItem(_("My tasks"), "portal:work", _signed_in),
    MenuItem(_("Notifications"), "notifications:list", _signed_in),
    MenuItem(_("Dashboard"), "indicators:dashboard", _officer_or_admin),
    MenuItem(_("Cooperatives"), "registry:cooperative_list", _signed_in),
    MenuItem(_("Support"), "support:overview", _signed_in),
    MenuItem(_("Products"), "market:product_list", _signed_in),
    MenuItem(_("Reports"), "reports:desk", _signed_in),
    MenuItem(_("Ratings"), "ratings:index", _signed_in),
    MenuItem(_("Administrative units"), "areas:unit_list", _officer_or_admin),
    MenuItem(_("Users"), "accounts:user_list", _officer_or_admin),
    MenuItem(_("Audit log"), "accounts:audit_entry_list", access.may_read_audit_log),
    MenuItem(_("Portal"), "portal:manage", _portal_editor),
)


def menu_for(user: Any) -> list[MenuItem]:
    """The entries `user` may use, in the menu's order."""
    if not user.is_authenticated:
        return []
    return [item for item in MENU if item.shown(user)]
