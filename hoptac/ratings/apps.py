from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "hoptac.ratings"
    label = "ratings"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from hoptac.ratings.services import rating_report_approved
        from hoptac.ratings.views import tab_context
        from hoptac.registry.tabs import CooperativeTab, register_tab
        from hoptac.reports.hooks import register_approval_handler

        register_tab(
            CooperativeTab(
                name="ratings",
                label=_("Ratings"),
                order=50,
                template="ratings/_cooperative_tab.html",
                context=tab_context,
            )
        )
        register_approval_handler(rating_report_approved)
