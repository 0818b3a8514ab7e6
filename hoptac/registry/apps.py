from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hoptac.registry"
    label = "registry"
    verbose_name = _("Cooperative registry")

    def ready(self) -> None:
        from hoptac.registry import jobs  # noqa: F401  (registers the registry's job kinds)
