"""The demo data of every app (hoptac's own demo loaders), loaded once for the package inside a
transaction that is rolled back afterwards, so the other tests still start from empty tables.
Each test runs in a savepoint inside it (pytest-django's `db`)."""

from io import StringIO

import pytest


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker):
    from django.db import transaction

    from hoptac.core.demo import demo_loaders

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for _label, load in demo_loaders():
                load(StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_data, db):
    """The demo data, for one test (changes made by the test are rolled back)."""
    return demo_data
