"""Security headers (issue 12, defect 7): Content-Security-Policy on every page,
Permissions-Policy, and `Cache-Control: no-store` on private pages and on every download."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from config.security import content_security_policy, tile_source
from hoptac.core.middleware import ResponseHeadersMiddleware, is_signed_in

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in parts}


def test_public_page_has_the_policy_without_inline_scripts(client):
    policy = directives(client.get(reverse("portal:home")))
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_private_page_error_page_and_export_have_the_policy(client, province_officer):
    client.force_login(province_officer)
    for url in (reverse("registry:cooperative_list"), "/khong-co-trang-nay/"):
        assert directives(client.get(url))["script-src"] == ["'self'"], url
    export = client.get(reverse("registry:cooperative_export"), {"format": "csv"})
    assert directives(export)["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        (
            "https://tiles.example.gov.vn:8443/osm/{z}/{x}/{y}.png",
            "https://tiles.example.gov.vn:8443",
        ),
        ("http://10.0.0.5/tiles/{z}/{x}/{y}.png", "http://10.0.0.5"),
        ("", None),
        ("/tiles/{z}/{x}/{y}.png", None),  # our own origin: 'self' covers it
        ("ftp://tiles.example/{z}.png", None),
    ],
)
def test_tile_source_is_the_tile_servers_origin(url, source):
    assert tile_source(url) == source


def test_tile_host_may_serve_images_only():
    policy = content_security_policy(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    plain = content_security_policy()["DIRECTIVES"]
    assert {k: v for k, v in policy["DIRECTIVES"].items() if k != "img-src"} == {
        k: v for k, v in plain.items() if k != "img-src"
    }


def test_every_response_has_the_permissions_policy(client, province_officer):
    anonymous = client.get(reverse("portal:home"))["Permissions-Policy"]
    client.force_login(province_officer)
    signed_in = client.get(reverse("registry:cooperative_list"))["Permissions-Policy"]
    assert anonymous == signed_in
    features = dict(item.strip().split("=") for item in anonymous.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_pages_of_a_signed_in_user_are_not_stored(client, province_officer):
    client.force_login(province_officer)
    for url in (reverse("registry:cooperative_list"), reverse("portal:home")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control, url
        assert "private" in cache_control, url


def test_exports_are_not_stored(client, province_officer):
    client.force_login(province_officer)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("registry:cooperative_export"), {"format": fmt})
        assert response.has_header("Content-Disposition")
        assert "no-store" in response["Cache-Control"]


def test_public_pages_of_an_anonymous_visitor_stay_cacheable(client):
    for url in (reverse("portal:home"), "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_the_check_loads_no_session_for_a_visitor_without_one():
    """Reading request.user loads the session, which makes the response `Vary: Cookie`; a
    visitor without a session cookie is anonymous without that."""
    loaded = []

    def load_user():
        loaded.append(True)
        return AnonymousUser()

    request = RequestFactory().get("/")
    request.user = SimpleLazyObject(load_user)
    assert not is_signed_in(request)
    assert loaded == []
    request.COOKIES["sessionid"] = "abc"
    assert not is_signed_in(request)
    assert loaded == [True]


def _through_middleware(user, response: HttpResponse, cookies: dict[str, str] | None = None):
    request = RequestFactory().get("/")
    request.user = user
    request.COOKIES.update(cookies or {})
    return ResponseHeadersMiddleware(lambda _request: response)(request)


def test_a_download_is_not_stored_whoever_asks():
    response = HttpResponse(b"a,b\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="x.csv"'
    response["Cache-Control"] = "public, max-age=600"
    stored = _through_middleware(AnonymousUser(), response)["Cache-Control"]
    assert "no-store" in stored
    assert "public" not in stored
    assert "max-age=0" in stored


def test_a_signed_in_response_loses_a_public_cache_control(province_officer):
    response = HttpResponse("ok")
    response["Cache-Control"] = "public, max-age=600"
    cache_control = _through_middleware(province_officer, response)["Cache-Control"]
    assert "public" not in cache_control
    assert "no-store" in cache_control


def test_an_anonymous_page_keeps_its_cache_control():
    response = HttpResponse("ok")
    response["Cache-Control"] = "public, max-age=600"
    kept = _through_middleware(AnonymousUser(), response, {"sessionid": "x"})["Cache-Control"]
    assert kept == "public, max-age=600"
