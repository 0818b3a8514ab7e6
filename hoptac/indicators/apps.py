from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "hoptac.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from hoptac.core import health
        from hoptac.indicators import jobs  # noqa: F401  (registers the indicators' job kinds)
        from hoptac.indicators.tally import marking
        from hoptac.indicators.tally.health import tally_freshness

        marking.connect()
        health.register("tally", tally_freshness)  # /readyz
