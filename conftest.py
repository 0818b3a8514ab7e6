"""Shared test fixtures: the administrative units (loaded once per run), the actors, and the
browser harness (Debian's Chromium driven by Playwright against a live server).

Actors (healthchecks' alice/bob/charlie, NetBox's scoped users):
  admin             system administrator, sees everything
  province_officer  Tỉnh Bắc Kạn (old tree)
  district_officer  Huyện Chợ Đồn (old tree, in Bắc Kạn)
  commune_officer   Xã Lương Bằng (old tree, in Chợ Đồn)
  outsider          commune officer of Xã Nghĩa Tá, another commune of Chợ Đồn
  current_officer   Tỉnh Thái Nguyên (2025 tree, which took in Bắc Kạn)
  htx_manager       the manager bound to `cooperative`, the HTX an app's conftest gives
  other_cooperative an HTX in Xã Nghĩa Tá (old tree), the outsider's commune
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

pytest_plugins = ["tests.browser.fixtures"]

TEST_PASSWORD = "Sup3r-secret-pw"


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_modify_db_settings,
):
    """The test database, always created (browser tests need it though they are not marked
    django_db), with both trees of administrative units committed once per run."""
    from django.test.utils import setup_databases, teardown_databases

    from hoptac.areas.loader import areas_load

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            keepdb=django_db_keepdb,
            aliases={"default"},
        )
        areas_load()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            _close_other_sessions()
            teardown_databases(config, verbosity=request.config.option.verbose)


def _close_other_sessions() -> None:
    """End this run's other sessions on the test database before it is dropped.

    Playwright's sync API runs its work in greenlets, and each greenlet has its own context,
    so the ORM may hold a connection in a context the main thread can no longer close;
    PostgreSQL then refuses to drop a database that is "being accessed by other users".
    """
    from django.db import connection, connections

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    connections.close_all()


def _unit(era: str, code: str):
    from hoptac.areas.models import AdminUnit

    return AdminUnit.objects.get(era=era, code=code)


@pytest.fixture
def bac_kan(db):
    return _unit("legacy", "06")


@pytest.fixture
def cho_don(db):
    return _unit("legacy", "064")


@pytest.fixture
def luong_bang(db):
    return _unit("legacy", "02062")


@pytest.fixture
def nghia_ta(db):
    return _unit("legacy", "02071")


@pytest.fixture
def thai_nguyen(db):
    return _unit("2025", "19")


@pytest.fixture
def make_user(db):
    from hoptac.accounts.models import User

    def make(username: str, role: str, area=None, **extra):
        user = User(username=username, role=role, area=area, full_name=extra.pop("full_name", ""))
        for key, value in extra.items():
            setattr(user, key, value)
        user.set_password(TEST_PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def admin(make_user):
    return make_user("admin1", "admin", full_name="Quản trị", is_staff=True, is_superuser=True)


@pytest.fixture
def province_officer(make_user, bac_kan):
    return make_user("tinh1", "province_officer", bac_kan, full_name="Nguyễn Thị Thu")


@pytest.fixture
def district_officer(make_user, cho_don):
    return make_user("huyen1", "district_officer", cho_don, full_name="Hoàng Văn An")


@pytest.fixture
def commune_officer(make_user, luong_bang):
    return make_user("xa1", "commune_officer", luong_bang, full_name="Ma Văn Bình")


@pytest.fixture
def outsider(make_user, nghia_ta):
    return make_user("xa2", "commune_officer", nghia_ta, full_name="Đặng Thị Lan")


@pytest.fixture
def current_officer(make_user, thai_nguyen):
    return make_user("tinh2", "province_officer", thai_nguyen, full_name="Trần Minh Đức")


@pytest.fixture
def htx_manager(make_user, luong_bang, cooperative):
    """The manager bound to `cooperative` (each app's conftest gives its own HTX)."""
    user = make_user("htx.quanly", "coop_manager", luong_bang, full_name="Lục Văn Phong")
    cooperative.managers.add(user)
    return user


@pytest.fixture
def other_cooperative(db):
    """An HTX in Xã Nghĩa Tá (old tree), the outsider's commune."""
    from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit

    return CooperativeFactory(name="HTX Nghĩa Tá", commune_legacy=legacy_unit("02071"))


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to /en/… leaves English active in this thread (LocaleMiddleware activates it
    and nothing deactivates it in tests); later tests must start in the default language."""
    from django.utils import translation

    yield
    translation.deactivate()
