from django.apps import AppConfig


class DemoTestConfig(AppConfig):
    name = "hoptac.core.tests.demo_apps.first"
    label = "demo_test_first"
