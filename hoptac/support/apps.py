from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "hoptac.support"
    label = "support"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        """Add the "Support" tab to the cooperative page; open a remediation case when a
        rating is approved as yếu; make the support lists' imports known to the spreadsheet
        pipeline (stored uploads and jobs run them by name)."""
        from hoptac.core import tabular
        from hoptac.ratings.hooks import register_weak_rating_handler
        from hoptac.registry.tabs import CooperativeTab, register_tab
        from hoptac.support import importing
        from hoptac.support.services import remediation_open_for_weak
        from hoptac.support.views import support_tab_context

        register_weak_rating_handler(remediation_open_for_weak)
        for kind in importing.kinds():
            tabular.register(kind)

        register_tab(
            CooperativeTab(
                name="support",
                label=_("Support"),
                order=60,
                template="support/_cooperative_tab.html",
                context=support_tab_context,
            )
        )
