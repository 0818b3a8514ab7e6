"""The demo-data registry: each app's demo.py `load(out)`, run in INSTALLED_APPS order."""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import modify_settings

from hoptac.accounts.models import User
from hoptac.core.demo import demo_loaders

FIRST = "hoptac.core.tests.demo_apps.first"
SECOND = "hoptac.core.tests.demo_apps.second"


@pytest.mark.parametrize("order", [[FIRST, SECOND], [SECOND, FIRST]])
def test_loaders_run_in_installed_apps_order(order):
    out = StringIO()
    with modify_settings(INSTALLED_APPS={"append": order}):
        for label, load in demo_loaders():
            if label.startswith("demo_test_"):
                load(out)
    assert out.getvalue().split() == [name.rsplit(".", 1)[1] for name in order]


def test_project_loaders_follow_installed_apps_and_skip_core():
    labels = [label for label, _load in demo_loaders()]
    positions = [settings.INSTALLED_APPS.index(apps.get_app_config(x).name) for x in labels]
    assert "accounts" in labels
    assert "core" not in labels
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_demo_command_runs_twice_without_duplicating():
    call_command("demo", stdout=StringIO())
    users = User.objects.count()
    second = StringIO()
    call_command("demo", stdout=second)
    assert users >= 8
    assert User.objects.count() == users
    assert "demo accounts: 0 created" in second.getvalue()
    assert [line for line in second.getvalue().splitlines() if line.startswith("demo: ")] == [
        f"demo: {label} ok" for label, _load in demo_loaders()
    ]
