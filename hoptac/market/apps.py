from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "hoptac.market"
    label = "market"
    verbose_name = _("Markets and value chains")

    def ready(self) -> None:
        """Add the "Products" and "Links" tabs to the cooperative page; tell the support app
        that value-chain links and trade events are activity of an HTX; make the products
        import known to the spreadsheet pipeline (stored uploads and jobs run it by name)."""
        from hoptac.core import tabular
        from hoptac.market.importing import PRODUCT_KIND
        from hoptac.market.selectors import events_attended_between, links_running_between
        from hoptac.market.views import links_tab_context, products_tab_context
        from hoptac.registry.tabs import CooperativeTab, register_tab
        from hoptac.support.activity import register_activity

        tabular.register(PRODUCT_KIND)
        register_activity("market.events", events_attended_between)
        register_activity("market.links", links_running_between)

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
