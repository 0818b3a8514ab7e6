from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "hoptac.support"
    label = "support"
    verbose_name = _("Support programmes")

    def ready(self) -> None:
        """Add the "Support" tab to the cooperative page."""
        from hoptac.registry.tabs import CooperativeTab, register_tab
        from hoptac.support.views import support_tab_context

        register_tab(
            CooperativeTab(
                name="support",
                label=_("Support"),
                order=60,
                template="support/_cooperative_tab.html",
                context=support_tab_context,
            )
        )
