from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hoptac.plans"
    label = "plans"
    verbose_name = _("Plans and targets")

    def ready(self) -> None:
        from hoptac.core import changes, fragments
        from hoptac.indicators.extensions import Section, register_section
        from hoptac.indicators.page_parts import PLANS_NAMESPACE
        from hoptac.plans.dashboard import dashboard_context, report_blocks
        from hoptac.plans.models import Milestone, Plan, Target

        def plans_changed(_change: changes.Change) -> None:
            fragments.bump(PLANS_NAMESPACE)  # the dashboard's cached plans section

        for model in (Plan, Target, Milestone):
            changes.watch(model, (), plans_changed, uid="plans.page_parts")

        register_section(
            Section(
                name="plans",
                order=20,
                template="plans/_dashboard.html",
                context=dashboard_context,
                report=report_blocks,
            )
        )
