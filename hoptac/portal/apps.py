from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "hoptac.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from hoptac.portal import caching, checks  # noqa: F401  (checks registers the system checks)

        caching.connect()
