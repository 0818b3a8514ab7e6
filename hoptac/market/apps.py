from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "hoptac.market"
    label = "market"
    verbose_name = _("Markets and value chains")

    def ready(self) -> None:
        """Add the "Products" and "Links" tabs to the cooperative page."""
        from hoptac.market.views import links_tab_context, products_tab_context
        from hoptac.registry.tabs import CooperativeTab, register_tab

        register_tab(
            CooperativeTab(
                name="products",
                label=_("Products"),
                order=70,
                template="market/_products_tab.html",
                context=products_tab_context,
            )
        )
        register_tab(
            CooperativeTab(
                name="links",
                label=_("Links"),
                order=80,
                template="market/_links_tab.html",
                context=links_tab_context,
            )
        )
