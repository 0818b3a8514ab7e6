"""Roles of hoptac's users. The anonymous public has no account and so no role."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hoptac.areas.choices import Era, Level


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCE_OFFICER = "province_officer", _("Provincial officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COOP_MANAGER = "coop_manager", _("Cooperative manager")


# The level of administrative unit each officer role works on; the admin has no area and
# an HTX manager's scope is the HTX bound to him (registry), so neither is listed.
ROLE_AREA_LEVEL: dict[str, int] = {
    Role.PROVINCE_OFFICER: Level.PROVINCE,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.COMMUNE_OFFICER: Level.COMMUNE,
}
OFFICER_ROLES = frozenset(ROLE_AREA_LEVEL)

# The tree a role's area must belong to, where only one fits: districts exist only in the old
# tree, since local government has two levels, province and commune, from 1 July 2025 (Luật Tổ
# chức chính quyền địa phương 72/2025/QH15, Điều 2).
ROLE_AREA_ERA: dict[str, str] = {Role.DISTRICT_OFFICER: Era.LEGACY}


class AuditAction(models.TextChoices):
    """What an entry of the audit log records (hoptac.accounts.audit)."""

    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
    UNLOCKED = "unlocked", _("Sign-in lockout lifted")
    USER_CREATED = "user_created", pgettext_lazy("audit action", "Account created")
    ROLE_CHANGED = "role_changed", _("Role or area changed")
    USER_ACTIVATED = "user_activated", _("Account activated")
    USER_DEACTIVATED = "user_deactivated", _("Account deactivated")
    USER_CHANGED = "user_changed", _("Account details changed")
    PASSWORD_SET = "password_set", _("Password reset")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    PURGED = "purged", _("Old entries purged")
