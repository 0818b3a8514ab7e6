"""The API's foundation: the schema, the docs page, problems, authentication, throttling."""

from __future__ import annotations

import json

import pytest

from hoptac.api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def body(response):
    return json.loads(response.content)


def test_the_schema_is_openapi_3_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = body(response)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cooperatives" in schema["paths"]
    assert "/api/v1/areas/convert" in schema["paths"]


def test_the_schema_documents_errors_as_problems(client):
    schema = body(client.get("/api/v1/openapi.json"))
    responses = schema["paths"]["/api/v1/cooperatives"]["get"]["responses"]
    assert "application/problem+json" in responses["401"]["content"]
    assert "application/json" in responses["200"]["content"]


def test_the_docs_page_loads_swagger_ui_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/js/api-docs.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the CSP allows none


def test_the_docs_page_is_allowed_by_the_csp_without_eval(client):
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


def test_no_credentials_is_401_as_a_problem_in_vietnamese(client):
    response = client.get("/api/v1/cooperatives")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    problem = body(response)
    assert problem["status"] == 401
    assert problem["type"].endswith("/unauthorized")
    assert set(problem) >= {"type", "title", "status", "detail"}
    assert response["Content-Language"] == "vi"


def test_english_by_accept_language(client):
    response = client.get("/api/v1/cooperatives", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert body(response)["title"] == "Not signed in"


def test_a_bad_token_is_401(db):
    for header in ("Bearer hoptac_00000000_" + "a" * 43, "Bearer nonsense", "Basic abc"):
        response = ApiClient(HTTP_AUTHORIZATION=header).get("/api/v1/cooperatives")
        assert response.status_code == 401, header
        assert response["Content-Type"].startswith("application/problem+json")


def test_an_unknown_path_and_a_wrong_method_are_problems(client, admin, token_for):
    api = token_for(admin)
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert body(response)["status"] == 404
    response = api.delete("/api/v1/areas/convert?address=x")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_urls_do_not_redirect_to_the_sign_in_page(client):
    response = client.get("/api/v1/areas")
    assert response.status_code == 401
