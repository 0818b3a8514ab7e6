from django.apps import AppConfig


class DemoTestConfig(AppConfig):
    name = "hoptac.core.tests.demo_apps.second"
    label = "demo_test_second"
