from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "hoptac.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from hoptac.core import health
        from hoptac.indicators import (
            jobs,  # noqa: F401  (registers the indicators' job kinds)
            page_parts,
        )
        from hoptac.indicators.tally import marking
        from hoptac.indicators.tally.health import tally_freshness

        marking.connect()
        page_parts.connect()  # the dashboard's cached parts follow every write
        health.register("tally", tally_freshness)  # /readyz
