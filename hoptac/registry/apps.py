from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "hoptac.registry"
    label = "registry"
    verbose_name = _("Cooperative registry")

    def ready(self) -> None:
        """Make the registry's import known to the spreadsheet pipeline (stored uploads and
        jobs run it by name), and its job kinds to the job queue."""
        from hoptac.core import tabular
        from hoptac.registry import jobs  # noqa: F401  (registers the registry's job kinds)
        from hoptac.registry.importing import KIND

        tabular.register(KIND)
