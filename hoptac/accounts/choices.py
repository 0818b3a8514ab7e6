"""Roles of hoptac's users. The anonymous public has no account and so no role."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
# tree, since the district level no longer exists after the 2025 local-government reform
# (shared/domain/law_2023.yaml, state_management_agency.registration_authority).
ROLE_AREA_ERA: dict[str, str] = {Role.DISTRICT_OFFICER: Era.LEGACY}
