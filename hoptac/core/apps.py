from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hoptac.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from hoptac.core import params

        params.register_converters()  # <id:…> and <year:…> of every urls.py
