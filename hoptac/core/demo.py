"""The demo data registry: each app may have a `demo.py` with `load(out)`; the `demo`
command runs them in INSTALLED_APPS order, so later apps build on earlier ones."""

from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


def demo_loaders() -> list[tuple[str, Callable[..., None]]]:
    """The `load` function of every hoptac app's `demo` module, in dependency order."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("hoptac."):
            continue
        module_name = f"{config.name}.demo"
        if config.name == "hoptac.core" or find_spec(module_name) is None:
            continue
        loaders.append((config.label, import_module(module_name).load))
    return loaders
