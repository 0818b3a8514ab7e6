"""Fixtures of the portal's tests, beside the actors and units of the root conftest.py."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation

from hoptac.portal.tests.servers import free_port
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cached public pages (and, with Redis, the forms' rate limits) outlive a test:
    start from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language_after_the_test():
    """A request to /en/… leaves English active in this thread; later tests (which render
    forms outside requests) expect the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def make_htx(db):
    """make_htx(name, commune="02062", published=True, **fields): an HTX of Bắc Kạn (old tree;
    Xã Lương Bằng of Chợ Đồn unless told)."""

    def make(name: str, commune: str = "02062", published: bool = True, **fields):
        return CooperativeFactory(
            name=name, commune_legacy=legacy_unit(commune), is_published=published, **fields
        )

    return make


@pytest.fixture
def tea_htx(make_htx):
    return make_htx("HTX Chè Mỹ Phương", commune="01927", model_cooperative=True, phone="0209 111")


@pytest.fixture
def hidden_htx(make_htx):
    return make_htx("HTX Chè Ẩn Danh", published=False)


@pytest.fixture
def tea(tea_htx):
    """A tea of HTX Chè Mỹ Phương with VietGAP and OCOP 4 stars."""
    from hoptac.market import services

    product = services.product_save(
        by=None, cooperative=tea_htx, name="Chè Shan tuyết Mỹ Phương", category="tea", unit="kg"
    )
    services.certification_save(by=None, product=product, kind="vietgap", year=2018)
    services.certification_save(by=None, product=product, kind="ocop", stars=4, year=2019)
    return product


@pytest.fixture
def redis_server(tmp_path) -> Iterator[str]:
    """The URL of a Redis server of the test's own (skipped where redis-server is missing)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)
