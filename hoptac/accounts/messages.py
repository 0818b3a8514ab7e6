"""The messages a user reads for the codes of accounts.rules (which import no Django)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import rules

AREA_PROBLEMS: dict[str, Promise] = {
    rules.ADMIN_HAS_AREA: _("An administrator works nationwide: leave the area empty."),
    rules.AREA_MISSING: _("An officer needs an area: choose the unit he works for."),
    rules.PROVINCE_EXPECTED: _("The area of a provincial officer must be a province."),
    rules.DISTRICT_EXPECTED: _(
        "The area of a district officer must be a district (districts exist only in the "
        "tree before 1 July 2025)."
    ),
    rules.COMMUNE_EXPECTED: _(
        "The area of a commune officer must be a commune, ward, township or special zone."
    ),
}


def role_area_problem(role: str, level: int | None, era: str | None) -> Promise | None:
    """Why an area of `level` in tree `era` does not fit `role`, as the user reads it, or None
    (rules.role_area_problem, translated)."""
    code = rules.role_area_problem(role, level, era)
    return AREA_PROBLEMS[code] if code else None
