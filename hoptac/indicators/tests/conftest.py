"""The indicators' fixtures: the demo data of every app (fixtures.py)."""

from hoptac.indicators.tests.fixtures import demo, demo_data  # noqa: F401
