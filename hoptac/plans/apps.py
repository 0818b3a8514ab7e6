from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hoptac.plans"
    label = "plans"
    verbose_name = _("Plans and targets")

    def ready(self) -> None:
        from hoptac.indicators.extensions import Section, register_section
        from hoptac.plans.dashboard import dashboard_context, report_blocks

        register_section(
            Section(
                name="plans",
                order=20,
                template="plans/_dashboard.html",
                context=dashboard_context,
                report=report_blocks,
            )
        )
