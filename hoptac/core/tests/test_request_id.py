"""Request ids and the JSON log (hoptac.core.request_id, hoptac.core.logging)."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hoptac.core.logging import JsonFormatter, RequestContextFilter
from hoptac.core.request_id import request_id_from

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[3]


@pytest.fixture
def json_log():
    """The lines the root logger writes while the test runs, formatted as in JSON mode."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.parametrize(
    "header",
    [
        "probe-42",
        "0f8a1c2e-4b7d-4e0a-9c3b-1d2e3f4a5b6c",
        "nginx.5f3a9b:7",
    ],
)
def test_a_safe_request_id_from_the_client_is_kept(client, header):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=header)
    assert response["X-Request-ID"] == header


@pytest.mark.parametrize(
    "header",
    [
        "",
        "x" * 65,
        "abc def",
        "abc\nFAKE log line",
        "<script>",
        "id;rm -rf",
        "chè",
    ],
)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(header):
    made = request_id_from(header)
    assert made != header
    assert len(made) == 32
    int(made, 16)


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert len(first) == 32


def test_every_log_record_of_a_request_carries_its_id(client, settings, json_log):
    settings.HOPTAC_LOG_FORMAT = "json"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "hoptac.core.tests.test_health.UnreachableCache"},
    }
    response = client.get("/readyz", HTTP_X_REQUEST_ID="probe-42")
    assert response.status_code == 503
    lines = json_log()
    by_logger = {line["logger"]: line for line in lines}
    # logged inside the view, by the readiness check that failed
    assert by_logger["hoptac.core.health"]["level"] == "ERROR"
    assert "ConnectionError" in by_logger["hoptac.core.health"]["exc_info"]
    # logged by Django after the middleware returned
    assert by_logger["django.request"]["status_code"] == 503
    # the access line
    access = by_logger["hoptac.access"]
    assert access["level"] == "INFO"
    assert access["message"] == "GET /readyz 503"
    assert access["method"] == "GET"
    assert access["path"] == "/readyz"
    assert access["status"] == 503
    assert isinstance(access["duration_ms"], float)
    assert access["user_id"] is None
    assert {line["request_id"] for line in lines} == {"probe-42"}
    for line in lines:
        assert list(line)[:5] == ["time", "level", "logger", "message", "request_id"]
        assert line["time"].endswith("+00:00")


def test_the_access_line_names_the_signed_in_user_and_not_the_query(
    client, admin, settings, json_log
):
    settings.HOPTAC_LOG_FORMAT = "json"
    client.force_login(admin)
    client.get("/healthz?token=secret")
    (access,) = [line for line in json_log() if line["logger"] == "hoptac.access"]
    assert access["user_id"] == admin.pk
    assert access["path"] == "/healthz"
    assert "secret" not in json.dumps(access)


def test_one_access_line_per_request_in_json_mode_only(client, settings, json_log):
    settings.HOPTAC_LOG_FORMAT = "text"
    client.get("/healthz")
    assert [line for line in json_log() if line["logger"] == "hoptac.access"] == []
    settings.HOPTAC_LOG_FORMAT = "json"
    client.get("/healthz")
    client.get("/robots.txt")
    paths = [line["path"] for line in json_log() if line["logger"] == "hoptac.access"]
    assert paths == ["/healthz", "/robots.txt"]


def test_a_record_outside_a_request_has_no_request_id(json_log):
    logging.getLogger("hoptac.test").warning("Hợp tác xã %s", "Cao Phong")
    (line,) = json_log()
    assert line["request_id"] == "-"
    assert line["message"] == "Hợp tác xã Cao Phong"  # readable, not \\u-escaped


def _log_from_a_fresh_process(log_format: str) -> subprocess.CompletedProcess:
    """Django set up from the settings as in production, with HOPTAC_LOG_FORMAT=log_format,
    writing one warning."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('hoptac.check').warning('chè %s', 1)"
    )
    env = {**os.environ, "HOPTAC_LOG_FORMAT": log_format}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )


def test_the_setting_selects_json_lines():
    done = _log_from_a_fresh_process("json")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "hoptac.check"
    assert line["message"] == "chè 1"
    assert line["request_id"] == "-"


def test_the_setting_defaults_to_text_and_refuses_other_formats():
    done = _log_from_a_fresh_process("")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("WARNING hoptac.check [-] chè 1")
    refused = _log_from_a_fresh_process("xml")
    assert refused.returncode != 0
    assert "HOPTAC_LOG_FORMAT must be one of text, json" in refused.stderr
