"""HOPTAC_CONN_HEALTH_CHECKS: a kept database connection that died (a PostgreSQL restart, a
terminated backend) is replaced before a request uses it, so the next request succeeds.

Requests go through Django's WSGI handler as a server calls it (request_started /
request_finished, which keep or close the connection; the test client turns those off), on
the test database outside any test transaction.
"""

import json
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test import RequestFactory

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_health_checks_of_kept_connections_are_on_by_default():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def serve(handler: WSGIHandler, path: str) -> tuple[int, dict]:
    """One request as a WSGI server makes it: the handler, then closing the response."""
    environ = RequestFactory().get(path).environ
    status = []
    response = handler(environ, lambda line, headers: status.append(line))
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: a kept connection stays open

    return int(status[0].split()[0]), json.loads(body)


@pytest.fixture
def kept_connection(django_db_blocker) -> Iterator[object]:
    """The default connection with CONN_MAX_AGE > 0, restored afterwards."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 600
        yield connection
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def terminate_backend(connection) -> int:
    """End the connection's server process from another connection, as a restart would."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
    finally:
        other.close()
    return pid


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL: a server process to terminate")
@pytest.mark.parametrize("health_checks", [True, False])
def test_the_request_after_a_lost_connection(kept_connection, health_checks):
    kept_connection.settings_dict["CONN_HEALTH_CHECKS"] = health_checks
    handler = WSGIHandler()
    status, _ = serve(handler, "/readyz")
    assert status == 200
    assert kept_connection.connection is not None  # kept for the next request
    pid = terminate_backend(kept_connection)

    status, body = serve(handler, "/readyz")
    if health_checks:
        assert status == 200  # the dead connection was noticed and replaced before use
        assert kept_connection.connection.info.backend_pid != pid
    else:
        assert status == 503  # without health checks, this request pays for it
        assert body["failing"] == ["database"]
        status, _ = serve(handler, "/readyz")
        assert status == 200  # and the one after it has a new connection
