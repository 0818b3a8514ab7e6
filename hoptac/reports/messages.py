"""The messages a user reads for the codes of reports.rules (which import no Django)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoptac.reports import rules

REPORT_ERRORS: dict[str, Promise] = {
    rules.TOTAL_NOT_EQUITY_PLUS_LIABILITIES: _(
        "Total capital must equal owners' equity plus liabilities."
    ),
    rules.BORROWED_ABOVE_LIABILITIES: _("Borrowed capital cannot exceed the liabilities."),
    rules.MEMBER_WORKERS_ABOVE_WORKERS: _("Workers who are members cannot exceed the workers."),
    rules.EDUCATED_ABOVE_MANAGERS: _("The managers by education cannot be more than the managers."),
    rules.MEMBER_REVENUE_ABOVE_REVENUE: _("Revenue from members cannot exceed the revenue."),
    rules.PROFIT_AFTER_ABOVE_BEFORE_TAX: _("Profit after tax cannot exceed profit before tax."),
}


def report_errors(values: Mapping[str, rules.Number]) -> dict[str, Promise]:
    """The figures' consistency problems by field, as the user reads them
    (rules.report_errors, translated)."""
    return {name: REPORT_ERRORS[code] for name, code in rules.report_errors(values).items()}
