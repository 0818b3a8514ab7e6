from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hoptac.reports"
    label = "reports"
    verbose_name = _("Annual reports")

    def ready(self) -> None:
        from hoptac.core import tabular
        from hoptac.registry.tabs import CooperativeTab, register_tab
        from hoptac.reports import jobs  # noqa: F401  (registers the reports' job kinds)
        from hoptac.reports.importing import KIND
        from hoptac.reports.views import tab_context

        tabular.register(KIND)  # the reports' import, run by name by stored uploads and jobs

        register_tab(
            CooperativeTab(
                name="reports",
                label=_("Reports"),
                order=40,
                template="reports/_cooperative_tab.html",
                context=tab_context,
            )
        )
